import { expect } from 'chai';
import { getBytes } from '../certificates/helpers.ts';
import { unzip } from '../support/unzip.ts';
import { buildRooms, openRoom, post, roomWithGuests, WEEK, type RoomsWorld } from './helpers.ts';

describe('rooms: the provider’s overview and its exports', function () {
  this.timeout(120_000);
  let w: RoomsWorld;
  let saar: string;
  before(async () => {
    w = await buildRooms();
    const room = await roomWithGuests(w, { title: 'Agil im Saarland', topic: 'Agiles Management' });
    saar = room.roomId;
    w.clock.advance(WEEK + 3600_000);
    expect(
      (await post(w.lotse, `/experimentierraeume/${saar}/termine/${room.dateKeys[0]}/anwesenheit`, { attended: [room.bauer.id, room.meyer.id] })).status,
    ).to.equal(303);
    w.clock.reset();
    await openRoom(w.colotse, { title: 'Werkzeuge am Rhein', topic: 'digitale Werkzeuge', region: 'rhein-ruhr' });
  });
  after(async () => w.app.stop());

  it('lists every room with region, topic, status, dates held and planned, participants and companies', async () => {
    const page = await w.admin.agent.get('/admin/experimentierraeume');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Agil im Saarland');
    expect(page.text).to.contain('Werkzeuge am Rhein');
    const row = /<tr><td><a href="\/experimentierraeume\/[a-f0-9]{24}">Agil im Saarland<\/a><\/td>(.*?)<\/tr>/.exec(page.text)![1]!;
    expect(row).to.contain('<td>Lea Lotsin</td><td>Saarland</td><td>Agiles Management</td><td>läuft</td><td>1 von 4 gehalten</td><td>2</td><td>2</td>');
    const filtered = await w.admin.agent.get('/admin/experimentierraeume?region=rhein-ruhr');
    expect(filtered.text).to.contain('Werkzeuge am Rhein');
    expect(filtered.text).not.to.contain('Agil im Saarland');
    const year = new Date(Date.now() + WEEK).getFullYear();
    expect((await w.admin.agent.get(`/admin/experimentierraeume?year=${year + 3}`)).text).to.contain('Keine Experimentierräume für diese Auswahl.');
  });

  it('exports the overview as CSV and XLSX with German headers, for admins only', async () => {
    const csv = await w.admin.agent.get('/admin/experimentierraeume/export.csv?region=saarland');
    expect(csv.status).to.equal(200);
    expect(csv.headers['content-type']).to.match(/^text\/csv/);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).to.equal('Titel;Lotse/Lotsin;Region;Thema;Status;Termine gehalten;Termine geplant;Teilnehmende;Betriebe;Erster Termin;Jahr');
    expect(lines).to.have.length(2);
    expect(lines[1]).to.match(/^Agil im Saarland;Lea Lotsin;Saarland;Agiles Management;läuft;1;4;2;2;/);
    const xlsx = await getBytes(w.admin.agent, '/admin/experimentierraeume/export.xlsx');
    expect(xlsx.status).to.equal(200);
    const files = await unzip(xlsx.body);
    const strings = files.get('xl/sharedStrings.xml')?.toString('utf8') ?? '';
    expect(strings).to.contain('Termine gehalten');
    expect(strings).to.contain('Werkzeuge am Rhein');
    for (const p of [w.lotse, w.learner]) {
      expect((await p.agent.get('/admin/experimentierraeume')).status).to.equal(403);
      expect((await p.agent.get('/admin/experimentierraeume/export.csv')).status).to.equal(403);
    }
  });
});
