import { expect } from 'chai';
import { COMMENTED_VERB } from '../../src/community/records.ts';
import { buildCommunity, newThread, reply, type CommunityWorld } from './helpers.ts';

interface ApiPost {
  id: string;
  authorName: string;
  html: string;
  hidden: boolean;
  deleted: boolean;
}
const postsOf = async (m: CommunityWorld['people']['anna'], threadId: string) => {
  const res = await m.agent.get(`/api/community/threads/${threadId}`);
  return { status: res.status, posts: (res.body as { posts?: ApiPost[] }).posts ?? [], thread: (res.body as { thread?: Record<string, unknown> }).thread };
};

describe('community: threads, replies and moderation', function () {
  this.timeout(120_000);
  let w: CommunityWorld;
  before(async () => {
    w = await buildCommunity();
  });
  after(async () => w.app.stop());

  it('renders a hostile post sanitised on the page and in the API', async () => {
    const id = await newThread(
      w.people.anna,
      w.keys.a,
      'Frage zum Termin',
      'Hallo <script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)> **fett**',
    );
    const page = await w.people.ali.agent.get(`/community/threads/${id}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('<strong>fett</strong>');
    expect(page.text).not.to.contain('alert(1)');
    expect(page.text).not.to.contain('javascript:');
    expect(page.text).not.to.contain('onerror');
    const { posts } = await postsOf(w.people.ali, id);
    expect(posts).to.have.length(1);
    expect(posts[0]!.html).not.to.contain('<script');
    expect(posts[0]).not.to.have.property('markdown');
  });

  it('lets the author edit and delete her own post, and nobody else', async () => {
    const id = await newThread(w.people.anna, w.keys.a, 'Zum Bearbeiten', 'erste Fassung');
    const [first] = (await postsOf(w.people.anna, id)).posts;
    const byAli = await w.people.ali.agent.post(`/community/posts/${first!.id}/edit`).type('form').send({ _csrf: w.people.ali.csrf, markdown: 'gekapert' });
    expect(byAli.status).to.equal(403);
    const edit = await w.people.anna.agent
      .post(`/community/posts/${first!.id}/edit`)
      .type('form')
      .send({ _csrf: w.people.anna.csrf, markdown: 'zweite _Fassung_' });
    expect(edit.status).to.equal(303);
    expect((await postsOf(w.people.ali, id)).posts[0]!.html).to.equal('<p>zweite <em>Fassung</em></p>');
    expect((await w.people.ali.agent.post(`/community/posts/${first!.id}/delete`).type('form').send({ _csrf: w.people.ali.csrf })).status).to.equal(403);
    expect((await w.people.anna.agent.post(`/community/posts/${first!.id}/delete`).type('form').send({ _csrf: w.people.anna.csrf })).status).to.equal(303);
    const after = (await postsOf(w.people.ali, id)).posts[0]!;
    expect(after.deleted).to.equal(true);
    expect(after.html).to.equal('');
    const page = await w.people.ali.agent.get(`/community/threads/${id}`);
    expect(page.text).to.contain('Dieser Beitrag wurde gelöscht.');
    expect(page.text).not.to.contain('zweite');
  });

  it('lets the trainer pin, lock and hide; a locked thread takes no learner replies; learners cannot moderate', async () => {
    const id = await newThread(w.people.ali, w.keys.a, 'Moderiert', 'Bitte anheften');
    const moderate = (m: CommunityWorld['people']['anna'], action: string) =>
      m.agent.post(`/community/threads/${id}/moderate`).type('form').send({ _csrf: m.csrf, action });
    expect((await moderate(w.people.ali, 'pin')).status).to.equal(403);
    expect((await moderate(w.people.tom, 'pin')).status).to.equal(403);
    expect((await moderate(w.people.tanja, 'pin')).status).to.equal(303);
    const list = (await w.people.anna.agent.get(`/api/community/spaces/${w.keys.a}/threads`)).body as { threads: Array<{ id: string; pinned: boolean }> };
    expect(list.threads[0]).to.include({ id, pinned: true });

    expect((await moderate(w.people.tanja, 'lock')).status).to.equal(303);
    const refused = await reply(w.people.anna, id, 'noch was');
    expect(refused.status).to.equal(409);
    expect(refused.text).to.contain('Dieses Thema ist geschlossen');
    expect((await reply(w.people.tanja, id, 'Schlusswort der Trainerin')).status).to.equal(303);

    expect((await moderate(w.people.tanja, 'hide')).status).to.equal(303);
    expect((await w.people.anna.agent.get(`/community/threads/${id}`)).status).to.equal(404);
    const forAnna = (await w.people.anna.agent.get(`/api/community/spaces/${w.keys.a}/threads`)).body as { threads: Array<{ id: string }> };
    expect(forAnna.threads.map((t) => t.id)).not.to.include(id);
    expect((await w.people.tanja.agent.get(`/community/threads/${id}`)).status).to.equal(200);
  });

  it('hides a single post from learners while the trainer still sees it marked', async () => {
    const id = await newThread(w.people.anna, w.keys.a, 'Mit Ausrutscher', 'Start');
    expect((await reply(w.people.ali, id, 'unpassender Beitrag')).status).to.equal(303);
    const bad = (await postsOf(w.people.tanja, id)).posts.find((p) => p.html.includes('unpassender'))!;
    expect(
      (await w.people.anna.agent.post(`/community/posts/${bad.id}/hide`).type('form').send({ _csrf: w.people.anna.csrf, hidden: 'true' })).status,
    ).to.equal(403);
    expect(
      (await w.people.tanja.agent.post(`/community/posts/${bad.id}/hide`).type('form').send({ _csrf: w.people.tanja.csrf, hidden: 'true' })).status,
    ).to.equal(303);
    expect((await postsOf(w.people.anna, id)).posts.map((p) => p.html)).to.deep.equal(['<p>Start</p>']);
    expect((await w.people.anna.agent.get(`/community/threads/${id}`)).text).not.to.contain('unpassender');
    const forTrainer = (await postsOf(w.people.tanja, id)).posts;
    expect(forTrainer.find((p) => p.id === bad.id)).to.include({ hidden: true });
  });

  it('records a report once per member and shows it to the moderators only', async () => {
    const id = await newThread(w.people.anna, w.keys.a, 'Gemeldet', 'fragwürdig');
    const [post] = (await postsOf(w.people.ali, id)).posts;
    for (let i = 0; i < 2; i += 1) {
      const res = await w.people.ali.agent.post(`/community/posts/${post!.id}/report`).type('form').send({ _csrf: w.people.ali.csrf, reason: 'beleidigend' });
      expect(res.status).to.equal(303);
    }
    const reports = await w.app.running.app.community.service.threads.reports({ id: w.people.tanja.id, roles: ['trainer'] }, w.keys.a);
    expect(reports.filter((r) => r.postId === post!.id).map((r) => ({ reporterId: r.reporterId, reason: r.reason }))).to.deep.equal([
      { reporterId: w.people.ali.id, reason: 'beleidigend' },
    ]);
    let refused: unknown;
    await w.app.running.app.community.service.threads.reports({ id: w.people.ali.id, roles: ['learner'] }, w.keys.a).catch((e: unknown) => (refused = e));
    expect(refused).to.have.property('kind', 'forbidden');
  });

  it('re-renders the form with a German field error for an empty title', async () => {
    const res = await w.people.anna.agent
      .post(`/community/spaces/${w.keys.a}/threads`)
      .type('form')
      .send({ _csrf: w.people.anna.csrf, title: 'x', markdown: '' });
    expect(res.status).to.equal(400);
    expect(res.text).to.contain('Bitte einen Titel mit mindestens drei Zeichen eingeben.');
    expect(res.text).to.contain('Bitte einen Text eingeben.');
  });

  it('stores a "commented" statement for a post in a module Q&A, none for the Klassenzimmer', async () => {
    const lrs = w.app.running.app.lrs.service;
    const count = async () => (await lrs.getStatements({ verb: COMMENTED_VERB, limit: 100 } as never)).statements.length;
    const before = await count();
    await newThread(w.people.anna, w.keys.a, 'Nur Klassenzimmer', 'kein Statement');
    expect(await count()).to.equal(before);
    const id = await newThread(w.people.anna, w.keys.tools, 'Frage zu Tools', 'Wie geht SWOT?');
    expect((await reply(w.people.tanja, id, 'So: Stärken, Schwächen …')).status).to.equal(303);
    const page = await lrs.getStatements({ verb: COMMENTED_VERB, limit: 100 } as never);
    const mine = page.statements.filter((s) => (s as { object: { id: string } }).object.id.endsWith(`/community/threads/${id}`));
    expect(mine).to.have.length(2);
    expect((mine[0] as { context: { contextActivities: { category: Array<{ id: string }> } } }).context.contextActivities.category[0]!.id).to.match(
      /\/modules\/tools-methoden$/,
    );
  });

  it('in a module Q&A: the asker accepts an answer, members mark posts "hilfreich" once; not in the Klassenzimmer', async () => {
    w.progress.set(w.people.ali.id, 'tools-methoden', 'in-progress');
    const id = await newThread(w.people.anna, w.keys.tools, 'SWOT oder PEST?', 'Was passt für den Einstieg?');
    expect((await reply(w.people.ali, id, 'SWOT, weil einfacher.')).status).to.equal(303);
    const answer = (await postsOf(w.people.anna, id)).posts[1]!;
    const post = (m: CommunityWorld['people']['anna'], path: string) =>
      m.agent.post(`/community/posts/${answer.id}/${path}`).type('form').send({ _csrf: m.csrf });
    expect((await post(w.people.ali, 'accept')).status).to.equal(403);
    expect((await post(w.people.anna, 'accept')).status).to.equal(303);
    expect((await post(w.people.ali, 'helpful')).status).to.equal(409);
    expect((await post(w.people.anna, 'helpful')).status).to.equal(303);
    expect((await post(w.people.tanja, 'helpful')).status).to.equal(303);
    const page = await w.people.ali.agent.get(`/community/threads/${id}`);
    expect(page.text).to.contain('✓ Akzeptierte Antwort');
    expect(page.text).to.contain('2-mal hilfreich');
    expect((await post(w.people.tanja, 'helpful')).status).to.equal(303);
    expect((await w.people.ali.agent.get(`/community/threads/${id}`)).text).to.contain('1-mal hilfreich');
    const classroom = await newThread(w.people.anna, w.keys.a, 'Im Klassenzimmer', 'Frage');
    expect((await reply(w.people.ali, classroom, 'Antwort')).status).to.equal(303);
    const inClass = (await postsOf(w.people.anna, classroom)).posts[1]!;
    expect((await w.people.anna.agent.post(`/community/posts/${inClass.id}/accept`).type('form').send({ _csrf: w.people.anna.csrf })).status).to.equal(409);
  });
});
