import { expect } from 'chai';
import { buildRooms, openRoom, post, roomForm, shareLink, type RoomsWorld } from './helpers.ts';

describe('rooms: opening and editing an Experimentierraum', function () {
  this.timeout(120_000);
  let w: RoomsWorld;
  before(async () => {
    w = await buildRooms();
  });
  after(async () => w.app.stop());

  it('lets a certified Lotse open a room with four dates, and shows it on the list', async () => {
    const id = await openRoom(w.lotse);
    const page = await w.lotse.agent.get(`/experimentierraeume/${id}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Datenschutz im Betrieb');
    expect(page.text).to.contain('Termin 4:');
    expect(page.text).to.contain('Dr. Erika Expertin (Datenschutzrecht)');
    const list = await w.lotse.agent.get('/experimentierraeume');
    expect(list.text).to.contain(`/experimentierraeume/${id}`);
    expect(list.text).to.contain('Experimentierraum eröffnen');
    const api = await w.lotse.agent.get(`/api/experimentierraeume/${id}`).set('Accept', 'application/json');
    expect(api.body.status).to.equal('planned');
    expect(api.body.dates).to.have.length(4);
    expect(api.body.role).to.equal('lead');
  });

  it('refuses an uncertified learner and a Lotse whose certificate is revoked', async () => {
    for (const p of [w.learner, w.revoked]) {
      const res = await post(p, '/experimentierraeume', roomForm());
      expect(res.status, p.name).to.equal(403);
      expect(res.text).to.contain('nur zertifizierte Lotsinnen und Lotsen');
      expect((await p.agent.get('/experimentierraeume/neu')).status).to.equal(403);
      expect((await p.agent.get('/experimentierraeume')).text).not.to.contain('href="/experimentierraeume/neu"');
    }
  });

  it('requires at least four dates, each with an address or a link', async () => {
    const three = await post(w.lotse, '/experimentierraeume', roomForm({}, 3));
    expect(three.status).to.equal(400);
    expect(three.text).to.contain('mindestens vier Termine');
    const noLink = await post(w.lotse, '/experimentierraeume', roomForm({ 'dates[1][place]': 'kein Link' }));
    expect(noLink.status).to.equal(400);
    expect(noLink.text).to.contain('Für einen virtuellen Termin brauchen wir den Link');
  });

  it('takes certified co-moderators only, who then lead the room too', async () => {
    const bad = await post(w.lotse, '/experimentierraeume', roomForm({ coModeratorEmails: w.learner.email }));
    expect(bad.status).to.equal(400);
    expect(bad.text).to.contain(`${w.learner.email} ist keine zertifizierte Lotsin`);
    const id = await openRoom(w.lotse, { coModeratorEmails: w.colotse.email });
    const api = await w.colotse.agent.get(`/api/experimentierraeume/${id}`).set('Accept', 'application/json');
    expect(api.body.role).to.equal('lead');
    expect((await w.colotse.agent.get(`/experimentierraeume/${id}/bearbeiten`)).status).to.equal(200);
    // another certified Lotse who is not in it sees nothing
    expect((await w.learner.agent.get(`/experimentierraeume/${id}`)).status).to.equal(403);
  });

  it('edits the room while it is planned; only its leads may', async () => {
    const id = await openRoom(w.lotse);
    const edited = await post(w.lotse, `/experimentierraeume/${id}/bearbeiten`, roomForm({ title: 'Datenschutz praktisch' }));
    expect(edited.status).to.equal(303);
    expect((await w.lotse.agent.get(`/experimentierraeume/${id}`)).text).to.contain('Datenschutz praktisch');
    expect((await post(w.colotse, `/experimentierraeume/${id}/bearbeiten`, roomForm())).status).to.equal(403);
    // admins see every room, but do not edit it
    expect((await w.admin.agent.get(`/experimentierraeume/${id}`)).status).to.equal(200);
    expect((await post(w.admin, `/experimentierraeume/${id}/bearbeiten`, roomForm())).status).to.equal(403);
  });

  it('offers "Experimentierräume" in the navigation to certified Lotsen and admins, not to other learners', async () => {
    const nav = (html: string) => html.includes('<a href="/experimentierraeume"');
    // the answer is kept for a quarter of an hour per session (these sessions began before the certificates)
    w.clock.advance(16 * 60_000);
    expect(nav((await w.lotse.agent.get('/profile')).text)).to.equal(true);
    expect(nav((await w.admin.agent.get('/profile')).text)).to.equal(true);
    expect(nav((await w.learner.agent.get('/profile')).text)).to.equal(false);
    expect(nav((await w.revoked.agent.get('/profile')).text)).to.equal(false);
    w.clock.reset();
  });

  it('has every text in English too (no key shows through)', async () => {
    const id = await openRoom(w.lotse);
    const key = ((await w.lotse.agent.get(`/api/experimentierraeume/${id}`).set('Accept', 'application/json')).body as { dates: Array<{ key: string }> })
      .dates[0]!.key;
    const invitation = await shareLink(w.lotse, id);
    const visitor = await w.app.agent().get(`${invitation}?lng=en`);
    expect(visitor.text).to.contain('Register as a guest');
    expect(/rooms:[a-zA-Z]|>[a-z]+\.[a-zA-Z.]+</.exec(visitor.text)?.[0]).to.equal(undefined);
    for (const p of [
      `/experimentierraeume/${id}/termine/${key}/anwesenheit`,
      '/experimentierraeume',
      '/experimentierraeume/neu',
      `/experimentierraeume/${id}`,
      `/experimentierraeume/${id}/ergebnisse`,
      `/experimentierraeume/${id}/materialien`,
      `/experimentierraeume/${id}/einladungen`,
    ]) {
      const res = await w.lotse.agent.get(`${p}?lng=en`);
      expect(res.status, p).to.equal(200);
      expect(/rooms:[a-zA-Z]|>[a-z]+\.[a-zA-Z.]+</.exec(res.text)?.[0], p).to.equal(undefined);
    }
    const res = await w.admin.agent.get('/admin/experimentierraeume?lng=en');
    expect(res.text).to.contain('Experimentierräume – overview');
    expect(/rooms:[a-zA-Z]/.test(res.text)).to.equal(false);
  });
});
