import { expect } from 'chai';
import { communityPrivacy } from '../../src/community/privacy.ts';
import { buildCommunity, newThread, reply, sendChat, type CommunityWorld } from './helpers.ts';

describe('community: export and erasure of a member', function () {
  this.timeout(120_000);
  let w: CommunityWorld;
  let answered: string;
  let lonely: string;
  let othersThread: string;
  before(async () => {
    w = await buildCommunity();
    const { anna, ali } = w.people;
    answered = await newThread(anna, w.keys.a, 'Treffen?', 'Wer kommt?');
    expect((await reply(ali, answered, 'Ich!')).status).to.equal(303);
    lonely = await newThread(anna, w.keys.a, 'Niemand antwortet', 'Leer');
    // Ali reads it: his mark of a thread that goes with her goes too
    expect((await ali.agent.get(`/community/threads/${lonely}`)).status).to.equal(200);
    othersThread = await newThread(ali, w.keys.a, 'Folien', 'Hier');
    expect((await reply(anna, othersThread, 'Danke, Ali')).status).to.equal(303);
    expect((await sendChat(anna, w.keys.a, 'Moin')).status).to.equal(201);
    const [post] = ((await anna.agent.get(`/api/community/threads/${othersThread}`)).body as { posts: Array<{ id: string }> }).posts;
    await anna.agent.post(`/community/posts/${post!.id}/report`).type('form').send({ _csrf: anna.csrf, reason: 'Test' });
  });
  after(async () => w.app.stop());

  it('exports her threads, posts, reports and chat messages', async () => {
    const files = new Map<string, unknown>();
    await communityPrivacy(w.app.running.connection).export(
      { id: w.people.anna.id } as never,
      { json: (name: string, v: unknown) => files.set(name, v) } as never,
    );
    expect([...files.keys()].sort()).to.deep.equal([
      'anhaenge.json',
      'beitraege.json',
      'benachrichtigungen.json',
      'benachrichtigungs-einstellungen.json',
      'chat.json',
      'gelesen.json',
      'hilfreich.json',
      'meldungen.json',
      'reflecting-teams.json',
      'reflexion-impulse.json',
      'reflexion-kommentare.json',
      'reflexionstagebuch.json',
      'themen.json',
    ]);
    expect((files.get('themen.json') as unknown[]).length).to.equal(2);
    expect((files.get('beitraege.json') as Array<{ markdown: string }>).map((p) => p.markdown).sort()).to.deep.equal(['Danke, Ali', 'Leer', 'Wer kommt?']);
    expect((files.get('chat.json') as Array<{ text: string }>).map((m) => m.text)).to.deep.equal(['Moin']);
    expect((files.get('meldungen.json') as unknown[]).length).to.equal(1);
    // she opened Ali's thread (replying to it) and wrote two of her own
    expect((files.get('gelesen.json') as Array<{ threadId: string }>).map((m) => m.threadId).sort()).to.deep.equal([answered, lonely, othersThread].sort());
  });

  it('erases: answered conversations stay with "ehemaliges Mitglied", the rest goes, nothing names her', async () => {
    await communityPrivacy(w.app.running.connection).erase({ id: w.people.anna.id } as never, { reference: 'L-1' } as never);
    const ali = w.people.ali;
    const kept = (await ali.agent.get(`/api/community/threads/${answered}`)).body as {
      thread: { authorName: string };
      posts: Array<{ authorName: string; html: string }>;
    };
    expect(kept.thread.authorName).to.equal('ehemaliges Mitglied');
    expect(kept.posts.map((p) => [p.authorName, p.html])).to.deep.equal([
      ['ehemaliges Mitglied', '<p>Wer kommt?</p>'],
      ['Ali Aydin', '<p>Ich!</p>'],
    ]);
    expect((await ali.agent.get(`/community/threads/${lonely}`)).status).to.equal(404);
    expect(await w.app.running.connection.db!.collection('community_read_marks').countDocuments({ threadId: lonely })).to.equal(0);
    const theirs = (await ali.agent.get(`/api/community/threads/${othersThread}`)).body as { posts: Array<{ authorName: string }> };
    expect(theirs.posts.map((p) => p.authorName)).to.deep.equal(['Ali Aydin', 'ehemaliges Mitglied']);
    const chat = (await ali.agent.get(`/api/community/spaces/${w.keys.a}/chat`)).body as { messages: unknown[] };
    expect(chat.messages).to.deep.equal([]);
    const db = w.app.running.connection.db!;
    for (const c of [
      'community_threads',
      'community_posts',
      'community_reports',
      'community_chat_messages',
      'community_notifications',
      'community_read_marks',
    ]) {
      const hits = await db
        .collection(c)
        .find({ $or: [{ authorId: w.people.anna.id }, { reporterId: w.people.anna.id }, { userId: w.people.anna.id }, { actorId: w.people.anna.id }] })
        .toArray();
      expect(hits, c).to.deep.equal([]);
    }
  });
});
