import { expect } from 'chai';
import { buildCommunity, newThread, openStream, sendChat, type CommunityWorld } from './helpers.ts';

/** Issue #20, Done-when: a learner of cohort A never reads cohort B, by page, API or live channel. */
describe('community: who belongs to which space', function () {
  this.timeout(120_000);
  let w: CommunityWorld;
  let threadInA: string;
  before(async () => {
    w = await buildCommunity();
    threadInA = await newThread(w.people.anna, w.keys.a, 'Wer kommt zum Treffen?', 'Nur für **Saar A**: Raum 4711');
  });
  after(async () => w.app.stop());

  it('shows the Klassenzimmer to its learners and trainer, and Anna sees her thread there', async () => {
    for (const m of [w.people.anna, w.people.ali, w.people.tanja]) {
      const res = await m.agent.get(`/community/spaces/${w.keys.a}`);
      expect(res.status, m.name).to.equal(200);
      expect(res.text).to.contain('Wer kommt zum Treffen?');
    }
  });

  it('refuses a learner of cohort B the page, the thread, the APIs and the chat of cohort A', async () => {
    const berta = w.people.berta;
    const page = await berta.agent.get(`/community/spaces/${w.keys.a}`);
    expect(page.status).to.equal(403);
    expect(page.text).not.to.contain('Wer kommt zum Treffen?');
    const thread = await berta.agent.get(`/community/threads/${threadInA}`);
    expect(thread.status).to.equal(403);
    expect(thread.text).not.to.contain('Raum 4711');
    const api = await berta.agent.get(`/api/community/spaces/${w.keys.a}/threads`);
    expect(api.status).to.equal(403);
    expect(api.body).to.have.property('error', 'Sie gehören nicht zu diesem Raum.');
    expect((await berta.agent.get(`/api/community/threads/${threadInA}`)).status).to.equal(403);
    expect((await berta.agent.get(`/api/community/spaces/${w.keys.a}/chat`)).status).to.equal(403);
    expect((await sendChat(berta, w.keys.a, 'Hallo A?')).status).to.equal(403);
    const r = await berta.agent.post(`/community/threads/${threadInA}/replies`).type('form').send({ _csrf: berta.csrf, markdown: 'rein' });
    expect(r.status).to.equal(403);
  });

  it('refuses B the live channel of A, and a message in A reaches A streams only', async () => {
    const denied = await openStream(w.app, w.people.berta, w.keys.a);
    expect(denied.status).to.equal(403);
    expect(denied.contentType).not.to.contain('text/event-stream');
    const ali = await openStream(w.app, w.people.ali, w.keys.a);
    const bertaOwn = await openStream(w.app, w.people.berta, w.keys.b);
    try {
      expect(ali.status).to.equal(200);
      expect(ali.contentType).to.contain('text/event-stream');
      expect(bertaOwn.status).to.equal(200);
      const sent = await sendChat(w.people.anna, w.keys.a, 'Geheim für A');
      expect(sent.status).to.equal(201);
      const got = await ali.waitFor(1, 1000);
      expect(got.map((e) => (e.data as { text: string }).text)).to.deep.equal(['Geheim für A']);
      await new Promise((r) => setTimeout(r, 300));
      expect(bertaOwn.events).to.deep.equal([]);
    } finally {
      ali.close();
      bertaOwn.close();
    }
  });

  it('lets the mentor of a learner into her Klassenzimmer, the trainer of B not', async () => {
    expect((await w.people.mia.agent.get(`/community/spaces/${w.keys.a}`)).status).to.equal(200);
    expect((await w.people.tom.agent.get(`/community/spaces/${w.keys.a}`)).status).to.equal(403);
  });

  it('keeps the mentor space to mentee and mentor (not even an admin)', async () => {
    expect((await w.people.anna.agent.get(`/community/spaces/${w.keys.mentor}`)).status).to.equal(200);
    expect((await w.people.mia.agent.get(`/community/spaces/${w.keys.mentor}`)).status).to.equal(200);
    for (const m of [w.people.ali, w.people.tanja, w.people.ada])
      expect((await m.agent.get(`/community/spaces/${w.keys.mentor}`)).status, m.name).to.equal(403);
  });

  it('opens the Q2 session space to its registered participants and trainers only', async () => {
    expect((await w.people.anna.agent.get(`/community/spaces/${w.keys.session}`)).status).to.equal(200);
    expect((await w.people.tanja.agent.get(`/community/spaces/${w.keys.session}`)).status).to.equal(200);
    expect((await w.people.ali.agent.get(`/community/spaces/${w.keys.session}`)).status).to.equal(403);
    expect((await w.people.berta.agent.get(`/community/spaces/${w.keys.session}`)).status).to.equal(403);
  });

  it("opens a module's Q&A to those working on it and to trainers", async () => {
    expect((await w.people.anna.agent.get(`/community/spaces/${w.keys.tools}`)).status).to.equal(200);
    expect((await w.people.tom.agent.get(`/community/spaces/${w.keys.tools}`)).status).to.equal(200);
    expect((await w.people.ali.agent.get(`/community/spaces/${w.keys.tools}`)).status).to.equal(403);
    w.progress.set(w.people.ali.id, 'tools-methoden', 'failed');
    expect((await w.people.ali.agent.get(`/community/spaces/${w.keys.tools}`)).status).to.equal(200);
    expect((await w.people.anna.agent.get('/community/spaces/module-kein-modul')).status).to.equal(403);
  });

  it('opens the Lotsen community to current learners, not to someone outside every cohort', async () => {
    expect((await w.people.berta.agent.get('/community/spaces/lotsen')).status).to.equal(200);
    expect((await w.people.otto.agent.get('/community/spaces/lotsen')).status).to.equal(403);
  });

  it("lists exactly the viewer's spaces on /community", async () => {
    const res = await w.people.anna.agent.get('/community');
    expect(res.status).to.equal(200);
    const links = [...res.text.matchAll(/href="\/community\/spaces\/([^"]+)"/g)].map((m) => m[1]).sort();
    expect(links).to.deep.equal([w.keys.a, w.keys.lotsen, w.keys.mentor, w.keys.tools, w.keys.session].sort());
    const berta = await w.people.berta.agent.get('/community');
    expect(berta.text).not.to.contain(w.keys.a);
    expect(berta.text).to.contain(w.keys.b);
  });

  it('refuses a key that is no space (as every malformed id), and sends anonymous visitors to the login', async () => {
    const bad = await w.people.anna.agent.get('/api/community/spaces/nix/threads');
    expect(bad.status).to.equal(400);
    expect(JSON.stringify(bad.body)).to.contain('Diesen Raum gibt es nicht.');
    const anon = await w.app.agent().get(`/community/spaces/${w.keys.a}`);
    expect(anon.status).to.equal(302);
    expect(anon.headers.location).to.match(/^\/login/);
  });

  it('searches only the spaces one belongs to', async () => {
    await newThread(w.people.berta, w.keys.b, 'Pfalz intern', 'Das Stichwort Zwiebelkuchen (nur B)');
    await newThread(w.people.ali, w.keys.a, 'Saar intern', 'Auch hier Zwiebelkuchen (nur A)');
    const forAnna = (await w.people.anna.agent.get('/api/community/search?q=zwiebelkuchen')).body as { results: Array<{ title: string }> };
    expect(forAnna.results.map((r) => r.title)).to.deep.equal(['Saar intern']);
    const forBerta = (await w.people.berta.agent.get('/api/community/search?q=Zwiebelkuchen')).body as { results: Array<{ title: string }> };
    expect(forBerta.results.map((r) => r.title)).to.deep.equal(['Pfalz intern']);
    const page = await w.people.anna.agent.get('/community/search?q=(nur');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Saar intern');
    expect(page.text).not.to.contain('Pfalz intern');
  });
});
