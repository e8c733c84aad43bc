import { expect } from 'chai';
import { login } from '../support/test-app.ts';
import { buildRooms, mailedLink, openRoom, post, registerGuest, shareLink, type Person, type RoomsWorld } from './helpers.ts';

describe('rooms: inviting companies, guest accounts and what guests see', function () {
  this.timeout(120_000);
  let w: RoomsWorld;
  let roomId: string;
  let otherRoom: string;
  let bauer: Person;
  let meyer: Person;
  before(async () => {
    w = await buildRooms();
    roomId = await openRoom(w.lotse, { capacity: '2' });
    otherRoom = await openRoom(w.colotse, { title: 'Homeoffice im Handwerk', topic: 'Homeoffice' });
  });
  after(async () => w.app.stop());

  it('invites by e-mail (German mail with a personal link); the invited person registers as a guest with consent', async () => {
    const res = await post(w.lotse, `/experimentierraeume/${roomId}/einladungen`, { emails: 'bauer@tischlerei-bauer.example' });
    expect(res.status).to.equal(303);
    const mail = await mailedLink(w.app, 'bauer@tischlerei-bauer.example');
    expect(mail.subject).to.equal('Einladung in den Experimentierraum „Datenschutz im Betrieb“');
    expect(mail.text).to.contain('Lea Lotsin lädt Sie und Ihren Betrieb');
    expect(mail.text).to.contain('/datenschutz');
    const page = await w.app.agent().get(mail.path);
    expect(page.text).to.contain('href="/datenschutz"');
    expect(page.text).to.contain('value="bauer@tischlerei-bauer.example"');
    const data = {
      name: 'Bernd Bauer',
      email: 'bauer@tischlerei-bauer.example',
      company: 'Tischlerei Bauer',
      companyRole: 'Inhaber',
      trade: 'Tischlerhandwerk',
      companySize: '1-9',
    };
    // without the consent box: refused, no account
    const refused = await registerGuest(w.app, mail.path, data, false);
    expect(refused.res.status).to.equal(400);
    expect(await w.app.running.app.accounts.service.findUsersByEmails([data.email])).to.have.length(0);
    const { res: done, guest } = await registerGuest(w.app, mail.path, data);
    expect(done.status).to.equal(303);
    expect(done.headers.location).to.equal(`/experimentierraeume/${roomId}`);
    bauer = guest!;
    const [account] = await w.app.running.app.accounts.service.findUsersByEmails([data.email]);
    expect(account!.roles).to.deep.equal(['guest']);
    expect(account!.organisation).to.equal('Tischlerei Bauer');
    const consents = await w.app.running.connection.db!.collection('privacy_consents').find({ userId: bauer.id }).toArray();
    expect(consents.map((c) => c.kind)).to.deep.equal(['privacy-notice']);
    // the personal link is used up for anyone else; a made-up one opens nothing
    expect((await w.app.agent().get(mail.path)).status).to.equal(410);
    expect((await registerGuest(w.app, mail.path, { ...data, email: 'zweite@example.org' })).res.status).to.equal(410);
    expect((await w.app.agent().get('/experimentierraeume/einladung/abcdefghijklmnopqrstuvwxyz012345')).status).to.equal(404);
  });

  it('shows the invitations form again with the bad address named', async () => {
    const res = await post(w.lotse, `/experimentierraeume/${roomId}/einladungen`, { emails: 'kein-at-zeichen' });
    expect(res.status).to.equal(400);
    expect(res.text).to.contain('Bitte geben Sie gültige E-Mail-Adressen an');
    expect(res.text).to.contain('kein-at-zeichen</textarea>');
    expect((await post(w.colotse, `/experimentierraeume/${roomId}/einladungen`, { emails: 'x@example.org' })).status).to.equal(403);
  });

  it('registers a second company through the shareable link; a renewed link replaces the old one', async () => {
    const old = await shareLink(w.lotse, roomId);
    const path = await shareLink(w.lotse, roomId);
    expect(path).not.to.equal(old);
    expect((await w.app.agent().get(old)).status).to.equal(404);
    const { res, guest } = await registerGuest(w.app, path, {
      name: 'Mara Meyer',
      email: 'meyer@meyer-elektro.example',
      company: 'Meyer Elektro GmbH',
      trade: 'Elektrohandwerk',
      companySize: '10-49',
    });
    expect(res.status).to.equal(303);
    meyer = guest!;
    const page = await w.lotse.agent.get(`/experimentierraeume/${roomId}`);
    expect(page.text).to.contain('Bernd Bauer (Tischlerei Bauer)');
    expect(page.text).to.contain('Mara Meyer (Meyer Elektro GmbH)');
  });

  it('enforces the capacity: a third company finds the room full', async () => {
    const path = await shareLink(w.lotse, roomId);
    const page = await w.app.agent().get(path);
    expect(page.text).to.contain('Dieser Experimentierraum ist voll');
    const { res } = await registerGuest(w.app, path, {
      name: 'Zoe Zu-Spät',
      email: 'zoe@example.org',
      company: 'Zu Spät KG',
      trade: 'Handel',
      companySize: '1-9',
    });
    expect(res.status).to.equal(409);
    expect(await w.app.running.app.accounts.service.findUsersByEmails(['zoe@example.org'])).to.have.length(0);
  });

  it('closes the shareable link: it opens nothing any more', async () => {
    const path = await shareLink(w.lotse, roomId);
    expect((await post(w.lotse, `/experimentierraeume/${roomId}/einladungen/link`, { action: 'close' })).status).to.equal(303);
    expect((await w.app.agent().get(path)).status).to.equal(404);
    expect((await w.lotse.agent.get(`/experimentierraeume/${roomId}/einladungen`)).text).to.contain('Der Anmeldelink ist geschlossen.');
  });

  it('lets an existing guest accept a second invitation: they just join', async () => {
    await post(w.colotse, `/experimentierraeume/${otherRoom}/einladungen`, { emails: bauer.email });
    const mail = await mailedLink(w.app, bauer.email);
    const page = await bauer.agent.get(mail.path);
    expect(page.text).to.contain('Dem Experimentierraum beitreten');
    const res = await post(bauer, `${mail.path}/beitreten`);
    expect(res.status).to.equal(303);
    const list = await bauer.agent.get('/experimentierraeume');
    expect(list.text).to.contain('Datenschutz im Betrieb');
    expect(list.text).to.contain('Homeoffice im Handwerk');
  });

  it('shows a guest only their rooms: another room is refused by page and API, the qualification entirely', async () => {
    // signing in again with the password set at registration lands on the rooms
    const again = w.app.agent();
    const signIn = await login(again, meyer.email, meyer.password);
    expect(signIn.status).to.equal(302);
    expect((await again.get(signIn.headers.location as string)).headers.location).to.equal('/experimentierraeume');
    const home = await meyer.agent.get('/');
    expect(home.status).to.equal(302);
    expect(home.headers.location).to.equal('/experimentierraeume');
    const list = await meyer.agent.get('/experimentierraeume');
    expect(list.text).to.contain('Datenschutz im Betrieb');
    expect(list.text).not.to.contain('Homeoffice im Handwerk');
    expect(list.text).not.to.contain('href="/dashboard"');
    const own = await meyer.agent.get(`/api/experimentierraeume/${roomId}`).set('Accept', 'application/json');
    expect(own.body.role).to.equal('participant');
    expect(own.body.room.experts).to.deep.equal([{ name: 'Dr. Erika Expertin', field: 'Datenschutzrecht' }]);
    expect(own.body.room).not.to.have.property('linkToken');
    expect((await meyer.agent.get(`/experimentierraeume/${otherRoom}`)).status).to.equal(403);
    expect((await meyer.agent.get(`/api/experimentierraeume/${otherRoom}`).set('Accept', 'application/json')).status).to.equal(403);
    expect((await meyer.agent.get(`/community/spaces/room-${otherRoom}`)).status).to.equal(403);
    // the dashboard (where the player's "Beenden" leads) sends a guest to their rooms
    const dashboard = await meyer.agent.get('/dashboard');
    expect([dashboard.status, dashboard.headers.location]).to.deep.equal([302, '/experimentierraeume']);
    for (const p of [
      '/path',
      '/sessions',
      '/certificates',
      '/timeline',
      '/community/spaces/lotsen',
      '/community/spaces/module-tools-methoden',
      '/api/qualification/eligibility',
    ]) {
      const res = await meyer.agent.get(p);
      expect(res.status, p).to.equal(403);
    }
    // their own room's space in the community works: threads and chat
    const space = await meyer.agent.get(`/community/spaces/room-${roomId}`);
    expect(space.status).to.equal(200);
    expect(space.text).to.contain('Experimentierraum Datenschutz im Betrieb');
    expect(space.text).to.contain(`href="/experimentierraeume/${roomId}">Zum Experimentierraum</a>`);
    const thread = await post(meyer, `/community/spaces/room-${roomId}/threads`, { title: 'Unsere Cookie-Banner', markdown: 'Wie macht ihr das?' });
    expect(thread.status).to.equal(303);
    expect((await bauer.agent.get(thread.headers.location as string)).status).to.equal(200);
    const chat = await meyer.agent
      .post(`/api/community/spaces/room-${roomId}/chat`)
      .set('X-CSRF-Token', meyer.csrf)
      .set('Accept', 'application/json')
      .send({ text: 'Hallo zusammen!' });
    expect(chat.status).to.equal(201);
    // the leads moderate the room's space, participants do not
    const threadPath = thread.headers.location as string;
    expect((await post(bauer, `${threadPath}/moderate`, { action: 'pin' })).status).to.equal(403);
    expect((await post(w.lotse, `${threadPath}/moderate`, { action: 'pin' })).status).to.equal(303);
  });
});
