import type { ChatMessage } from './model.ts';

/** What travels from the instance that stored a chat change to every instance with listeners. */
export type ChatEvent = { type: 'message'; message: ChatMessage } | { type: 'hidden'; spaceKey: string; id: string };

/**
 * The fan-out port. One instance: the in-process bus hands each stored message to the local
 * listeners at once. Several instances on a MongoDB replica set: the change-stream bus
 * (change-stream-bus.ts) lets every instance watch the chat collection, so the database is the only
 * broker and no instance keeps state another one needs.
 */
export interface ChatBus {
  readonly kind: 'in-process' | 'change-streams';
  /** Called after the write: in process it delivers; with change streams the write itself is the publication. */
  published(event: ChatEvent): void;
  onEvent(listener: (event: ChatEvent) => void): void;
  close(): Promise<void>;
}

export function inProcessBus(): ChatBus {
  const listeners: Array<(e: ChatEvent) => void> = [];
  return {
    kind: 'in-process',
    published: (e) => {
      for (const l of listeners) l(e);
    },
    onEvent: (l) => listeners.push(l),
    close: async () => {
      listeners.length = 0;
    },
  };
}
