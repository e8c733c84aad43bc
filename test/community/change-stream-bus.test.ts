import { EventEmitter } from 'node:events';
import { expect } from 'chai';
import { Types } from 'mongoose';
import { changeStreamBus, type ChatChange, type ChatChangeStream } from '../../src/community/change-stream-bus.ts';
import type { ChatEvent } from '../../src/community/chat-bus.ts';
import { createLogger } from '../../src/shared/logger.ts';

/**
 * The replica-set fan-out without a replica set (FerretDB has no change streams and no mongod can be
 * had here): the bus driven by a minimal stand-in of the driver's ChangeStream. This tests our
 * mapping and resume logic, not the database's change streams (src/community/README.md).
 */
class FakeStream extends EventEmitter implements ChatChangeStream {
  closed = false;
  constructor(readonly resumeAfter: unknown) {
    super();
  }
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.emit('close');
  }
}

const doc = (over: Partial<{ text: string; hidden: boolean }> = {}) => ({
  _id: new Types.ObjectId(),
  spaceKey: 'cohort-0123456789abcdef01234567',
  authorId: 'a1',
  text: 'Hallo',
  hidden: false,
  at: new Date('2026-12-01T10:00:00Z'),
  ...over,
});

describe('community: the change-stream bus (with a stand-in stream)', () => {
  const logger = createLogger('silent');
  let opened: FakeStream[];
  let events: ChatEvent[];
  const source = {
    openChatStream: (resumeAfter?: unknown) => {
      const s = new FakeStream(resumeAfter);
      opened.push(s);
      return s;
    },
  };
  const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));
  beforeEach(() => {
    opened = [];
    events = [];
  });

  it('hands an insert to the listeners as a message, with the document id as the message id', async () => {
    const bus = changeStreamBus(source, logger, { reopenAfterMs: 1 });
    bus.onEvent((e) => events.push(e));
    const d = doc();
    opened[0]!.emit('change', { _id: { _data: 't1' }, operationType: 'insert', fullDocument: d } satisfies ChatChange);
    expect(events).to.deep.equal([
      { type: 'message', message: { id: d._id.toString(), spaceKey: d.spaceKey, authorId: 'a1', text: 'Hallo', hidden: false, at: d.at } },
    ]);
    expect(opened[0]!.resumeAfter).to.equal(undefined);
    await bus.close();
  });

  it('turns an update that sets hidden into a "hidden" event and ignores other updates', async () => {
    const bus = changeStreamBus(source, logger, { reopenAfterMs: 1 });
    bus.onEvent((e) => events.push(e));
    const d = doc({ hidden: true });
    opened[0]!.emit('change', { _id: { _data: 't1' }, operationType: 'update', fullDocument: d, updateDescription: { updatedFields: { hidden: true } } });
    opened[0]!.emit('change', { _id: { _data: 't2' }, operationType: 'update', fullDocument: d, updateDescription: { updatedFields: { text: 'x' } } });
    opened[0]!.emit('change', { _id: { _data: 't3' }, operationType: 'update', updateDescription: { updatedFields: { hidden: true } } });
    expect(events).to.deep.equal([{ type: 'hidden', spaceKey: d.spaceKey, id: d._id.toString() }]);
    await bus.close();
  });

  it('reopens a broken stream once, resuming after the last token seen, and goes on delivering', async () => {
    const bus = changeStreamBus(source, logger, { reopenAfterMs: 1 });
    bus.onEvent((e) => events.push(e));
    opened[0]!.emit('change', { _id: { _data: 't1' }, operationType: 'insert', fullDocument: doc({ text: 'eins' }) });
    opened[0]!.emit('change', { _id: { _data: 't2' }, operationType: 'update', fullDocument: doc(), updateDescription: { updatedFields: { text: 'y' } } });
    opened[0]!.emit('error', new Error('network'));
    await tick();
    expect(opened[0]!.closed, 'the broken stream is closed').to.equal(true);
    expect(opened).to.have.length(2);
    // the token of the last change seen, also of one that carried no event
    expect(opened[1]!.resumeAfter).to.deep.equal({ _data: 't2' });
    opened[1]!.emit('change', { _id: { _data: 't3' }, operationType: 'insert', fullDocument: doc({ text: 'zwei' }) });
    expect(events.map((e) => (e.type === 'message' ? e.message.text : e.type))).to.deep.equal(['eins', 'zwei']);
    // a stream the server closes without an error is reopened too, after t3
    opened[1]!.emit('close');
    await tick();
    expect(opened).to.have.length(3);
    expect(opened[2]!.resumeAfter).to.deep.equal({ _data: 't3' });
    await bus.close();
  });

  it('opens nothing after close(), even if the stream reports an error afterwards', async () => {
    const bus = changeStreamBus(source, logger, { reopenAfterMs: 1 });
    await bus.close();
    expect(opened[0]!.closed).to.equal(true);
    opened[0]!.emit('error', new Error('late'));
    await tick();
    expect(opened).to.have.length(1);
  });
});
