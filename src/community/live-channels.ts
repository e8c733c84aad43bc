import { createChannel, type Channel, type Session } from 'better-sse';
import type { ChatBus } from './chat-bus.ts';
import type { Chat } from './chat.ts';

/**
 * The open SSE streams of this instance, one better-sse channel per space. Fed by the bus: whatever
 * instance stored a message, each instance broadcasts it to its own streams. The message id is the
 * SSE event id, so a reconnecting browser sends it back as Last-Event-ID and gets what it missed.
 */
export function createLiveChannels(deps: { bus: ChatBus; chat: Pick<Chat, 'present'> }) {
  const channels = new Map<string, Channel>();
  const channelOf = (key: string): Channel => {
    let c = channels.get(key);
    if (!c) {
      c = createChannel();
      const created = c;
      created.on('session-deregistered', () => {
        if (created.sessionCount === 0) channels.delete(key);
      });
      channels.set(key, c);
    }
    return c;
  };
  deps.bus.onEvent((e) => {
    if (e.type === 'message') {
      const c = channels.get(e.message.spaceKey);
      if (!c) return;
      void deps.chat.present([e.message]).then(([m]) => c.broadcast(m, 'message', { eventId: e.message.id }));
    } else {
      channels.get(e.spaceKey)?.broadcast({ id: e.id }, 'hidden');
    }
  });
  return {
    join(key: string, session: Session): void {
      channelOf(key).register(session);
    },
    /** Open streams across all spaces (the benchmark reads it). */
    openStreams: () => [...channels.values()].reduce((n, c) => n + c.sessionCount, 0),
  };
}
export type LiveChannels = ReturnType<typeof createLiveChannels>;
