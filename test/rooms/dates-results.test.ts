import { expect } from 'chai';
import { ATTENDED_VERB, SHARED_VERB, roomRegistration } from '../../src/rooms/records.ts';
import { buildRooms, openRoom, post, registerGuest, roomForm, shareLink, WEEK, type Person, type RoomsWorld } from './helpers.ts';

const HOUR = 3600_000;

describe('rooms: dates, attendance, the results board and their xAPI statements', function () {
  this.timeout(120_000);
  let w: RoomsWorld;
  let roomId: string;
  let dateKeys: string[];
  let bauer: Person;
  let meyer: Person;
  const api = (p: Person, id = roomId) => p.agent.get(`/api/experimentierraeume/${id}`).set('Accept', 'application/json');
  const statements = async (verb: string) =>
    (await w.app.running.app.lrs.service.getStatements({ verb, limit: 100 } as never)).statements as Array<{
      actor: { account: { name: string } };
      result?: { success: boolean };
      context: { registration: string };
      object: { id: string };
    }>;
  before(async () => {
    w = await buildRooms();
    roomId = await openRoom(w.lotse, { coModeratorEmails: w.colotse.email });
    const path = await shareLink(w.lotse, roomId);
    bauer = (
      await registerGuest(w.app, path, { name: 'Bernd Bauer', email: 'bauer@example.org', company: 'Tischlerei Bauer', trade: 'Tischler', companySize: '1-9' })
    ).guest!;
    meyer = (
      await registerGuest(w.app, path, { name: 'Mara Meyer', email: 'meyer@example.org', company: 'Meyer Elektro', trade: 'Elektro', companySize: '10-49' })
    ).guest!;
    dateKeys = ((await api(w.lotse)).body as { dates: Array<{ key: string }> }).dates.map((d) => d.key);
  });
  after(async () => w.app.stop());

  it('lets participants register and unregister per date; leads cannot register', async () => {
    expect((await post(bauer, `/experimentierraeume/${roomId}/termine/${dateKeys[0]}/anmeldung`, { action: 'register' })).status).to.equal(303);
    expect((await post(meyer, `/experimentierraeume/${roomId}/termine/${dateKeys[0]}/anmeldung`, { action: 'register' })).status).to.equal(303);
    expect((await post(meyer, `/experimentierraeume/${roomId}/termine/${dateKeys[0]}/anmeldung`, { action: 'unregister' })).status).to.equal(303);
    expect((await post(w.lotse, `/experimentierraeume/${roomId}/termine/${dateKeys[0]}/anmeldung`, { action: 'register' })).status).to.equal(409);
    const dates = (await api(bauer)).body.dates as Array<{ registered: boolean; registeredCount: number }>;
    expect(dates[0]!.registered).to.equal(true);
    expect(dates[0]!.registeredCount).to.equal(1);
    expect(((await api(meyer)).body.dates as Array<{ registered: boolean }>)[0]!.registered).to.equal(false);
  });

  it('refuses attendance and results before the date has begun', async () => {
    expect((await post(w.lotse, `/experimentierraeume/${roomId}/termine/${dateKeys[0]}/anwesenheit`, { attended: bauer.id })).status).to.equal(409);
    expect((await post(w.lotse, `/experimentierraeume/${roomId}/ergebnisse/${dateKeys[0]}`, { tried: 'x' })).status).to.equal(409);
  });

  it('records attendance after the date: an "attended" statement per participant; the date is held and the room runs', async () => {
    w.clock.advance(WEEK + 2 * HOUR);
    // registration closes when the date begins
    expect((await post(meyer, `/experimentierraeume/${roomId}/termine/${dateKeys[0]}/anmeldung`, { action: 'register' })).status).to.equal(409);
    const sheet = await w.lotse.agent.get(`/experimentierraeume/${roomId}/termine/${dateKeys[0]}/anwesenheit`);
    expect(sheet.status).to.equal(200);
    expect(sheet.text).to.contain('Bernd Bauer (Tischlerei Bauer) – angemeldet');
    expect((await bauer.agent.get(`/experimentierraeume/${roomId}/termine/${dateKeys[0]}/anwesenheit`)).status).to.equal(403);
    const res = await post(w.lotse, `/experimentierraeume/${roomId}/termine/${dateKeys[0]}/anwesenheit`, { attended: [bauer.id, meyer.id] });
    expect(res.status).to.equal(303);
    const attended = await statements(ATTENDED_VERB);
    expect(attended.map((s) => s.actor.account.name).sort()).to.deep.equal([bauer.id, meyer.id].sort());
    expect(attended.every((s) => s.result?.success === true && s.context.registration === roomRegistration(roomId))).to.equal(true);
    expect(attended[0]!.object.id).to.match(new RegExp(`/experimentierraeume/${roomId}/termine/${dateKeys[0]}$`));
    const room = (await api(w.lotse)).body as { status: string; dates: Array<{ heldAt: string | null; attendedCount: number }> };
    expect(room.status).to.equal('running');
    expect(room.dates[0]!.attendedCount).to.equal(2);
    expect((await api(bauer)).body.dates[0].attended).to.equal(true);
    // once a date is held the room can no longer be edited
    expect((await post(w.lotse, `/experimentierraeume/${roomId}/bearbeiten`, roomForm())).status).to.equal(409);
  });

  it('lets only the leads write the results board; each save is a "shared" statement; participants read it', async () => {
    const refused = await post(bauer, `/experimentierraeume/${roomId}/ergebnisse/${dateKeys[0]}`, { tried: 'Passwortmanager', worked: '', nextSteps: '' });
    expect(refused.status).to.equal(403);
    expect((await post(w.admin, `/experimentierraeume/${roomId}/ergebnisse/${dateKeys[0]}`, { tried: 'x' })).status).to.equal(403);
    const saved = await post(w.colotse, `/experimentierraeume/${roomId}/ergebnisse/${dateKeys[0]}`, {
      tried: 'Passwortmanager im Team',
      worked: 'Gemeinsamer Tresor je Betrieb',
      nextSteps: 'Zwei-Faktor-Anmeldung einführen',
    });
    expect(saved.status).to.equal(303);
    const shared = await statements(SHARED_VERB);
    expect(shared.map((s) => s.actor.account.name)).to.deep.equal([w.colotse.id]);
    expect(shared[0]!.context.registration).to.equal(roomRegistration(roomId));
    const board = await bauer.agent.get(`/experimentierraeume/${roomId}/ergebnisse`);
    expect(board.text).to.contain('Gemeinsamer Tresor je Betrieb');
    expect(board.text).not.to.contain('<textarea');
  });

  it('finishes the room: not before four dates are held, then by the lead; the publish link appears', async () => {
    expect((await post(w.lotse, `/experimentierraeume/${roomId}/abschliessen`)).status).to.equal(409);
    for (const key of dateKeys.slice(1, 3)) {
      w.clock.advance(WEEK);
      expect((await post(w.lotse, `/experimentierraeume/${roomId}/termine/${key}/anwesenheit`, { attended: bauer.id })).status).to.equal(303);
    }
    expect((await api(w.lotse)).body.status).to.equal('running');
    expect((await w.lotse.agent.get(`/experimentierraeume/${roomId}`)).text).not.to.contain('/veroeffentlichen');
    // the last date held: all dates are held, the room finishes by itself
    w.clock.advance(WEEK);
    const last = await post(w.lotse, `/experimentierraeume/${roomId}/termine/${dateKeys[3]}/anwesenheit`, { attended: [meyer.id] });
    expect(last.status).to.equal(303);
    expect((await api(w.lotse)).body.status).to.equal('finished');
    const page = await w.lotse.agent.get(`/experimentierraeume/${roomId}`);
    expect(page.text).to.contain(`href="/experimentierraeume/${roomId}/veroeffentlichen"`);
    expect((await bauer.agent.get(`/experimentierraeume/${roomId}`)).text).not.to.contain('/veroeffentlichen');
    const absent = (await statements(ATTENDED_VERB)).filter((s) => s.result?.success === false);
    expect(absent).to.have.length(3);
  });

  it('lets the lead finish a room with more dates once four are held', async () => {
    w.clock.reset();
    const id = await openRoom(w.lotse, {}, 5);
    const keys = ((await api(w.lotse, id)).body as { dates: Array<{ key: string }> }).dates.map((d) => d.key);
    for (const key of keys.slice(0, 4)) {
      w.clock.advance(WEEK);
      expect((await post(w.lotse, `/experimentierraeume/${id}/termine/${key}/anwesenheit`, {})).status).to.equal(303);
    }
    expect((await api(w.lotse, id)).body.status).to.equal('running');
    expect((await post(w.colotse, `/experimentierraeume/${id}/abschliessen`)).status).to.equal(403);
    expect((await post(w.lotse, `/experimentierraeume/${id}/abschliessen`)).status).to.equal(303);
    expect((await api(w.lotse, id)).body.status).to.equal('finished');
  });
});
