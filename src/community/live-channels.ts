import { createChannel, type Channel, type Session } from 'better-sse';
import { DomainError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import type { ChatBus } from './chat-bus.ts';
import type { Chat } from './chat.ts';
import type { Viewer } from './ports.ts';

/** The last event a stream gets when its person no longer belongs to the space; the page closes its EventSource. */
export const GONE_EVENT = 'gone';

/** An open stream as the route hands it over: whose it is, and how to end it from this side. */
export interface OpenStream {
  viewer: Viewer;
  session: Session;
  /** Ends the response (the client's EventSource would reconnect and be refused with 403). */
  end(): void;
}

/**
 * The open SSE streams of this instance, one better-sse channel per space. Fed by the bus: whatever
 * instance stored a message, each instance broadcasts it to its own streams. The message id is the
 * SSE event id, so a reconnecting browser sends it back as Last-Event-ID and gets what it missed.
 *
 * Membership is checked when a stream opens and then again every `recheckMs` per stream, against the
 * database (membership.ts reads the qualification): a person removed from a cohort, or whose session
 * registration ended, gets a final "gone" event and the stream is closed within that time, on every
 * instance alike, with no state shared between instances. A check that fails for another reason (the
 * database away for a moment) keeps the stream and tries again next time.
 */
export function createLiveChannels(deps: { bus: ChatBus; chat: Pick<Chat, 'present' | 'recheck'>; recheckMs: number; logger: Logger }) {
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

  /** Asks again whether the stream's person belongs; ends the stream if not. Returns whether it stays open. */
  async function recheck(key: string, stream: OpenStream): Promise<boolean> {
    try {
      await deps.chat.recheck(stream.viewer, key);
      return true;
    } catch (err) {
      // only a refusal ends the stream; anything else (the database away for a moment) tries again
      if (!(err instanceof DomainError) || (err.kind !== 'forbidden' && err.kind !== 'not-found')) {
        deps.logger.warn({ err, spaceKey: key }, 'community: membership re-check of an open stream failed; trying again');
        return true;
      }
      if (stream.session.isConnected) {
        stream.session.push({ reason: err.kind }, GONE_EVENT);
        channels.get(key)?.deregister(stream.session);
        stream.end();
      }
      return false;
    }
  }

  return {
    join(key: string, stream: OpenStream): void {
      // gone before it could join (the browser closed it while the missed messages went out)
      if (!stream.session.isConnected) return;
      channelOf(key).register(stream.session);
      let running = false;
      const timer = setInterval(() => {
        if (!stream.session.isConnected) return clearInterval(timer);
        // one check at a time per stream: a slow database does not pile them up
        if (running) return;
        running = true;
        void recheck(key, stream).then((open) => {
          running = false;
          if (!open) clearInterval(timer);
        });
      }, deps.recheckMs);
      timer.unref();
      stream.session.once('disconnected', () => clearInterval(timer));
    },
    /** Open streams across all spaces (the benchmark reads it). */
    openStreams: () => [...channels.values()].reduce((n, c) => n + c.sessionCount, 0),
  };
}
export type LiveChannels = ReturnType<typeof createLiveChannels>;
