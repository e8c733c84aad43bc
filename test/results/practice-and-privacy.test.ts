import { expect } from 'chai';
import { resultsPrivacy } from '../../src/results/privacy.ts';
import { issuedLearner, postForm, setIssueMode, standInEligibility } from '../certificates/helpers.ts';
import type { Agent } from '../support/test-app.ts';
import { datenschutzRoom, publish, slugOf, world, type World } from './helpers.ts';

/** Issue #21: the Lotse's practice on the profile and, only opted in, on the certificate's verify page; privacy of the results' data. */
describe('results: practice and privacy', function () {
  this.timeout(120_000);
  let w: World;
  let holder: { user: { id: string; name: string }; agent: Agent; code: string };
  let slug: string;
  before(async () => {
    const eligibility = standInEligibility();
    w = await world({ eligibility });
    const admin = await w.person('Ada Admin', ['admin']);
    await setIssueMode(admin.agent, 'automatic');
    holder = await issuedLearner(w.app, eligibility, 'Lena Lotsin');
    w.rooms.add(datenschutzRoom('r-1'), [holder.user.id]);
    w.rooms.add(
      datenschutzRoom('r-2', {
        title: 'Homeoffice mit Anna Arendt',
        topic: 'Homeoffice',
        status: 'running',
        heldFrom: new Date('2026-09-01T08:00:00Z'),
        heldUntil: new Date('2026-10-01T08:00:00Z'),
      }),
      [holder.user.id],
    );
    w.rooms.add(datenschutzRoom('r-3', { title: 'Noch in Planung', status: 'planned', heldFrom: undefined, heldUntil: undefined }), [holder.user.id]);
    const res = await publish(holder.agent, 'r-1', { title: 'Datenschutz in kleinen Betrieben', namedAsLotse: 'on' });
    expect(res.status).to.equal(303);
    slug = slugOf(res.headers.location)!;
  });
  after(async () => w?.app.stop());

  it('shows the Lotse’s rooms on their profile, with the way to publish the finished one', async () => {
    const page = await holder.agent.get('/profile');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Praxis: Experimentierräume');
    for (const title of ['Datenschutz im Handwerk', 'Homeoffice mit Anna Arendt', 'Noch in Planung']) expect(page.text).to.contain(title);
    expect(page.text).to.contain('href="/experimentierraeume/r-1/veroeffentlichen"');
    expect(page.text).not.to.contain('href="/experimentierraeume/r-2/veroeffentlichen"');
    expect(page.text).to.contain(`href="/ergebnisse/${slug}"`);
    const stranger = await w.person('Otto Anders');
    const theirs = await stranger.agent.get('/profile');
    expect(theirs.text).to.contain('Sie haben noch keinen Experimentierraum geleitet.');
    expect(theirs.text).not.to.contain('Datenschutz im Handwerk');
  });

  it('shows the practice on the verify page only after the holder opts in, and never a participant', async () => {
    const before = await w.app.agent().get(`/verify/${holder.code}`);
    expect(before.status).to.equal(200);
    expect(before.text).to.contain('Gültig');
    expect(before.text).not.to.contain('Praxis: Experimentierräume');
    expect((await w.app.agent().get(`/api/verify/${holder.code}`)).body).not.to.have.property('practice');

    const on = await postForm(holder.agent, '/profile', '/profile/practice', { showOnCertificate: 'on' });
    expect(on.status).to.equal(303);
    expect((await holder.agent.get('/profile')).text).to.match(/id="practice-on-certificate"[^>]*checked/);
    const after = await w.app.agent().get(`/verify/${holder.code}`);
    expect(after.text).to.contain('Praxis: Experimentierräume');
    // the published title for the published room; the topic alone where the room's title names someone
    expect(after.text).to.contain('Datenschutz in kleinen Betrieben');
    expect(after.text).to.contain('Homeoffice');
    expect(after.text).not.to.contain('Anna Arendt');
    expect(after.text).not.to.contain('Noch in Planung');
    expect(after.text).to.contain('4 Termine');
    expect(after.text).to.contain('Saarland');
    expect(after.text).to.contain('März 2026 – Mai 2026');
    const api = await w.app.agent().get(`/api/verify/${holder.code}`);
    expect(api.body.practice.map((p: { topic: string }) => p.topic)).to.deep.equal(['Homeoffice', 'Datenschutz']);
    expect(Object.keys(api.body.practice[0]).sort()).to.deep.equal(['datesHeld', 'heldFrom', 'heldUntil', 'region', 'title', 'topic']);

    const off = await postForm(holder.agent, '/profile', '/profile/practice', {});
    expect(off.status).to.equal(303);
    expect((await w.app.agent().get(`/verify/${holder.code}`)).text).not.to.contain('Praxis: Experimentierräume');
    await postForm(holder.agent, '/profile', '/profile/practice', { showOnCertificate: 'on' });
  });

  it('exports the switch and what the person published', async () => {
    const files = new Map<string, unknown>();
    await resultsPrivacy(w.app.running.connection).export({ id: holder.user.id } as never, {
      json: (n: string, v: unknown) => files.set(n, v),
      file: () => {},
    });
    expect([...files.keys()].sort()).to.deep.equal(['praxis-einstellung.json', 'veroeffentlichte-ergebnisse.json']);
    expect((files.get('praxis-einstellung.json') as { showOnCertificate: boolean }).showOnCertificate).to.equal(true);
    const published = files.get('veroeffentlichte-ergebnisse.json') as Array<{ slug: string; title: string; showLotse: boolean }>;
    expect(published.map((p) => [p.slug, p.title, p.showLotse])).to.deep.equal([[slug, 'Datenschutz in kleinen Betrieben', true]]);
  });

  it('erases: the switch goes, the summary stays public without its publisher or their name', async () => {
    expect((await w.app.agent().get(`/ergebnisse/${slug}`)).text).to.contain('Lena Lotsin');
    await resultsPrivacy(w.app.running.connection).erase({ id: holder.user.id } as never, { reference: 'L-1', now: new Date() });
    const db = w.app.running.connection.db!;
    expect(await db.collection('results_practice_settings').countDocuments({ _id: holder.user.id as never })).to.equal(0);
    const doc = await db.collection('results_summaries').findOne({ slug });
    expect(doc!.publisherId).to.equal(null);
    expect(doc!.showLotse).to.equal(false);
    expect(await db.collection('results_summaries').countDocuments({ publisherId: holder.user.id })).to.equal(0);
    const page = await w.app.agent().get(`/ergebnisse/${slug}`);
    expect(page.status).to.equal(200);
    expect(page.text).not.to.contain('Lena Lotsin');
    // a second run changes nothing (erasure steps are re-run after a crash)
    await resultsPrivacy(w.app.running.connection).erase({ id: holder.user.id } as never, { reference: 'L-1', now: new Date() });
    expect((await w.app.agent().get(`/verify/${holder.code}`)).text).not.to.contain('Praxis: Experimentierräume');
  });

  it('declares both collections in the register', async () => {
    const { registry } = w.app.running.app.privacy;
    const names = registry.personalCollections().map((c) => c.name);
    expect(names).to.include.members(['results_practice_settings', 'results_summaries']);
  });
});
