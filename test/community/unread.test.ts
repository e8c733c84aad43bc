import { expect } from 'chai';
import { buildCommunity, newThread, openStream, reply, sendChat, type CommunityWorld, type Member } from './helpers.ts';

interface ListedThread {
  id: string;
  unread: boolean;
  newPosts: number;
}

/** Issue #20, unread markers: per member and thread, per member and space; stored, never per process. */
describe('community: unread markers', function () {
  this.timeout(120_000);
  let w: CommunityWorld;
  let threadId: string;
  before(async () => {
    w = await buildCommunity();
    threadId = await newThread(w.people.anna, w.keys.a, 'Neu im Klassenzimmer', 'Wer hat die Folien?');
  });
  after(async () => w.app.stop());

  const listed = async (m: Member): Promise<ListedThread> => {
    const res = await m.agent.get(`/api/community/spaces/${w.keys.a}/threads`);
    expect(res.status, m.name).to.equal(200);
    return (res.body as { threads: ListedThread[] }).threads.find((t) => t.id === threadId)!;
  };
  /** The overview's unread count next to the Klassenzimmer ('' none shown). */
  const overviewCount = async (m: Member): Promise<string> => {
    const page = await m.agent.get('/community');
    expect(page.status).to.equal(200);
    const item = new RegExp(`href="/community/spaces/${w.keys.a}">[^<]*</a>( · <strong class="community-unread">([^<]*)</strong>)?`).exec(page.text);
    expect(item, 'the Klassenzimmer is listed').to.exist;
    return item![2] ?? '';
  };
  const marksOf = (userId: string) => w.app.running.connection.db!.collection('community_read_marks').find({ userId }).toArray();

  it('shows a new thread unread to the other members, not to its author, on the list and the overview', async () => {
    expect(await listed(w.people.ali)).to.include({ unread: true, newPosts: 1 });
    expect(await listed(w.people.tanja)).to.include({ unread: true, newPosts: 1 });
    expect(await listed(w.people.anna)).to.include({ unread: false, newPosts: 0 });
    expect(await overviewCount(w.people.ali)).to.equal('1 ungelesenes Thema');
    expect(await overviewCount(w.people.anna)).to.equal('');
    const space = await w.people.ali.agent.get(`/community/spaces/${w.keys.a}`);
    expect(space.text).to.match(
      /<li class="unread"><a href="\/community\/threads\/[a-f0-9]{24}">Neu im Klassenzimmer<\/a> · <strong class="community-unread">neu: 1 Beitrag<\/strong>/,
    );
  });

  it('marks the thread read for the one who opens it; the other member still sees it unread', async () => {
    expect((await w.people.ali.agent.get(`/community/threads/${threadId}`)).status).to.equal(200);
    expect(await listed(w.people.ali)).to.include({ unread: false, newPosts: 0 });
    expect(await overviewCount(w.people.ali)).to.equal('');
    expect(await listed(w.people.tanja)).to.include({ unread: true, newPosts: 1 });
    expect(await overviewCount(w.people.tanja)).to.equal('1 ungelesenes Thema');
  });

  it('makes a read thread unread again with a new reply, counting the new posts; not for the one who replied', async () => {
    expect((await reply(w.people.tanja, threadId, 'Die Folien liegen im Kurs.')).status).to.equal(303);
    expect((await reply(w.people.anna, threadId, 'Danke!')).status).to.equal(303);
    expect(await listed(w.people.ali)).to.include({ unread: true, newPosts: 2 });
    // Tanja replied after opening nothing: the thread counts as read up to her reply, Anna's is new
    expect(await listed(w.people.tanja)).to.include({ unread: true, newPosts: 1 });
    expect(await listed(w.people.anna)).to.include({ unread: false, newPosts: 0 });
    expect((await w.people.ali.agent.get(`/api/community/threads/${threadId}`)).status).to.equal(200);
    expect(await listed(w.people.ali)).to.include({ unread: false });
  });

  it('gives a non-member nothing: no list, no thread, no mark stored, no space on the overview', async () => {
    const berta = w.people.berta;
    expect((await berta.agent.get(`/api/community/spaces/${w.keys.a}/threads`)).status).to.equal(403);
    expect((await berta.agent.get(`/community/threads/${threadId}`)).status).to.equal(403);
    expect((await berta.agent.get(`/community/spaces/${w.keys.a}`)).status).to.equal(403);
    expect(await marksOf(berta.id)).to.deep.equal([]);
    expect((await berta.agent.get('/community')).text).not.to.contain(w.keys.a);
  });

  it("shows the chat's new messages since the last visit with a divider, and none on the next visit", async () => {
    const key = w.keys.session;
    const visit = async () => (await w.people.tanja.agent.get(`/community/spaces/${key}`)).text;
    expect((await sendChat(w.people.anna, key, 'Erste')).status).to.equal(201);
    await visit();
    expect(await visit()).not.to.contain('chat-divider');
    expect((await sendChat(w.people.anna, key, 'Zweite')).status).to.equal(201);
    expect((await sendChat(w.people.anna, key, 'Dritte')).status).to.equal(201);
    const page = await visit();
    expect(page).to.contain('<p class="chat-news">2 neue Nachrichten seit Ihrem letzten Besuch</p>');
    // the divider stands right before the first new message
    expect(page).to.match(
      /Erste<\/span>.*<li class="chat-divider">neue Nachrichten<\/li><li id="msg-[a-f0-9]{24}"[^>]*><span class="chat-author">Anna Arendt<\/span>: <span class="chat-text">Zweite/,
    );
    const again = await visit();
    expect(again).not.to.contain('chat-divider');
    expect(again).not.to.contain('chat-news');
  });

  it('counts what an open stream delivered as seen when it closes', async () => {
    const key = w.keys.session;
    await w.people.tanja.agent.get(`/community/spaces/${key}`);
    const stream = await openStream(w.app, w.people.tanja, key);
    expect((await sendChat(w.people.anna, key, 'Live gesehen')).status).to.equal(201);
    expect(await stream.waitFor(1, 1000)).to.have.length(1);
    stream.close();
    const until = Date.now() + 2000;
    do {
      await new Promise((r) => setTimeout(r, 50));
      const [mark] = await w.app.running.connection
        .db!.collection('community_read_marks')
        .find({ userId: w.people.tanja.id, spaceKey: key, threadId: '' })
        .toArray();
      if (mark?.seenChatId === stream.events[0]!.id) break;
    } while (Date.now() < until);
    const page = (await w.people.tanja.agent.get(`/community/spaces/${key}`)).text;
    expect(page).not.to.contain('chat-news');
    // a message that came after the stream closed is new
    expect((await sendChat(w.people.anna, key, 'Danach')).status).to.equal(201);
    expect((await w.people.tanja.agent.get(`/community/spaces/${key}`)).text).to.contain('1 neue Nachricht seit Ihrem letzten Besuch');
  });
});
