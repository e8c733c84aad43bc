import { expect } from 'chai';
import { startTestApp, type Agent, type TestApp } from '../support/test-app.ts';
import { apiToken, qualification } from './helpers.ts';

describe('qualification: CSV import of verified authorisations', () => {
  let app: TestApp;
  let admin: { agent: Agent; token: string; id: string };
  let people: Array<{ id: string; email: string }>;
  before(async () => {
    app = await startTestApp();
    const a = await app.loggedIn(['admin']);
    admin = { agent: a.agent, token: await apiToken(a.agent), id: a.user.id };
    people = await Promise.all([1, 2, 3].map(() => app.createUser(['learner'])));
  });
  after(async () => app.stop());

  const csvWith = (badDate: string) =>
    [
      'E-Mail;Nummer;Datum;Partnerorganisation',
      `${people[0]!.email};OM-SL-001;01.03.2024;Partner Saar e. V.`,
      `${people[1]!.email};OM-SL-002;${badDate};"Kammer Süd; Büro Nord"`,
      `${people[2]!.email.toUpperCase()};OM-SL-003;2024-02-29;Partner Saar e. V.`,
    ].join('\r\n');

  const states = async () => Promise.all(people.map(async (p) => (await qualification(app).service.prerequisites.get(p.id)).authorisation.state));

  it('imports nothing when one row is bad, and names the row (API)', async () => {
    const up = await admin.agent
      .post('/api/qualification/imports')
      .set('X-CSRF-Token', admin.token)
      .send({ csv: csvWith('31.02.2024'), fileName: 'partner.csv' });
    expect(up.status).to.equal(201);
    expect(up.body.errorCount).to.equal(1);
    expect(up.body.rows.map((r: { line: number; errors: string[] }) => [r.line, r.errors.length])).to.deep.equal([
      [2, 0],
      [3, 1],
      [4, 0],
    ]);
    expect(up.body.rows[1].errors[0]).to.equal('Zeile 3: „31.02.2024“ ist kein gültiges Datum (TT.MM.JJJJ oder JJJJ-MM-TT, nicht in der Zukunft).');

    const commit = await admin.agent.post(`/api/qualification/imports/${up.body.importId}/commit`).set('X-CSRF-Token', admin.token);
    expect(commit.status).to.equal(400);
    expect(commit.body.error).to.equal('Die Datei hat 1 Fehler. Es wurde nichts importiert.');
    expect(commit.body.rowErrors).to.deep.equal([up.body.rows[1].errors[0]]);
    expect(await states()).to.deep.equal(['missing', 'missing', 'missing']);
  });

  it('imports nothing when one row is bad, and names the row (page with preview)', async () => {
    const page = await admin.agent.get('/admin/qualification/import');
    const action = /action="(\/admin\/qualification\/import\?_csrf=[^"]+)"/.exec(page.text)?.[1];
    expect(action).to.be.a('string');
    const up = await admin.agent
      .post(action!.replace(/&amp;/g, '&'))
      .attach('file', Buffer.from('\uFEFF' + csvWith('gestern')), { filename: 'partner.csv', contentType: 'text/csv' });
    expect(up.status).to.equal(303);
    const preview = await admin.agent.get(up.headers.location!);
    expect(preview.text).to.contain('Zeile 3: „gestern“ ist kein gültiges Datum');
    expect(preview.text).not.to.contain('Alle Zeilen importieren');
    const token = /name="_csrf" value="([^"]+)"/.exec(preview.text)?.[1];
    const commit = await admin.agent.post(`${up.headers.location}/commit`).type('form').send({ _csrf: token });
    expect(commit.status).to.equal(400);
    expect(commit.text).to.contain('Es wurde nichts importiert.');
    expect(commit.text).to.contain('Zeile 3');
    expect(await states()).to.deep.equal(['missing', 'missing', 'missing']);
  });

  it('imports a clean file as verified authorisations; a repeated commit completes without duplicates', async () => {
    const up = await admin.agent
      .post('/api/qualification/imports')
      .set('X-CSRF-Token', admin.token)
      .send({ csv: csvWith('2024-03-05'), fileName: 'partner.csv' });
    expect(up.body.errorCount).to.equal(0);
    const commit = await admin.agent.post(`/api/qualification/imports/${up.body.importId}/commit`).set('X-CSRF-Token', admin.token);
    expect(commit.status).to.equal(200);
    expect(commit.body.committedRows).to.equal(3);
    expect(await states()).to.deep.equal(['verified', 'verified', 'verified']);
    const second = (await qualification(app).service.prerequisites.get(people[1]!.id)).authorisation;
    expect(second).to.deep.include({
      number: 'OM-SL-002',
      partner: 'Kammer Süd; Büro Nord',
      source: 'import',
      decidedBy: admin.id,
      importId: up.body.importId,
    });

    // a retry (e.g. after a crash half-way) writes the same documents again: still one per learner
    const again = await admin.agent.post(`/api/qualification/imports/${up.body.importId}/commit`).set('X-CSRF-Token', admin.token);
    expect(again.status).to.equal(200);
    const docs = await app.running.connection.collection('qualification_prerequisites').countDocuments({ learnerId: { $in: people.map((p) => p.id) } });
    expect(docs).to.equal(3);
  });

  it('refuses the import to non-admins', async () => {
    const trainer = await app.loggedIn(['trainer']);
    const res = await trainer.agent
      .post('/api/qualification/imports')
      .set('X-CSRF-Token', await apiToken(trainer.agent))
      .send({ csv: csvWith('2024-03-05') });
    expect(res.status).to.equal(403);
  });
});
