import { expect } from 'chai';
import { login, type Agent } from '../support/test-app.ts';
import { outbox } from '../qualification/helpers.ts';
import { buildCohort, type BuiltCohort } from './helpers.ts';
import { xlsxParts } from './xlsx.ts';

/** The insight pages and exports over real HTTP, on the cohort of helpers.ts. */
describe('insight: pages, exports and the weekly digest', function () {
  this.timeout(180_000);
  let c: BuiltCohort;
  let trainer: Agent;
  const binary = (agent: Agent, path: string) =>
    agent
      .get(path)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
  before(async () => {
    c = await buildCohort();
    trainer = c.app.agent();
    await login(trainer, c.trainer.email, c.trainer.password);
  });
  after(async () => c?.app.stop());
  const base = () => `/trainer/insight/cohorts/${c.cohort.id}`;

  it('shows the dashboard with labelled SVG charts, their data tables and the attention list', async () => {
    const res = await trainer.get(base());
    expect(res.status).to.equal(200);
    expect(res.text).to.include('<svg role="img" aria-labelledby="chart-funnel-title chart-funnel-desc"');
    expect(res.text).to.include('<title id="chart-funnel-title">Stand je Modul</title>');
    expect(res.text).to.match(
      /<desc id="chart-funnel-desc">Q1 · Tools \+ Methoden: nicht begonnen 1, begonnen 1, abgeschlossen 0, bestanden 2, nicht bestanden 1/,
    );
    expect(res.text).to.include('id="chart-progress-title"');
    expect(res.text).to.include('id="chart-time-title"');
    expect(res.text).to.include('<table id="table-funnel">');
    expect(res.text).to.include('Tools + Methoden: 2-mal nicht bestanden');
    expect(res.text).to.include('seit 20 Tagen keine Aktivität');
    expect(res.text).to.include(`href="mailto:${c.people.Bernd.email}"`);
  });

  it('refuses the dashboard to a trainer of another cohort and to learners; a malformed id is refused, an unknown one not found', async () => {
    const other = await c.app.loggedIn(['trainer']);
    expect((await other.agent.get(base())).status).to.equal(403);
    expect((await c.people.Anna.agent.get(base())).status).to.equal(403);
    expect((await trainer.get('/trainer/insight/cohorts/nicht-da')).status).to.equal(400);
    expect((await trainer.get(`/trainer/insight/cohorts/${'0'.repeat(24)}`)).status).to.equal(404);
  });

  it('exports the funnel as CSV with German headers', async () => {
    const res = await trainer.get(`${base()}/export/funnel.csv`);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.match(/^text\/csv/);
    expect(res.headers['content-disposition']).to.equal(`attachment; filename="durchgang-${c.cohort.id}-funnel.csv"`);
    const lines = res.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).to.equal('Modul;nicht begonnen;begonnen;abgeschlossen;bestanden;nicht bestanden');
    expect(lines[1]).to.equal('Q1 · Tools + Methoden;1;1;0;2;1');
  });

  it('exports the questions as XLSX with German headers and numbers as numbers', async () => {
    const res = await binary(trainer, `${base()}/export/questions.xlsx`);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const parts = await xlsxParts(res.body as Buffer);
    const all = [...parts.values()].join('\n');
    for (const h of ['Frage', 'Modul', 'Richtig', 'Antworten', 'Teilnehmende', 'Versuche je Person', 'Häufigste falsche Antworten'])
      expect(all).to.include(`>${h}<`);
    expect(all).to.include('abschlusstest.frage-2');
    expect(all).to.include('25 %');
    expect(parts.get('xl/worksheets/sheet1.xml')).to.match(/<c r="D2"[^>]*><v>4<\/v><\/c>/);
  });

  it('refuses an unknown table or format', async () => {
    expect((await trainer.get(`${base()}/export/secrets.csv`)).status).to.equal(400);
    expect((await trainer.get(`${base()}/export/funnel.pdf`)).status).to.equal(400);
  });

  it('shows the question view sorted as asked, with its chart', async () => {
    const res = await trainer.get(`${base()}/questions?sort=answers`);
    expect(res.status).to.equal(200);
    expect(res.text).to.include('id="chart-questions-title"');
    expect(res.text).to.match(/abschlusstest\.frage-1[\s\S]*abschlusstest\.frage-2/);
    const hardest = await trainer.get(`${base()}/questions`);
    expect(hardest.text).to.match(/<table id="table-questions">[\s\S]*abschlusstest\.frage-2[\s\S]*abschlusstest\.frage-1/);
  });

  it("tells a learner's timeline in German sentences to the trainer and exports it", async () => {
    const res = await trainer.get(`/trainer/insight/learners/${c.people.Bernd.id}/timeline`);
    expect(res.status).to.equal(200);
    expect(res.text).to.include('Bernd Bauer hat „Teil 1“ mit 60 % nicht bestanden');
    expect(res.text).to.include('Bernd Bauer hat „Teil 1“ begonnen');
    const anna = await trainer.get(`/trainer/insight/learners/${c.people.Anna.id}/timeline?module=q2`);
    expect(anna.text).to.include(`Anna Arendt hat am Termin „${c.session.title}“ teilgenommen`);
    expect(anna.text).not.to.include('bestanden');
    const csv = await trainer.get(`/trainer/insight/learners/${c.people.Anna.id}/timeline.csv`);
    expect(csv.status).to.equal(200);
    expect(csv.text.replace(/^\uFEFF/, '').split('\r\n')[0]).to.equal('Zeitpunkt;Modul;Ereignis');
    expect(csv.text).to.include('Anna Arendt hat „Teil 1“ mit 90 % bestanden');
  });

  it('shows learners their own timeline, linked from /path, and nobody else’s', async () => {
    const path = await c.people.Emil.agent.get('/path');
    expect(path.text).to.include('href="/timeline"');
    const own = await c.people.Emil.agent.get('/timeline');
    expect(own.status).to.equal(200);
    expect(own.text).to.include('Emil Ernst hat „Teil 1“ mit 100 % bestanden');
    expect((await c.people.Emil.agent.get(`/trainer/insight/learners/${c.people.Anna.id}/timeline`)).status).to.equal(403);
  });

  it('mails the weekly digest to the trainer, and not after opting out', async () => {
    const sent = await c.app.running.app.insight.digest.sendAll();
    expect(sent).to.equal(1);
    const mail = (await outbox(c.app)).find((m) => m.to === c.trainer.email && m.subject.includes('Wochenübersicht'));
    expect(mail, 'digest mail').to.not.equal(undefined);
    expect(mail!.text).to.include('Durchgang Saar 2026: 4 Hinweise');
    expect(mail!.text).to.include('Bernd Bauer: Q1 · Tools + Methoden: 2-mal nicht bestanden');
    expect(mail!.text).to.include('Nachweise warten auf Ihre Prüfung (1):');
    expect(mail!.text).to.include('Clara Christ: Autorisierung OM-Berater');

    expect((await trainer.get('/profile')).text).to.include('href="/trainer/insight/digest"');
    const page = await trainer.get('/trainer/insight/digest');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    const res = await trainer.post('/trainer/insight/digest').type('form').send({ _csrf: token, optOut: 'on' });
    expect(res.status).to.equal(303);
    expect(await c.app.running.app.insight.digest.sendAll()).to.equal(0);
  });
});
