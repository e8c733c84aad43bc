import { expect } from 'chai';
import { publish, slugOf } from '../results/helpers.ts';
import { buildRooms, post, roomWithGuests, WEEK, type RoomsWorld } from './helpers.ts';

describe('rooms: the port the public results read (src/results/ports.ts RoomsPort)', function () {
  this.timeout(120_000);
  let w: RoomsWorld;
  let room: Awaited<ReturnType<typeof roomWithGuests>>;
  const port = () => w.app.running.app.rooms.resultsPort;
  before(async () => {
    w = await buildRooms();
    room = await roomWithGuests(w, { title: 'Schnittstellen im Bau', topic: 'Schnittstellenmanagement' });
    const start = w.clock.now().getTime();
    for (const [i, key] of room.dateKeys.entries()) {
      w.clock.travelTo(new Date(start + (i + 1) * WEEK + 3600_000));
      expect(
        (await post(w.lotse, `/experimentierraeume/${room.roomId}/termine/${key}/anwesenheit`, { attended: [room.bauer.id, room.meyer.id] })).status,
      ).to.equal(303);
      if (i !== 2) {
        await post(w.lotse, `/experimentierraeume/${room.roomId}/ergebnisse/${key}`, {
          tried: `Versuch ${i + 1}`,
          worked: `Klappte ${i + 1}`,
          nextSteps: `Weiter ${i + 1}`,
        });
      }
    }
  });
  after(async () => w.app.stop());

  it('returns the figures of a finished room and its board per date held, in date order', async () => {
    const s = await port().summarySource(room.roomId);
    expect(s).to.include({ roomId: room.roomId, title: 'Schnittstellen im Bau', topic: 'Schnittstellenmanagement', region: 'saarland', status: 'finished' });
    expect(s!.datesHeld).to.equal(4);
    expect(s!.participantCount).to.equal(2);
    expect(s!.companyCount).to.equal(2);
    expect(s!.trades.sort()).to.deep.equal(['Elektrohandwerk', 'Tischlerhandwerk']);
    expect(s!.companySizes.sort()).to.deep.equal(['1-9', '10-49']);
    expect(s!.heldFrom!.getTime()).to.be.below(s!.heldUntil!.getTime());
    expect(s!.results.map((r) => [r.dateIndex, r.tried])).to.deep.equal([
      [0, 'Versuch 1'],
      [1, 'Versuch 2'],
      [3, 'Versuch 4'],
    ]);
    expect(await port().summarySource('0123456789abcdef01234567')).to.equal(undefined);
  });

  it('names every participant, lead, co-moderator and expert in personalTerms', async () => {
    const terms = (await port().summarySource(room.roomId))!.personalTerms;
    for (const t of [
      room.bauer.name,
      room.bauer.email,
      'Tischlerei Bauer',
      room.meyer.name,
      room.meyer.email,
      'Meyer Elektro GmbH',
      w.lotse.name,
      w.lotse.email,
      w.colotse.name,
      w.colotse.email,
      'Dr. Erika Expertin',
      'erika@experten.example',
    ]) {
      expect(terms, t).to.include(t);
    }
  });

  it('says who leads a room and lists a Lotse’s practice', async () => {
    expect(await port().leads(room.roomId, w.lotse.id)).to.equal(true);
    expect(await port().leads(room.roomId, w.colotse.id)).to.equal(true);
    expect(await port().leads(room.roomId, room.bauer.id)).to.equal(false);
    const practice = await port().practiceOf(w.colotse.id);
    expect(practice.map((p) => [p.roomId, p.status, p.datesHeld, p.companyCount])).to.deep.equal([[room.roomId, 'finished', 4, 2]]);
    expect(await port().practiceOf(w.learner.id)).to.deep.equal([]);
  });

  it('lets the lead publish the finished room through the app as wired (no stand-in), with no participant in the public page', async () => {
    const guestPage = await room.bauer.agent.get(`/experimentierraeume/${room.roomId}/veroeffentlichen`);
    expect(guestPage.status).to.equal(403);
    const form = await w.lotse.agent.get(`/experimentierraeume/${room.roomId}/veroeffentlichen`);
    expect(form.status).to.equal(200);
    expect(form.text).to.contain('Versuch 4');
    const done = await publish(w.lotse.agent, room.roomId, { title: 'Schnittstellen im Bau' });
    expect(done.status, done.text).to.equal(303);
    const detail = await w.app.agent().get(`/ergebnisse/${slugOf(done.headers.location)}`);
    expect(detail.status).to.equal(200);
    expect(detail.text).to.contain('Schnittstellen im Bau').and.contain('Klappte 2');
    for (const personal of [room.bauer.name, room.meyer.name, 'Tischlerei Bauer', 'Meyer Elektro GmbH', w.lotse.name, room.roomId])
      expect(detail.text).not.to.contain(personal);
    expect((await w.app.agent().get('/ergebnisse?q=schnittstellen')).text).to.contain('Schnittstellen im Bau');
  });
});
