import { expect } from 'chai';
import { EVIDENCE_PDF, publishQ1Modules } from '../qualification/helpers.ts';
import { buildRooms, openRoom, post, roomWithGuests, type Person, type RoomsWorld } from './helpers.ts';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

describe('rooms: materials of the Lotse', function () {
  this.timeout(120_000);
  let w: RoomsWorld;
  let roomId: string;
  let bauer: Person;
  let meyer: Person;
  let moduleIds: Map<string, string>;
  const upload = (p: Person, bytes: Buffer, name: string) =>
    p.agent
      .post(`/experimentierraeume/${roomId}/materialien/dateien?_csrf=${encodeURIComponent(p.csrf)}`)
      .field('title', 'Checkliste Datenschutz')
      .attach('file', bytes, name);
  before(async () => {
    w = await buildRooms();
    ({ roomId, bauer, meyer } = await roomWithGuests(w));
  });
  after(async () => w.app.stop());

  it('stores a PDF of a lead and serves it to the room’s participants only', async () => {
    const res = await upload(w.lotse, EVIDENCE_PDF, 'checkliste.pdf');
    expect(res.status).to.equal(303);
    const page = await bauer.agent.get(`/experimentierraeume/${roomId}/materialien`);
    const href = /href="(\/community\/files\/[a-f0-9]{24})"/.exec(page.text)?.[1];
    expect(href, page.text.slice(0, 2000)).to.be.a('string');
    expect(page.text).to.contain('Checkliste Datenschutz');
    const file = await bauer.agent.get(href!).buffer(true);
    expect(file.status).to.equal(200);
    expect(file.headers['content-type']).to.equal('application/pdf');
    expect((await w.learner.agent.get(href!)).status).to.equal(403);
  });

  it('deletes the stored file when the lead removes the document; a participant cannot remove it', async () => {
    const res = await w.lotse.agent
      .post(`/experimentierraeume/${roomId}/materialien/dateien?_csrf=${encodeURIComponent(w.lotse.csrf)}`)
      .field('title', 'Altes Protokoll')
      .attach('file', EVIDENCE_PDF, 'alt.pdf');
    expect(res.status).to.equal(303);
    const list = (await w.lotse.agent.get(`/experimentierraeume/${roomId}/materialien`)).text;
    const href = /href="(\/community\/files\/[a-f0-9]{24})"[^>]*>Altes Protokoll/.exec(list)?.[1];
    const remove = /action="(\/experimentierraeume\/[a-f0-9]{24}\/materialien\/[a-f0-9]{24}\/loeschen)"(?:(?!<\/form>)[\s\S])*Altes Protokoll/.exec(list)?.[1];
    expect(href, list.slice(list.indexOf('room-materials'), list.indexOf('room-materials') + 3000)).to.be.a('string');
    expect(remove).to.be.a('string');
    const stored = w.app.running.connection.db!.collection('community_files.files');
    const before = await stored.countDocuments();
    expect((await post(bauer, remove!)).status).to.equal(403);
    expect(await stored.countDocuments()).to.equal(before);
    expect((await post(w.lotse, remove!)).status).to.equal(303);
    expect(await stored.countDocuments()).to.equal(before - 1);
    expect((await bauer.agent.get(href!)).status).to.equal(404);
  });

  it('refuses files by their bytes, files over 5 MB, and uploads of participants', async () => {
    const svg = await upload(w.lotse, Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'bild.pdf');
    expect(svg.status).to.equal(415);
    expect(svg.text).to.contain('Nur Bilder (PNG, JPEG) und PDF-Dateien');
    const big = await upload(w.lotse, Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024 + 1)]), 'gross.png');
    expect(big.status).to.equal(413);
    expect((await upload(bauer, PNG, 'x.png')).status).to.equal(403);
  });

  it('adds links and published modules; guests see a module’s title and description with its "Starten"', async () => {
    expect(
      (await post(w.lotse, `/experimentierraeume/${roomId}/materialien/links`, { title: 'DSGVO-Leitfaden', url: 'https://www.example.org/dsgvo' })).status,
    ).to.equal(303);
    expect((await post(w.lotse, `/experimentierraeume/${roomId}/materialien/links`, { title: 'Böse', url: 'javascript:alert(1)' })).status).to.equal(400);
    expect((await post(bauer, `/experimentierraeume/${roomId}/materialien/links`, { title: 'Meins', url: 'https://example.org' })).status).to.equal(403);
    // unpublished: refused; published: recommended
    expect((await post(w.lotse, `/experimentierraeume/${roomId}/materialien/module`, { slug: 'technik' })).status).to.equal(400);
    moduleIds = await publishQ1Modules(w.app);
    expect((await post(w.lotse, `/experimentierraeume/${roomId}/materialien/module`, { slug: 'technik' })).status).to.equal(303);
    const page = await bauer.agent.get(`/experimentierraeume/${roomId}/materialien`);
    expect(page.text).to.contain('href="https://www.example.org/dsgvo"');
    expect(page.text).to.contain('<strong>Q1 · Technik</strong>');
    expect(page.text).to.contain('<form class="inline" method="post" action="/player/modules/technik/start">');
    expect(page.text).to.contain('>Starten</button>');
    // a Lotse (a learner) gets the way to the module
    const lead = await w.lotse.agent.get(`/experimentierraeume/${roomId}/materialien`);
    expect(lead.text).to.contain('<a href="/dashboard">Q1 · Technik</a>');
  });

  it('lets a guest start and play a module their room lists, and nothing else of the qualification', async () => {
    // listed in this room: the start leads to the guest's own attempt, whose page and scripts open
    const start = await post(bauer, '/player/modules/technik/start');
    expect(start.status, start.text.slice(0, 300)).to.equal(303);
    const attemptPath = /^\/player\/attempts\/[a-f0-9]{24}$/.exec(start.headers.location as string)?.[0];
    expect(attemptPath, start.headers.location as string).to.be.a('string');
    const player = await bauer.agent.get(attemptPath!);
    expect(player.status, player.text.slice(0, 300)).to.equal(200);
    expect(player.text).to.contain('Q1 · Technik');
    expect((await bauer.agent.get('/player/assets/scorm-again.js')).status).to.equal(200);
    const attempt = (await w.app.running.app.player.repo.findAttempt(attemptPath!.split('/').pop()!))!;
    expect([attempt.learnerId, attempt.moduleSlug, Boolean(attempt.preview)]).to.deep.equal([bauer.id, 'technik', false]);
    // "Fortsetzen": the same attempt again
    expect((await post(bauer, '/player/modules/technik/start')).headers.location).to.equal(attemptPath);
    // the player opens only one's own attempts: another guest of the same room is refused
    expect((await meyer.agent.get(attemptPath!)).status).to.equal(403);

    // a module no room of theirs lists, by slug or by id; one that only another room lists
    expect((await post(bauer, '/player/modules/megatrends/start')).status).to.equal(403);
    expect((await post(bauer, `/player/modules/${moduleIds.get('technik')!}/start`)).status).to.equal(403);
    const other = await openRoom(w.colotse, { title: 'Ein anderer Raum' });
    expect((await post(w.colotse, `/experimentierraeume/${other}/materialien/module`, { slug: 'tools-methoden' })).status).to.equal(303);
    expect((await post(bauer, '/player/modules/tools-methoden/start')).status).to.equal(403);

    // the qualification stays closed; the player's "Beenden" (the dashboard) leads a guest to the rooms
    for (const path of ['/path', '/certificates', '/sessions', '/player/preview/' + attempt.versionId]) {
      const res = path.startsWith('/player') ? await post(bauer, path) : await bauer.agent.get(path);
      expect(res.status, path).to.equal(403);
    }
    const dashboard = await bauer.agent.get('/dashboard');
    expect([dashboard.status, dashboard.headers.location]).to.deep.equal([302, '/experimentierraeume']);
    // the material removed: no new start
    const list = (await w.lotse.agent.get(`/experimentierraeume/${roomId}/materialien`)).text;
    const remove = /action="(\/experimentierraeume\/[a-f0-9]{24}\/materialien\/[a-f0-9]{24}\/loeschen)"(?:(?!<\/form>)[\s\S])*Q1 · Technik/.exec(list)?.[1];
    expect(remove, list.slice(list.indexOf('room-materials'), list.indexOf('room-materials') + 3000)).to.be.a('string');
    expect((await post(w.lotse, remove!)).status).to.equal(303);
    expect((await post(bauer, '/player/modules/technik/start')).status).to.equal(403);
  });
});
