import type { Logger } from '../shared/logger.ts';
import type { ChatBus, ChatEvent } from './chat-bus.ts';
import type { ChatMessage, ChatMessageDoc } from './model.ts';

/** The change event fields the bus reads (the driver's ChangeStreamDocument for the chat collection). */
export interface ChatChange {
  _id: unknown;
  operationType: string;
  fullDocument?: ChatMessageDoc;
  updateDescription?: { updatedFields?: Record<string, unknown> };
}

/** The part of the driver's ChangeStream the bus uses: events in, close out. */
export interface ChatChangeStream {
  on(event: 'change', listener: (change: ChatChange) => void): unknown;
  on(event: 'error', listener: (err: unknown) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  close(): Promise<void>;
}

/** Where the streams come from: the repository's `openChatStream` (inserts and updates, full documents). */
export interface ChatChangeSource {
  openChatStream(resumeAfter?: unknown): ChatChangeStream;
}

/** A change as the SSE listeners take it: an insert is a message, an update that sets hidden hides one; anything else is nothing. */
export function chatEventOf(change: ChatChange): ChatEvent | undefined {
  const doc = change.fullDocument;
  if (!doc) return undefined;
  if (change.operationType === 'insert') {
    const { _id, ...rest } = doc;
    const message: ChatMessage = { ...rest, id: _id.toString() };
    return { type: 'message', message };
  }
  if (change.operationType === 'update' && change.updateDescription?.updatedFields?.hidden === true)
    return { type: 'hidden', spaceKey: doc.spaceKey, id: doc._id.toString() };
  return undefined;
}

/**
 * Fan-out across instances through MongoDB change streams: every instance watches inserts and
 * "hidden" updates of the chat collection and hands them to its own SSE listeners; `published` does
 * nothing, the stored document is the message. Needs a replica set or sharded cluster (change streams
 * are not offered by a standalone mongod nor by FerretDB); the component chooses this bus only when
 * the server says it is one (repository.isReplicaSet). If the stream breaks (an error, or the server
 * closes it) it is opened again after `reopenAfterMs`, resuming after the last event seen so nothing
 * is lost in between.
 */
export function changeStreamBus(source: ChatChangeSource, logger: Logger, opts: { reopenAfterMs?: number } = {}): ChatBus {
  const reopenAfterMs = opts.reopenAfterMs ?? 1000;
  const listeners: Array<(e: ChatEvent) => void> = [];
  let closed = false;
  let current: ChatChangeStream | undefined;
  let lastToken: unknown;
  const open = () => {
    const stream = source.openChatStream(lastToken);
    current = stream;
    let broken = false;
    const reopen = (err?: unknown) => {
      // error and close both arrive for one break: reopen once, and never after close()
      if (broken || closed) return;
      broken = true;
      logger.warn({ err }, 'community chat change stream broke; reopening');
      void stream.close().catch(() => {});
      setTimeout(() => {
        if (!closed) open();
      }, reopenAfterMs).unref();
    };
    stream.on('change', (change) => {
      lastToken = change._id;
      const e = chatEventOf(change);
      if (e) for (const l of listeners) l(e);
    });
    stream.on('error', (err) => reopen(err));
    stream.on('close', () => reopen());
  };
  open();
  return {
    kind: 'change-streams',
    published: () => {},
    onEvent: (l) => listeners.push(l),
    close: async () => {
      closed = true;
      await current?.close();
    },
  };
}
