import { expect } from 'chai';
import { startTestApp, type Agent, type TestApp } from '../support/test-app.ts';
import { apiToken, EVIDENCE_PDF as PDF, outbox, qualification } from './helpers.ts';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
/** A Windows executable's header ("MZ", then the DOS stub), named and typed as a PDF. */
const EXE = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff', 'latin1'), Buffer.alloc(256, 0)]);

describe('qualification: evidence upload', () => {
  let app: TestApp;
  let learner: { agent: Agent; id: string; email: string; token: string };
  before(async () => {
    app = await startTestApp();
    const { agent, user } = await app.loggedIn(['learner']);
    learner = { agent, id: user.id, email: user.email, token: await apiToken(agent) };
    const put = await agent
      .put('/api/qualification/prerequisites/authorisation')
      .set('X-CSRF-Token', learner.token)
      .send({ number: 'OM-BW-2023-0815', date: '2023-11-20', partner: 'Handwerkskammer Musterstadt' });
    expect(put.status).to.equal(200);
    expect(put.body.authorisation.state).to.equal('pending');
  });
  after(async () => app.stop());

  /** A trainer who leads a cohort the learner belongs to (trainers act only on their cohorts' learners). */
  const learnersTrainer = async () => {
    const trainer = await app.loggedIn(['trainer']);
    await qualification(app).service.planning.createCohort({
      name: 'Durchgang Nachweise',
      region: 'saarland',
      trainerIds: [trainer.user.id],
      learnerIds: [learner.id],
    });
    return trainer;
  };

  const upload = (buf: Buffer, filename: string, contentType: string, kind = 'authorisation') =>
    learner.agent.post(`/api/qualification/prerequisites/${kind}/evidence`).set('X-CSRF-Token', learner.token).attach('file', buf, { filename, contentType });

  it("stores a PDF in GridFS and shows it only to the learner, their cohort's trainers and admins", async () => {
    const res = await upload(PDF, 'Autorisierung Müller.pdf', 'application/pdf');
    expect(res.status).to.equal(201);
    const fileId = res.body.authorisation.evidenceFileId as string;
    expect(fileId).to.match(/^[a-f0-9]{24}$/);
    expect(res.body.authorisation.evidenceType).to.equal('application/pdf');
    expect(res.body.authorisation.evidenceName).to.equal('Autorisierung Müller.pdf');

    const own = await learner.agent
      .get(`/qualification/evidence/${fileId}`)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(own.status).to.equal(200);
    expect(own.headers['content-type']).to.equal('application/pdf');
    expect(Buffer.compare(own.body as Buffer, PDF)).to.equal(0);

    const other = await app.loggedIn(['learner']);
    expect((await other.agent.get(`/qualification/evidence/${fileId}`)).status).to.equal(403);
    const trainer = await learnersTrainer();
    expect((await trainer.agent.get(`/qualification/evidence/${fileId}`)).status).to.equal(200);
    const admin = await app.loggedIn(['admin']);
    expect((await admin.agent.get(`/qualification/evidence/${fileId}`)).status).to.equal(200);
    expect((await app.agent().get(`/qualification/evidence/${fileId}`)).status, 'anonymous is sent to the login').to.equal(302);
  });

  it('refuses a renamed .exe (checked by content, not by name or type) with 415', async () => {
    const before = (await learner.agent.get('/api/qualification/prerequisites')).body.authorisation.evidenceFileId;
    const res = await upload(EXE, 'nachweis.pdf', 'application/pdf');
    expect(res.status).to.equal(415);
    expect(res.body.error).to.equal('Als Nachweis sind nur PDF-, JPEG- und PNG-Dateien möglich. Der Inhalt dieser Datei ist keines davon.');
    const after = (await learner.agent.get('/api/qualification/prerequisites')).body.authorisation.evidenceFileId;
    expect(after, 'the earlier evidence is kept').to.equal(before);
  });

  it('refuses a file over 10 MB with 413', async () => {
    const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(10 * 1024 * 1024 + 1, 0x20)]);
    const res = await upload(big, 'gross.pdf', 'application/pdf');
    expect(res.status).to.equal(413);
    expect(res.body.error).to.equal('Die gesendeten Daten sind zu groß.');
  });

  it('accepts a PNG through the page form (CSRF token in the query string)', async () => {
    const page = await learner.agent.get('/path/prerequisites');
    expect(page.status).to.equal(200);
    const action = /action="(\/path\/prerequisites\/authorisation\/evidence\?_csrf=[^"]+)"/.exec(page.text)?.[1];
    expect(action, 'upload form').to.be.a('string');
    const res = await learner.agent.post(action!.replace(/&amp;/g, '&')).attach('file', PNG, { filename: 'scan.png', contentType: 'image/png' });
    expect(res.status).to.equal(302);
    const p = (await learner.agent.get('/api/qualification/prerequisites')).body;
    expect(p.authorisation.evidenceType).to.equal('image/png');
  });

  it('asks for the details before evidence for an item not entered yet', async () => {
    const res = await upload(PDF, 'workshop.pdf', 'application/pdf', 'workshop');
    expect(res.status).to.equal(409);
    expect(res.body.error).to.contain('zuerst die Angaben');
  });

  it('lets a trainer reject with a reason (who and when kept, mail sent) and verify later', async () => {
    const trainer = await learnersTrainer();
    const token = await apiToken(trainer.agent);
    const url = `/api/qualification/learners/${learner.id}/prerequisites/authorisation/decision`;
    const noReason = await trainer.agent.post(url).set('X-CSRF-Token', token).send({ decision: 'rejected' });
    expect(noReason.status).to.equal(400);
    const rejected = await trainer.agent
      .post(url)
      .set('X-CSRF-Token', token)
      .send({ decision: 'rejected', reason: 'Die Nummer ist auf dem Nachweis nicht lesbar.' });
    expect(rejected.status).to.equal(200);
    expect(rejected.body.authorisation).to.deep.include({
      state: 'rejected',
      decidedBy: trainer.user.id,
      reason: 'Die Nummer ist auf dem Nachweis nicht lesbar.',
    });
    expect(rejected.body.authorisation.decidedAt).to.be.a('string');
    const mail = (await outbox(app)).find((m) => m.to === learner.email && m.subject === 'GeZu Lotse Academy: Nachweis nicht anerkannt');
    expect(mail, 'decision mail').to.be.an('object');
    expect(mail!.text).to.contain('Begründung: Die Nummer ist auf dem Nachweis nicht lesbar.');
    const path = await learner.agent.get('/path');
    expect(path.text).to.contain('Die Nummer ist auf dem Nachweis nicht lesbar.');
    const verified = await trainer.agent.post(url).set('X-CSRF-Token', token).send({ decision: 'verified' });
    expect(verified.body.authorisation.state).to.equal('verified');
    const learnerCannot = await learner.agent.post(url).set('X-CSRF-Token', learner.token).send({ decision: 'verified' });
    expect(learnerCannot.status).to.equal(403);
  });

  it('asks for a new decision when the evidence is replaced after a verification', async () => {
    const trainer = await learnersTrainer();
    const token = await apiToken(trainer.agent);
    const url = `/api/qualification/learners/${learner.id}/prerequisites/authorisation/decision`;
    expect((await trainer.agent.post(url).set('X-CSRF-Token', token).send({ decision: 'verified' })).body.authorisation.state).to.equal('verified');
    const replaced = await upload(PNG, 'anderer-nachweis.png', 'image/png');
    expect(replaced.status).to.equal(201);
    expect(replaced.body.authorisation.state).to.equal('pending');
    expect(replaced.body.authorisation).not.to.have.any.keys('decidedBy', 'decidedAt', 'reason');
    const pending = (await trainer.agent.get('/api/qualification/verifications')).body as Array<{ learnerId: string }>;
    expect(pending.map((p) => p.learnerId)).to.include(learner.id);
    const e = (await learner.agent.get('/api/qualification/eligibility')).body as { missing: Array<{ code: string }> };
    expect(e.missing.map((m) => m.code)).to.include('authorisation-not-verified');
  });
});
