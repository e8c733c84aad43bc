import { expect } from 'chai';
import { roomsPrivacy } from '../../src/rooms/privacy.ts';
import { scanDatabase } from '../privacy/scan.ts';
import { buildRooms, post, roomWithGuests, WEEK, type RoomsWorld } from './helpers.ts';

describe('rooms: export and erasure of a guest and of a Lotse', function () {
  this.timeout(120_000);
  let w: RoomsWorld;
  let room: Awaited<ReturnType<typeof roomWithGuests>>;
  const subject = (p: { id: string; email: string; name: string }) => ({ id: p.id, email: p.email, name: p.name, agentKeys: [] });
  before(async () => {
    w = await buildRooms();
    room = await roomWithGuests(w);
    await post(room.bauer, `/experimentierraeume/${room.roomId}/termine/${room.dateKeys[0]}/anmeldung`, { action: 'register' });
    w.clock.advance(WEEK + 3600_000);
    await post(w.lotse, `/experimentierraeume/${room.roomId}/termine/${room.dateKeys[0]}/anwesenheit`, { attended: [room.bauer.id] });
    await post(w.lotse, `/experimentierraeume/${room.roomId}/ergebnisse/${room.dateKeys[0]}`, {
      tried: 'Cloud-Ablage',
      worked: 'Ordnerstruktur',
      nextSteps: 'Rechte klären',
    });
  });
  after(async () => w.app.stop());

  it('is in the privacy register, erased after the qualification and before the accounts', async () => {
    const order = w.app.running.app.privacy.registry.entries.map((e) => e.component);
    expect(order).to.include('rooms');
    expect(order.indexOf('rooms')).to.be.above(order.indexOf('qualification'));
    expect(order[order.length - 1]).to.equal('accounts');
  });

  it('exports a guest’s company profile, places, registrations and attendance', async () => {
    const files = new Map<string, unknown>();
    await roomsPrivacy(w.app.running.connection).export(subject(room.bauer), { json: (n: string, v: unknown) => files.set(n, v), file: () => {} });
    expect((files.get('betriebsprofil.json') as { company: string }).company).to.equal('Tischlerei Bauer');
    expect((files.get('teilnahmen.json') as Array<{ roomId: string }>).map((m) => m.roomId)).to.deep.equal([room.roomId]);
    const regs = files.get('terminanmeldungen-und-anwesenheit.json') as Array<{ registered: boolean; attended: boolean }>;
    expect(regs).to.have.length(1);
    expect(regs[0]).to.include({ registered: true, attended: true });
  });

  it('erases a guest: profile, place, registrations and attendance go; the room and its board stay', async () => {
    await roomsPrivacy(w.app.running.connection).erase(subject(room.bauer), { reference: 'L-1', now: new Date() });
    const db = w.app.running.connection.db!;
    for (const c of ['room_guest_profiles', 'room_members', 'room_date_registrations']) {
      expect(await db.collection(c).countDocuments({ $or: [{ userId: room.bauer.id }, { _id: room.bauer.id as never }] }), c).to.equal(0);
    }
    const page = await w.lotse.agent.get(`/experimentierraeume/${room.roomId}`);
    expect(page.text).not.to.contain('Bernd Bauer');
    expect(page.text).to.contain('Mara Meyer');
    const summary = await w.app.running.app.rooms.resultsPort.summarySource(room.roomId);
    expect(summary!.participantCount).to.equal(1);
    expect(summary!.personalTerms).not.to.include('Tischlerei Bauer');
  });

  it('erases a Lotse: the room and the board entries they made stay, as "ehemaliges Mitglied"', async () => {
    await roomsPrivacy(w.app.running.connection).erase(subject(w.lotse), { reference: 'L-2', now: new Date() });
    const db = w.app.running.connection.db!;
    expect(await db.collection('rooms').countDocuments({ leadId: w.lotse.id })).to.equal(0);
    expect(await db.collection('room_results').countDocuments({ updatedBy: w.lotse.id })).to.equal(0);
    expect(await db.collection('room_results').countDocuments({ roomId: room.roomId })).to.equal(1);
    const admin = await w.admin.agent.get(`/experimentierraeume/${room.roomId}`);
    expect(admin.text).to.contain('ehemaliges Mitglied');
    // the co-moderator still leads it
    expect((await w.colotse.agent.get(`/api/experimentierraeume/${room.roomId}`).set('Accept', 'application/json')).body.role).to.equal('lead');
  });

  it('erases a guest completely through the privacy component: nothing in the database names them afterwards', async () => {
    const { meyer } = room;
    const thread = await post(meyer, `/community/spaces/room-${room.roomId}/threads`, { title: 'Frage von Mara', markdown: 'Wer nutzt Cloud-Telefonie?' });
    expect(thread.status).to.equal(303);
    const privacy = w.app.running.app.privacy.service;
    const request = await privacy.erasures.request({ id: meyer.id, roles: ['guest'] }, meyer.id);
    await privacy.erasures.confirm({ id: w.admin.id, roles: ['admin'] }, request.id);
    await privacy.erasures.settle();
    const hits = await scanDatabase(w.app.running.connection, [meyer.id, meyer.email, meyer.name]);
    expect(Object.fromEntries(hits)).to.deep.equal({});
    expect((await w.colotse.agent.get(`/experimentierraeume/${room.roomId}`)).text).not.to.contain('Mara Meyer');
  });
});
