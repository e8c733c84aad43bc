import { expect } from 'chai';
import { publishQ1Modules } from '../qualification/helpers.ts';
import { buildCommunity, type CommunityWorld, type Member } from './helpers.ts';

/** Issue #20: the module Q&A linked from the player page, the mentor found on /path. */
describe('community: links from the player page and the path', function () {
  this.timeout(120_000);
  let w: CommunityWorld;
  let moduleIds: Map<string, string>;
  before(async () => {
    w = await buildCommunity();
    moduleIds = await publishQ1Modules(w.app);
  });
  after(async () => w.app.stop());

  /** Starts the module through the dashboard's form and returns the player page. */
  async function playerPage(m: Member, slug: string) {
    const start = await m.agent
      .post(`/player/modules/${moduleIds.get(slug)}/start`)
      .type('form')
      .send({ _csrf: m.csrf, mode: 'resume' });
    expect(start.status, start.text.slice(0, 200)).to.equal(303);
    const page = await m.agent.get(start.headers.location as string);
    expect(page.status).to.equal(200);
    return page.text;
  }
  const qaLink = '<a class="player-link" href="/community/spaces/module-tools-methoden"';

  it("links the module's Q&A from the player page for a member of it", async () => {
    // Anna works on Tools + Methoden (her progress), so she belongs to its Q&A
    const html = await playerPage(w.people.anna, 'tools-methoden');
    expect(html).to.contain(qaLink);
    expect(html).to.contain('Fragen und Antworten zu diesem Modul (öffnet in neuem Tab)');
  });

  it('shows no Q&A link on the player page to someone who is no member of it', async () => {
    // Ali has no progress in the module (the records are a stand-in here): not a member yet
    const html = await playerPage(w.people.ali, 'tools-methoden');
    expect(html).to.contain('player-exit');
    expect(html).not.to.contain('/community/spaces/module-tools-methoden');
    expect((await w.people.ali.agent.get('/community/spaces/module-tools-methoden')).status).to.equal(403);
  });

  it("names the mentor on the learner's /path and links their private space", async () => {
    const page = await w.people.anna.agent.get('/path');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Ihre Mentorin oder Ihr Mentor: Mia Mentorin.');
    expect(page.text).to.contain(`<a href="/community/spaces/mentor-${w.people.anna.id}">Zum gemeinsamen Mentoring-Raum</a>`);
    // the link leads in
    expect((await w.people.anna.agent.get(`/community/spaces/mentor-${w.people.anna.id}`)).status).to.equal(200);
  });

  it("links the mentor from the mentee's path to the same space; no mentor, no link", async () => {
    const forMia = await w.people.mia.agent.get(`/path/${w.people.anna.id}`);
    expect(forMia.status).to.equal(200);
    expect(forMia.text).to.contain(`<a href="/community/spaces/mentor-${w.people.anna.id}">Zum gemeinsamen Mentoring-Raum mit Anna Arendt</a>`);
    // the trainer reads Anna's path too, but the mentor space is not hers
    const forTanja = await w.people.tanja.agent.get(`/path/${w.people.anna.id}`);
    expect(forTanja.status).to.equal(200);
    expect(forTanja.text).not.to.contain('/community/spaces/mentor-');
    const forAli = await w.people.ali.agent.get('/path');
    expect(forAli.status).to.equal(200);
    expect(forAli.text).not.to.contain('Ihre Mentorin oder Ihr Mentor:');
    expect(forAli.text).not.to.contain('/community/spaces/mentor-');
  });
});
