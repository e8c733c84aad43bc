import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { createStatementRepository } from '../../src/lrs/statements/repository.ts';
import type { TestApp } from '../support/test-app.ts';
import { q, startLrsApp, statement, xapi } from './support.ts';

const VOIDED = { id: 'http://adlnet.gov/expapi/verbs/voided', display: { 'en-US': 'voided' } };

describe('lrs: statements that target statements not stored yet', () => {
  let app: TestApp;
  before(async () => {
    app = await startLrsApp();
  });
  after(async () => app.stop());

  const keys = () => app.running.connection.collection('lrs_statement_keys');

  it('marks the target, so that a voiding statement sent first voids it when it comes', async () => {
    const target = randomUUID();
    const voiding = await xapi(app)
      .post('/statements')
      .send(statement({ verb: VOIDED, object: { objectType: 'StatementRef', id: target } }));
    expect(voiding.status).to.equal(200);
    expect(await keys().findOne({ _id: `${target}|referenced` as never })).to.include({ sid: target });
    expect(
      (
        await xapi(app)
          .post('/statements')
          .send(statement({ id: target }))
      ).status,
    ).to.equal(200);
    expect((await xapi(app).get(`/statements${q({ statementId: target })}`)).status).to.equal(404);
    expect((await xapi(app).get(`/statements${q({ voidedStatementId: target })}`)).status).to.equal(200);
  });

  it('gives targets of StatementRefs stored before the marker existed their marker once at start-up', async () => {
    const target = randomUUID();
    expect(
      (
        await xapi(app)
          .post('/statements')
          .send(statement({ verb: VOIDED, object: { objectType: 'StatementRef', id: target } }))
      ).status,
    ).to.equal(200);
    // as a database written before: no marker, and the start-up pass not yet done
    await keys().deleteOne({ _id: `${target}|referenced` as never });
    await app.running.connection.collection('lrs_statement_meta').deleteOne({ _id: 'referenced' as never });
    const repo = createStatementRepository(app.running.connection);
    expect(await repo.backfillReferencedMarkers()).to.be.greaterThan(0);
    expect(await repo.backfillReferencedMarkers(), 'once per database').to.equal(0);
    expect(
      (
        await xapi(app)
          .post('/statements')
          .send(statement({ id: target }))
      ).status,
    ).to.equal(200);
    expect((await xapi(app).get(`/statements${q({ voidedStatementId: target })}`)).status).to.equal(200);
  });
});
