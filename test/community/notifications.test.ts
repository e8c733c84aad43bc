import { expect } from 'chai';
import { outbox } from '../qualification/helpers.ts';
import { buildCommunity, newThread, reply, type CommunityWorld } from './helpers.ts';

describe('community: notifications in the app and by mail', function () {
  this.timeout(120_000);
  let w: CommunityWorld;
  const mailsTo = async (id: string) => {
    const email = (await w.app.running.app.accounts.service.findUsers([id]))[0]?.email;
    return (await outbox(w.app)).filter((m) => m.to === email);
  };
  before(async () => {
    w = await buildCommunity();
  });
  after(async () => w.app.stop());

  it('tells a mentioned member at once, in the app (badge, list) and by mail', async () => {
    const id = await newThread(w.people.anna, w.keys.a, 'Frage an Ali', 'Hallo @Ali Aydin, hast du die Folien?');
    const page = await w.people.ali.agent.get('/community');
    expect(page.text).to.match(/<a class="nav-unread" href="\/community\/notifications">1 ungelesen<\/a>/);
    const list = await w.people.ali.agent.get('/community/notifications');
    expect(list.text).to.contain('Anna Arendt hat Sie erwähnt: Frage an Ali');
    expect(list.text).to.contain(`/community/threads/${id}`);
    const mails = await mailsTo(w.people.ali.id);
    expect(mails.map((m) => m.subject)).to.deep.equal(['Anna Arendt hat Sie erwähnt: Frage an Ali']);
    expect(mails[0]!.text).to.contain(`/community/threads/${id}`);
    // the author is not told of her own post, Berta (another cohort) is never a candidate
    expect((await w.people.anna.agent.get('/community')).text).not.to.contain('class="nav-unread"');
    expect((await w.people.ali.agent.post('/community/notifications/read').type('form').send({ _csrf: w.people.ali.csrf })).status).to.equal(303);
    expect((await w.people.ali.agent.get('/community')).text).not.to.contain('class="nav-unread"');
  });

  it('mails the mentor at once when the mentee writes in their space', async () => {
    await newThread(w.people.anna, w.keys.mentor, 'Wie war dein Q2?', 'Ich brauche Rat.');
    const mails = await mailsTo(w.people.mia.id);
    expect(mails.map((m) => m.subject)).to.deep.equal(['Neue Nachricht im Mentoring von Anna Arendt: Wie war dein Q2?']);
  });

  it('keeps replies for the daily digest: one mail with everything, sent once', async () => {
    const id = await newThread(w.people.ali, w.keys.a, 'Termine', 'Wann treffen wir uns?');
    expect((await reply(w.people.anna, id, 'Montag?')).status).to.equal(303);
    expect((await reply(w.people.tanja, id, 'Dienstag!')).status).to.equal(303);
    const before = (await mailsTo(w.people.ali.id)).length;
    const notifications = w.app.running.app.community.service.notifications;
    expect(await notifications.sendDigest()).to.be.at.least(1);
    const mails = (await mailsTo(w.people.ali.id)).slice(before);
    expect(mails.map((m) => m.subject)).to.deep.equal(['Austausch: 2 Neuigkeiten']);
    expect(mails[0]!.text).to.contain('Anna Arendt hat geantwortet: Termine');
    expect(mails[0]!.text).to.contain('Tanja Trainerin hat geantwortet: Termine');
    await notifications.sendDigest();
    expect((await mailsTo(w.people.ali.id)).length).to.equal(before + 1);
  });

  it('honours the switches in the profile', async () => {
    const profile = await w.people.ali.agent.get('/profile');
    expect(profile.text).to.contain('id="notify-immediate"');
    const res = await w.people.ali.agent.post('/community/notifications/settings').type('form').send({ _csrf: w.people.ali.csrf, digest: 'on' });
    expect(res.status).to.equal(303);
    expect((await w.people.ali.agent.get('/profile')).text).to.match(/id="notify-immediate"(?![^>]*checked)/);
    const before = (await mailsTo(w.people.ali.id)).length;
    await newThread(w.people.anna, w.keys.a, 'Nochmal Ali', '@Ali Aydin schau mal');
    expect((await mailsTo(w.people.ali.id)).length).to.equal(before);
    expect((await w.people.ali.agent.get('/community/notifications')).text).to.contain('Anna Arendt hat Sie erwähnt: Nochmal Ali');
  });
});
