import type { Logger } from '../shared/logger.ts';
import type { ChatBus, ChatEvent } from './chat-bus.ts';
import type { CommunityRepository } from './repository.ts';

/**
 * Fan-out across instances through MongoDB change streams: every instance watches inserts and
 * "hidden" updates of the chat collection and hands them to its own SSE listeners; `published` does
 * nothing, the stored document is the message. Needs a replica set or sharded cluster (change streams
 * are not offered by a standalone mongod nor by FerretDB); the component chooses this bus only when
 * the server says it is one (repository.isReplicaSet). If the stream breaks it is opened again, resuming
 * after the last event seen so nothing is lost in between.
 */
export function changeStreamBus(repo: CommunityRepository, logger: Logger): ChatBus {
  const listeners: Array<(e: ChatEvent) => void> = [];
  let closed = false;
  let stop: (() => Promise<void>) | undefined;
  const open = (resumeAfter?: unknown) => {
    stop = repo.watchChat(
      (e) => {
        for (const l of listeners) l(e);
      },
      {
        resumeAfter,
        onError: (err, lastToken) => {
          if (closed) return;
          logger.warn({ err }, 'community chat change stream broke; reopening');
          setTimeout(() => open(lastToken), 1000).unref();
        },
      },
    );
  };
  open();
  return {
    kind: 'change-streams',
    published: () => {},
    onEvent: (l) => listeners.push(l),
    close: async () => {
      closed = true;
      await stop?.();
    },
  };
}
