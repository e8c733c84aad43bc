import { expect } from 'chai';
import { SHARED_VERB } from '../../src/community/records.ts';
import { buildCommunity, type CommunityWorld, type Member } from './helpers.ts';

describe('community: the Reflecting Team journals', function () {
  this.timeout(120_000);
  let w: CommunityWorld;
  const journal = (m: Member) => m.agent.get(`/community/journal/${w.session.id}`);
  const write = (m: Member, markdown: string, sharing = 'private') =>
    m.agent.post(`/community/journal/${w.session.id}/entries`).type('form').send({ _csrf: m.csrf, markdown, sharing });
  before(async () => {
    w = await buildCommunity();
    // Ali joins the session too, so that both can keep a journal; Tanja forms their team
    const q = w.app.running.app.qualification.service;
    const { verifyPrerequisites } = await import('../qualification/helpers.ts');
    await verifyPrerequisites(w.app, w.people.ali.id);
    await q.registration.register(w.people.ali.id, w.session.id);
    const team = await w.people.tanja.agent
      .post(`/trainer/community/cohorts/${w.cohortA.id}/teams`)
      .type('form')
      .send({ _csrf: w.people.tanja.csrf, name: 'Team Saar', memberIds: [w.people.anna.id, w.people.ali.id] });
    expect(team.status).to.equal(303);
  });
  after(async () => w.app.stop());

  it('lets only the cohort trainer form teams, of the cohort learners', async () => {
    const byTom = await w.people.tom.agent
      .post(`/trainer/community/cohorts/${w.cohortA.id}/teams`)
      .type('form')
      .send({ _csrf: w.people.tom.csrf, name: 'Fremd', memberIds: [w.people.anna.id] });
    expect(byTom.status).to.equal(403);
    const stranger = await w.people.tanja.agent
      .post(`/trainer/community/cohorts/${w.cohortA.id}/teams`)
      .type('form')
      .send({ _csrf: w.people.tanja.csrf, name: 'Mit Berta', memberIds: [w.people.berta.id] });
    expect(stranger.status).to.equal(400);
    const page = await w.people.tanja.agent.get(`/trainer/community/cohorts/${w.cohortA.id}/teams`);
    expect(page.text).to.contain('Team Saar');
    expect(page.text).not.to.contain('Mit Berta');
  });

  it('keeps an entry private by default: nobody but the author reads it', async () => {
    expect((await write(w.people.anna, 'Meine *private* Reflexion')).status).to.equal(303);
    expect((await journal(w.people.anna)).text).to.contain('Meine <em>private</em> Reflexion');
    for (const m of [w.people.ali, w.people.tanja, w.people.mia, w.people.berta])
      expect((await journal(m)).text, m.name).not.to.contain('private</em> Reflexion');
  });

  it('shares with the team: team members and the trainer read and comment, others not; a "shared" statement is stored', async () => {
    expect((await write(w.people.anna, 'Fürs Team: was mir schwerfiel', 'team')).status).to.equal(303);
    for (const m of [w.people.ali, w.people.tanja]) expect((await journal(m)).text, m.name).to.contain('Fürs Team: was mir schwerfiel');
    for (const m of [w.people.mia, w.people.berta, w.people.tom]) expect((await journal(m)).text, m.name).not.to.contain('Fürs Team');
    const id = /id="entry-([a-f0-9]{24})"[\s\S]*?Fürs Team/.exec((await journal(w.people.ali)).text)?.[1];
    expect(id).to.be.a('string');
    const c = await w.people.ali.agent
      .post(`/community/journal/entries/${id}/comments`)
      .type('form')
      .send({ _csrf: w.people.ali.csrf, markdown: 'Kenne ich gut!' });
    expect(c.status).to.equal(303);
    expect((await journal(w.people.anna)).text).to.contain('Kenne ich gut!');
    const byBerta = await w.people.berta.agent
      .post(`/community/journal/entries/${id}/comments`)
      .type('form')
      .send({ _csrf: w.people.berta.csrf, markdown: 'rein' });
    expect(byBerta.status).to.equal(404);
    const statements = (await w.app.running.app.lrs.service.getStatements({ verb: SHARED_VERB, limit: 10 } as never)).statements as Array<{
      object: { id: string };
    }>;
    expect(statements.map((s) => s.object.id)).to.deep.equal([`${w.app.running.ctx.publicUrl()}/community/journal/entries/${id}`]);
  });

  it('shares with the mentor: only the mentor reads it besides the author', async () => {
    expect((await write(w.people.anna, 'Für Mia allein', 'mentor')).status).to.equal(303);
    expect((await journal(w.people.mia)).text).to.contain('Für Mia allein');
    for (const m of [w.people.ali, w.people.tanja]) expect((await journal(m)).text, m.name).not.to.contain('Für Mia allein');
  });

  it('lets only participants write, and shows the trainer prompt', async () => {
    expect((await write(w.people.berta, 'nicht dabei')).status).to.equal(403);
    const p = await w.people.tanja.agent
      .post(`/trainer/community/sessions/${w.session.id}/prompt`)
      .type('form')
      .send({ _csrf: w.people.tanja.csrf, text: 'Was nehmen Sie mit?' });
    expect(p.status).to.equal(303);
    expect((await journal(w.people.anna)).text).to.contain('Was nehmen Sie mit?');
    expect(
      (await w.people.tom.agent.post(`/trainer/community/sessions/${w.session.id}/prompt`).type('form').send({ _csrf: w.people.tom.csrf, text: 'fremd' }))
        .status,
    ).to.equal(403);
  });
});
