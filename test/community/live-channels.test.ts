import { EventEmitter } from 'node:events';
import { expect } from 'chai';
import type { Session } from 'better-sse';
import { inProcessBus } from '../../src/community/chat-bus.ts';
import { createLiveChannels, GONE_EVENT } from '../../src/community/live-channels.ts';
import { forbidden } from '../../src/shared/errors.ts';
import { createLogger } from '../../src/shared/logger.ts';

/** A stand-in of better-sse's Session: what the channel and the re-check use of it. */
class FakeSession extends EventEmitter {
  isConnected = true;
  pushed: Array<{ event: string; data: unknown }> = [];
  push(data: unknown, event: string) {
    this.pushed.push({ event, data });
    return this;
  }
}

/** The re-check of open streams without HTTP: which answers end a stream and which do not. */
describe('community: the open streams re-check membership', () => {
  const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const setup = (answers: Array<'ok' | 'down' | 'refused'>) => {
    const calls: string[] = [];
    const live = createLiveChannels({
      bus: inProcessBus(),
      chat: {
        present: async () => [],
        recheck: async (viewer, key) => {
          calls.push(`${viewer.id}:${key}`);
          const a = answers.shift() ?? 'ok';
          if (a === 'down') throw new Error('connection closed');
          if (a === 'refused') throw forbidden('community:errors.notMember');
          return undefined as never;
        },
      },
      recheckMs: 10,
      logger: createLogger('silent'),
    });
    const session = new FakeSession();
    let ended = 0;
    live.join('cohort-0123456789abcdef01234567', {
      viewer: { id: 'u1', roles: ['learner'] },
      session: session as unknown as Session,
      end: () => {
        ended += 1;
        session.isConnected = false;
        session.emit('disconnected');
      },
    });
    return { live, session, calls, ended: () => ended };
  };

  it('keeps a stream whose check failed for another reason (the database away), and ends it on a refusal', async () => {
    const s = setup(['ok', 'down', 'down', 'refused']);
    await tick(150);
    expect(s.calls.length, 'checks until the refusal, then none').to.equal(4);
    expect(s.calls[0]).to.equal('u1:cohort-0123456789abcdef01234567');
    expect(s.session.pushed).to.deep.equal([{ event: GONE_EVENT, data: { reason: 'forbidden' } }]);
    expect(s.ended()).to.equal(1);
    expect(s.live.openStreams()).to.equal(0);
  });

  it('stops checking a stream the browser closed', async () => {
    const s = setup([]);
    await tick(35);
    expect(s.live.openStreams()).to.equal(1);
    s.session.isConnected = false;
    s.session.emit('disconnected');
    const seen = s.calls.length;
    await tick(50);
    expect(s.calls.length).to.equal(seen);
    expect(s.live.openStreams()).to.equal(0);
    expect(s.session.pushed).to.deep.equal([]);
  });
});
