import { expect } from 'chai';
import { EVIDENCE_PDF, publishQ1Modules } from '../qualification/helpers.ts';
import { buildRooms, post, roomWithGuests, type Person, type RoomsWorld } from './helpers.ts';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

describe('rooms: materials of the Lotse', function () {
  this.timeout(120_000);
  let w: RoomsWorld;
  let roomId: string;
  let bauer: Person;
  const upload = (p: Person, bytes: Buffer, name: string) =>
    p.agent
      .post(`/experimentierraeume/${roomId}/materialien/dateien?_csrf=${encodeURIComponent(p.csrf)}`)
      .field('title', 'Checkliste Datenschutz')
      .attach('file', bytes, name);
  before(async () => {
    w = await buildRooms();
    ({ roomId, bauer } = await roomWithGuests(w));
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

  it('refuses files by their bytes, files over 5 MB, and uploads of participants', async () => {
    const svg = await upload(w.lotse, Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'bild.pdf');
    expect(svg.status).to.equal(415);
    expect(svg.text).to.contain('Nur Bilder (PNG, JPEG) und PDF-Dateien');
    const big = await upload(w.lotse, Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024 + 1)]), 'gross.png');
    expect(big.status).to.equal(413);
    expect((await upload(bauer, PNG, 'x.png')).status).to.equal(403);
  });

  it('adds links and published modules; guests see a module’s title and description and are told they cannot launch it', async () => {
    expect(
      (await post(w.lotse, `/experimentierraeume/${roomId}/materialien/links`, { title: 'DSGVO-Leitfaden', url: 'https://www.example.org/dsgvo' })).status,
    ).to.equal(303);
    expect((await post(w.lotse, `/experimentierraeume/${roomId}/materialien/links`, { title: 'Böse', url: 'javascript:alert(1)' })).status).to.equal(400);
    expect((await post(bauer, `/experimentierraeume/${roomId}/materialien/links`, { title: 'Meins', url: 'https://example.org' })).status).to.equal(403);
    // unpublished: refused; published: recommended
    expect((await post(w.lotse, `/experimentierraeume/${roomId}/materialien/module`, { slug: 'technik' })).status).to.equal(400);
    await publishQ1Modules(w.app);
    expect((await post(w.lotse, `/experimentierraeume/${roomId}/materialien/module`, { slug: 'technik' })).status).to.equal(303);
    const page = await bauer.agent.get(`/experimentierraeume/${roomId}/materialien`);
    expect(page.text).to.contain('href="https://www.example.org/dsgvo"');
    expect(page.text).to.contain('<strong>Q1 · Technik</strong>');
    expect(page.text).to.contain('Gäste können sie nicht starten');
    // a Lotse (a learner) gets the way to the module
    const lead = await w.lotse.agent.get(`/experimentierraeume/${roomId}/materialien`);
    expect(lead.text).to.contain('<a href="/dashboard">Q1 · Technik</a>');
  });
});
