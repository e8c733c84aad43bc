import { expect } from 'chai';
import type { DocumentWrite } from '../../src/lrs/types.ts';
import { DomainError } from '../../src/shared/errors.ts';
import type { TestApp } from '../support/test-app.ts';
import { q, startLrsApp, xapi } from './support.ts';

describe('lrs: document guards', () => {
  let app: TestApp;
  const seen: DocumentWrite[] = [];
  const agent = { objectType: 'Agent' as const, mbox: 'mailto:guard@example.org' };
  const activityId = 'http://example.org/activities/guarded';
  const registration = '0f8a3c5e-1b2d-4e6f-8a9b-0c1d2e3f4a5b';
  before(async () => {
    app = await startLrsApp();
    app.running.app.lrs.registerDocumentGuard((write) => {
      seen.push(write);
      const id = write.params.stateId ?? write.params.profileId;
      if (id === 'locked') throw new DomainError('forbidden', 'gesperrt');
      if (write.method === 'DELETE' && write.resource === 'state' && id === undefined) throw new DomainError('forbidden', 'nicht alles');
    });
  });
  after(async () => app.stop());

  it('refuses writes and deletes the guard refuses with 403 and stores nothing', async () => {
    const state = `/activities/state${q({ activityId, agent, registration, stateId: 'locked' })}`;
    expect((await xapi(app).put(state).send({ a: 1 })).status).to.equal(403);
    expect((await xapi(app).post(state).send({ a: 1 })).status).to.equal(403);
    expect((await xapi(app).delete(state)).status).to.equal(403);
    expect((await xapi(app).get(state)).status).to.equal(404);
    expect((await xapi(app).delete(`/activities/state${q({ activityId, agent, registration })}`)).status).to.equal(403);
    // the guard runs before the precondition rules: 403, not the 400 a profile PUT without If-None-Match gets
    expect(
      (
        await xapi(app)
          .put(`/agents/profile${q({ agent, profileId: 'locked' })}`)
          .send({ a: 1 })
      ).status,
    ).to.equal(403);
    expect(
      (
        await xapi(app)
          .put(`/activities/profile${q({ activityId, profileId: 'locked' })}`)
          .set('If-None-Match', '*')
          .send({ a: 1 })
      ).status,
    ).to.equal(403);
  });

  it('lets other writes through and shows them as the request named them', async () => {
    seen.length = 0;
    const state = `/activities/state${q({ activityId, agent, registration, stateId: 'open' })}`;
    expect((await xapi(app).put(state).send({ a: 1 })).status).to.equal(204);
    expect((await xapi(app).get(state)).body).to.deep.equal({ a: 1 });
    expect(
      (
        await xapi(app)
          .put(`/agents/profile${q({ agent, profileId: 'open' })}`)
          .set('If-None-Match', '*')
          .set('Content-Type', 'text/plain')
          .send('hallo')
      ).status,
    ).to.equal(204);
    expect((await xapi(app).delete(state)).status).to.equal(204);
    expect(seen.map((w) => [w.resource, w.method])).to.deep.equal([
      ['state', 'PUT'],
      ['agent-profile', 'PUT'],
      ['state', 'DELETE'],
    ]);
    expect(seen[0]!.params).to.deep.equal({ activityId, agent, registration, stateId: 'open' });
    expect(seen[0]!.contentType).to.match(/^application\/json/);
    expect(JSON.parse(seen[0]!.body!.toString('utf8'))).to.deep.equal({ a: 1 });
    expect(seen[1]!.params).to.deep.equal({ agent, profileId: 'open' });
    expect(seen[1]!.body!.toString('utf8')).to.equal('hallo');
    expect(seen[2]!.body).to.equal(undefined);
  });

  it('guards the service writes too (with the system credential)', async () => {
    const lrs = app.running.app.lrs;
    let refused: unknown;
    await lrs
      .putDocument({ activityId, agent, registration, stateId: 'locked' }, { contentType: 'application/json', content: { a: 1 } })
      .catch((err: unknown) => (refused = err));
    expect((refused as DomainError).kind).to.equal('forbidden');
    await lrs.putDocument({ activityId, agent, registration, stateId: 'service' }, { contentType: 'application/json', content: { a: 2 } });
    expect((await lrs.getDocument({ activityId, agent, registration, stateId: 'service' }))?.content.toString('utf8')).to.equal('{"a":2}');
  });
});
