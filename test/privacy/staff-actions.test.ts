import { expect } from 'chai';
import { postForm, standInEligibility } from '../certificates/helpers.ts';
import { verifyPrerequisites } from '../qualification/helpers.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { person, privacyOf } from './support.ts';

/** Issue #18: evidence decisions, certificate issue and revocation, LRS credentials in the audit trail. */
describe('privacy: staff actions of the other components in the audit trail', function () {
  this.timeout(60_000);
  let app: TestApp;
  const eligibility = standInEligibility();
  before(async () => {
    app = await startTestApp({ standIns: { eligibility } });
  });
  after(async () => app.stop());

  const entries = async (action: string) =>
    (await (await privacyOf(app)).audit.list({ action })).map((e) => ({
      actorId: e.actorId,
      targetId: e.targetId,
      details: JSON.parse(e.details || '{}') as unknown,
    }));

  it('records each evidence decision with the decider, the learner, the kind and the decision', async () => {
    const learner = await app.createUser(['learner']);
    await verifyPrerequisites(app, learner.id);
    expect(await entries('evidence-decision')).to.deep.equal([
      { actorId: 'test-admin', targetId: learner.id, details: { kind: 'workshop', decision: 'verified' } },
      { actorId: 'test-admin', targetId: learner.id, details: { kind: 'authorisation', decision: 'verified' } },
    ]);
  });

  it('records the issue and the revocation of a certificate, without the typed reason', async () => {
    const learner = await app.createUser(['learner']);
    const admin = await app.createUser(['admin']);
    eligibility.eligible.add(learner.id);
    const certificates = app.running.app.certificates.service;
    const issued = await certificates.issue(learner.id, admin.id);
    await certificates.revoke(admin.id, issued.id, 'Versehentlich für Frau Beispiel ausgestellt');
    expect(await entries('certificate-issue')).to.deep.equal([{ actorId: admin.id, targetId: learner.id, details: { certificateId: issued.id } }]);
    expect(await entries('certificate-revoke')).to.deep.equal([{ actorId: admin.id, targetId: learner.id, details: { certificateId: issued.id } }]);
    expect(await (await privacyOf(app)).audit.csv()).not.to.contain('Beispiel');
  });

  it('records an admin’s new and revoked LRS credential', async () => {
    const admin = await person(app, ['admin']);
    const created = await postForm(admin.agent, '/admin/lrs/clients', '/admin/lrs/clients', { name: 'Autorenwerkzeug', scopes: 'statements/read' });
    expect(created.status).to.equal(201);
    const [entry] = await entries('lrs-credential-create');
    expect(entry).to.deep.include({ actorId: admin.id, details: { scopes: ['statements/read'] } });
    const revoked = await postForm(admin.agent, '/admin/lrs/clients', `/admin/lrs/clients/${entry!.targetId}/revoke`, {});
    expect(revoked.status).to.equal(302);
    expect(await entries('lrs-credential-revoke')).to.deep.equal([{ actorId: admin.id, targetId: entry!.targetId, details: {} }]);
  });
});
