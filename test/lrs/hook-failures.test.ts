import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { StoredStatement } from '../../src/lrs/types.ts';
import type { TestApp } from '../support/test-app.ts';
import { startLrsApp, statement, xapi } from './support.ts';

describe('lrs: stored-statements hooks that fail', () => {
  let app: TestApp;
  before(async () => {
    app = await startLrsApp();
  });
  after(async () => app.stop());

  const failures = (hook: string) => app.running.connection.collection('lrs_hook_failures').find({ hook }).toArray();
  /** A hook that sees only the statements of one registration, and throws while `broken()` says so. */
  const hookFor = (registration: string, broken: () => boolean) => {
    const seen: string[] = [];
    let calls = 0;
    const fn = async (stored: StoredStatement[]) => {
      const mine = stored.filter((s) => s.context?.registration === registration);
      if (!mine.length) return;
      calls += 1;
      if (broken()) throw new Error('Projektion gerade nicht erreichbar');
      seen.push(...mine.map((s) => s.id));
    };
    return { fn, seen, calls: () => calls };
  };

  it('tries a failing hook again and records nothing when a retry succeeds', async () => {
    const registration = randomUUID();
    let failuresLeft = 1;
    const hook = hookFor(registration, () => failuresLeft-- > 0);
    app.running.app.lrs.onStatementsStored(hook.fn, 'flaky-projection');
    const res = await xapi(app)
      .post('/statements')
      .send(statement({ context: { registration } }));
    expect(res.status).to.equal(200);
    expect(hook.calls()).to.equal(2);
    expect(hook.seen).to.deep.equal(res.body);
    expect(await failures('flaky-projection')).to.have.length(0);
  });

  it('records a hook that keeps failing with the statement ids only, and replay repairs and clears it', async () => {
    const registration = randomUUID();
    let broken = true;
    const hook = hookFor(registration, () => broken);
    app.running.app.lrs.onStatementsStored(hook.fn, 'broken-projection');

    const res = await xapi(app)
      .post('/statements')
      .send([statement({ context: { registration } }), statement({ context: { registration } })]);
    expect(res.status, 'the statements are stored although the hook failed').to.equal(200);
    expect(hook.calls(), 'one call and two retries').to.equal(3);
    expect(hook.seen).to.deep.equal([]);
    const recorded = await failures('broken-projection');
    expect(recorded).to.have.length(1);
    expect(recorded[0]!.statementIds).to.deep.equal(res.body);
    expect(recorded[0]!.error).to.equal('Projektion gerade nicht erreichbar');
    expect(recorded[0]!.attempts).to.equal(3);
    // ids, the hook and the error: nothing of the statements themselves (no actor, no names)
    expect(Object.keys(recorded[0]!).sort()).to.deep.equal(['_id', 'at', 'attempts', 'error', 'hook', 'statementIds']);

    broken = false;
    const result = await app.running.app.lrs.replayStatements();
    expect(result.repairedFailures).to.equal(1);
    expect(result.failedBatches).to.equal(0);
    expect(await failures('broken-projection')).to.have.length(0);
    // first the recorded call with exactly its statements, in the order stored, then the full replay
    expect(hook.seen.slice(0, 2)).to.deep.equal(res.body);
    expect(hook.seen).to.include.members(res.body);
  });

  it('keeps the record when the hook fails again during the replay', async () => {
    const registration = randomUUID();
    const hook = hookFor(registration, () => true);
    app.running.app.lrs.onStatementsStored(hook.fn, 'still-broken-projection');
    const res = await xapi(app)
      .post('/statements')
      .send(statement({ context: { registration } }));
    expect(res.status).to.equal(200);
    const result = await app.running.app.lrs.replayStatements();
    expect(result.failedBatches).to.be.greaterThan(0);
    const recorded = await failures('still-broken-projection');
    expect(recorded).to.have.length(1);
    expect(recorded[0]!.statementIds).to.deep.equal(res.body);
  });
});
