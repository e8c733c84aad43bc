import { expect } from 'chai';
import { csrfFrom } from '../support/test-app.ts';
import { datenschutzRoom, publish, publishPath, slugOf, world, type Person, type World } from './helpers.ts';

/** Moderation of /ergebnisse: an admin withdraws any published summary (a complaint), with a reason in the audit trail. */
describe('results: an admin withdraws a published summary', function () {
  this.timeout(120_000);
  let w: World;
  let lotse: Person;
  let admin: Person;
  let slug: string;
  const withdraw = async (p: Person, body: Record<string, string>) => {
    const page = await p.agent.get(`/ergebnisse/${slug}`);
    return p.agent
      .post(`/ergebnisse/${slug}/zurueckziehen`)
      .type('form')
      .send({ _csrf: csrfFrom(page.status === 200 ? page.text : (await p.agent.get('/profile')).text), ...body });
  };
  before(async () => {
    w = await world();
    lotse = await w.person('Lena Lotsin');
    admin = await w.person('Ada Admin', ['admin']);
    w.rooms.add(datenschutzRoom('r-mod'), [lotse.id]);
    const res = await publish(lotse.agent, 'r-mod', { title: 'Datenschutz im Handwerk' });
    expect(res.status).to.equal(303);
    slug = slugOf(res.headers.location)!;
  });
  after(async () => w?.app.stop());

  it('offers the moderation form to admins only; the lead and visitors cannot use it', async () => {
    const page = await admin.agent.get(`/ergebnisse/${slug}`);
    expect(page.text).to.contain(`action="/ergebnisse/${slug}/zurueckziehen"`);
    expect(page.text).to.contain('<option value="complaint">Beschwerde</option>');
    expect((await lotse.agent.get(`/ergebnisse/${slug}`)).text).not.to.contain('zurueckziehen');
    expect((await w.app.agent().get(`/ergebnisse/${slug}`)).text).not.to.contain('zurueckziehen');
    expect((await withdraw(lotse, { reason: 'complaint' })).status).to.equal(403);
    const visitor = w.app.agent();
    const csrf = csrfFrom((await visitor.get('/login')).text);
    const anonymous = await visitor.post(`/ergebnisse/${slug}/zurueckziehen`).type('form').send({ _csrf: csrf, reason: 'complaint' });
    expect(anonymous.status).to.be.oneOf([302, 401, 403]);
    expect((await withdraw(admin, { reason: 'weil' })).status).to.equal(400);
    expect((await w.app.agent().get(`/ergebnisse/${slug}`)).status).to.equal(200);
  });

  it('withdraws at once with the reason in the audit trail; the lead sees it withdrawn by the moderation', async () => {
    const res = await withdraw(admin, { reason: 'complaint' });
    expect([res.status, res.headers.location]).to.deep.equal([303, '/ergebnisse']);
    expect((await w.app.agent().get(`/ergebnisse/${slug}`)).status).to.equal(410);
    expect((await w.app.agent().get('/api/ergebnisse')).body.items).to.deep.equal([]);
    const events = await w.app.running.app.privacy.audit.list({ action: 'results-withdraw' });
    expect(events.map((e) => [e.actorId, JSON.parse(String(e.details))])).to.deep.equal([[admin.id, { slug, reason: 'complaint' }]]);
    expect(events[0]!.targetId).to.match(/^[a-f0-9]{24}$/);
    const form = await lotse.agent.get(publishPath('r-mod'));
    expect(form.status).to.equal(200);
    expect(form.text).to.contain('von der Moderation zurückgezogen (Grund: Beschwerde)');
    // nothing left to withdraw
    expect((await withdraw(admin, { reason: 'complaint' })).status).to.equal(404);
    // the lead's own withdrawal says nothing of a moderation
    expect((await publish(lotse.agent, 'r-mod')).status).to.equal(303);
    const own = await lotse.agent
      .post('/experimentierraeume/r-mod/zurueckziehen')
      .type('form')
      .send({ _csrf: csrfFrom(form.text) });
    expect(own.status).to.equal(303);
    const after = (await lotse.agent.get(publishPath('r-mod'))).text;
    expect(after).to.contain('Diese Ergebnisse wurden zurückgezogen. Sie können sie erneut veröffentlichen.');
    expect(after).not.to.contain('Moderation');
  });
});
