import { expect } from 'chai';
import { publishQ1Modules } from '../qualification/helpers.ts';
import { buildCommunity, type CommunityWorld, type Member } from './helpers.ts';

/** Issue #20: the module Q&A linked from the player page. */
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
});
