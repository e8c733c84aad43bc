import { expect } from 'chai';
import { CHAT_RATE } from '../../src/community/chat.ts';
import { createCommunityRepository } from '../../src/community/repository.ts';
import { buildCommunity, openStream, sendChat, type CommunityWorld } from './helpers.ts';

interface Msg {
  id: string;
  text: string;
  authorName: string;
}

describe('community: the live chat', function () {
  this.timeout(120_000);
  let w: CommunityWorld;
  before(async () => {
    w = await buildCommunity();
  });
  after(async () => w.app.stop());

  it('delivers a message to every open stream of the space within a second', async () => {
    const streams = await Promise.all([w.people.ali, w.people.tanja, w.people.mia].map((m) => openStream(w.app, m, w.keys.a)));
    try {
      const t0 = Date.now();
      expect((await sendChat(w.people.anna, w.keys.a, 'Guten Morgen, Saar A!')).status).to.equal(201);
      for (const s of streams) {
        const [e] = await s.waitFor(1, 1000);
        expect(e, 'an event').to.exist;
        expect(e!.event).to.equal('message');
        expect(e!.data).to.include({ text: 'Guten Morgen, Saar A!', authorName: 'Anna Arendt' });
        expect(e!.id).to.equal((e!.data as Msg).id);
      }
      expect(Date.now() - t0).to.be.below(1000);
    } finally {
      for (const s of streams) s.close();
    }
  });

  it('sends a reconnecting stream what it missed after its Last-Event-ID, in order', async () => {
    const first = await sendChat(w.people.anna, w.keys.session, 'eins');
    const lastSeen = (first.body as { message: Msg }).message.id;
    await sendChat(w.people.tanja, w.keys.session, 'zwei');
    await sendChat(w.people.anna, w.keys.session, 'drei');
    const again = await openStream(w.app, w.people.anna, w.keys.session, lastSeen);
    try {
      const events = await again.waitFor(2, 1000);
      expect(events.map((e) => (e.data as Msg).text)).to.deep.equal(['zwei', 'drei']);
      await sendChat(w.people.tanja, w.keys.session, 'vier');
      expect((await again.waitFor(3, 1000)).map((e) => (e.data as Msg).text)).to.deep.equal(['zwei', 'drei', 'vier']);
    } finally {
      again.close();
    }
  });

  it('pages the history backwards, oldest first within a page', async () => {
    const key = w.keys.b;
    // arranged through the repository: 55 messages through the API would take the rate limit's time
    const repo = createCommunityRepository(w.app.running.connection);
    for (let i = 0; i < 55; i += 1)
      await repo.insertChat({ spaceKey: key, authorId: w.people.berta.id, text: `Nachricht ${i}`, hidden: false, at: new Date() });
    const page1 = (await w.people.tom.agent.get(`/api/community/spaces/${key}/chat`)).body as { messages: Msg[]; olderFrom?: string };
    expect(page1.messages).to.have.length(50);
    expect(page1.messages[0]!.text).to.equal('Nachricht 5');
    expect(page1.messages[49]!.text).to.equal('Nachricht 54');
    const page2 = (await w.people.tom.agent.get(`/api/community/spaces/${key}/chat?before=${page1.olderFrom}`)).body as { messages: Msg[]; olderFrom?: string };
    expect(page2.messages.map((m) => m.text)).to.deep.equal(['Nachricht 0', 'Nachricht 1', 'Nachricht 2', 'Nachricht 3', 'Nachricht 4']);
    expect(page2.olderFrom).to.equal(undefined);
  });

  it('refuses the eleventh message within ten seconds with 429 and Retry-After', async () => {
    const codes: number[] = [];
    for (let i = 0; i < CHAT_RATE.messages + 1; i += 1) codes.push((await sendChat(w.people.ali, w.keys.a, `schnell ${i}`)).status);
    expect(codes.slice(0, CHAT_RATE.messages).every((c) => c === 201)).to.equal(true);
    const last = await sendChat(w.people.ali, w.keys.a, 'zu schnell');
    expect(last.status).to.equal(429);
    expect(last.headers['retry-after']).to.equal('10');
    expect(last.body.error).to.equal('Bitte etwas langsamer: höchstens zehn Nachrichten in zehn Sekunden.');
  });

  it('lets the trainer hide a message: open streams are told, the history drops it, learners may not', async () => {
    const stream = await openStream(w.app, w.people.anna, w.keys.session);
    try {
      const sent = (await sendChat(w.people.anna, w.keys.session, 'versehentlich')).body as { message: Msg };
      await stream.waitFor(1, 1000);
      const byLearner = await w.people.anna.agent.post(`/api/community/chat/${sent.message.id}/hide`).set('X-CSRF-Token', w.people.anna.csrf);
      expect(byLearner.status).to.equal(403);
      const res = await w.people.tanja.agent.post(`/api/community/chat/${sent.message.id}/hide`).set('X-CSRF-Token', w.people.tanja.csrf);
      expect(res.status).to.equal(204);
      const events = await stream.waitFor(2, 1000);
      expect(events[1]).to.deep.include({ event: 'hidden', data: { id: sent.message.id } });
      const history = (await w.people.anna.agent.get(`/api/community/spaces/${w.keys.session}/chat`)).body as { messages: Msg[] };
      expect(history.messages.map((m) => m.text)).not.to.include('versehentlich');
    } finally {
      stream.close();
    }
  });

  it('has no chat in a module Q&A', async () => {
    expect((await sendChat(w.people.anna, w.keys.tools, 'hallo')).status).to.equal(404);
  });

  it('renders the chat with a live region on the Klassenzimmer page', async () => {
    const page = await w.people.anna.agent.get(`/community/spaces/${w.keys.a}`);
    expect(page.text).to.match(/<div[^>]*role="log"[^>]*aria-live="polite"[^>]*><ol[^>]*id="chat-log"/);
    expect(page.text).to.contain('/static/community-chat.js');
  });
});
