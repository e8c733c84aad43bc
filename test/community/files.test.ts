import { expect } from 'chai';
import { EVIDENCE_PDF } from '../qualification/helpers.ts';
import { buildCommunity, newThread, type CommunityWorld, type Member } from './helpers.ts';

/** A 1×1 PNG, built here (not an opaque fixture file). */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>');

describe('community: images and PDFs in posts', function () {
  this.timeout(120_000);
  let w: CommunityWorld;
  const upload = (m: Member, key: string, bytes: Buffer, name: string) =>
    m.agent
      .post(`/community/spaces/${key}/files?_csrf=${encodeURIComponent(m.csrf)}`)
      .set('Accept', 'application/json')
      .attach('file', bytes, name);
  before(async () => {
    w = await buildCommunity();
  });
  after(async () => w.app.stop());

  it('stores a PNG for a member, shows it in a post, and serves it to members only', async () => {
    const res = await upload(w.people.anna, w.keys.a, PNG, 'Tafelbild.png');
    expect(res.status).to.equal(201);
    const markdown = (res.body as { markdown: string }).markdown;
    expect(markdown).to.match(/^!\[Tafelbild\.png\]\(\/community\/files\/[a-f0-9]{24}\)$/);
    const url = /\((\/community\/files\/[a-f0-9]{24})\)/.exec(markdown)![1]!;
    const id = await newThread(w.people.anna, w.keys.a, 'Unser Tafelbild', markdown);
    expect((await w.people.ali.agent.get(`/community/threads/${id}`)).text).to.contain(`<img src="${url}" alt="Tafelbild.png" />`);
    const file = await w.people.ali.agent.get(url).buffer(true);
    expect(file.status).to.equal(200);
    expect(file.headers['content-type']).to.equal('image/png');
    expect(file.headers['x-content-type-options']).to.equal('nosniff');
    expect(Buffer.compare(file.body as Buffer, PNG)).to.equal(0);
    expect((await w.people.berta.agent.get(url)).status).to.equal(403);
  });

  it('offers a PDF as a download link', async () => {
    const res = await upload(w.people.anna, w.keys.a, EVIDENCE_PDF, 'Protokoll.pdf');
    expect(res.status).to.equal(201);
    const url = /\((\/community\/files\/[a-f0-9]{24})\)/.exec((res.body as { markdown: string }).markdown)![1]!;
    const file = await w.people.tanja.agent.get(url);
    expect(file.headers['content-disposition']).to.match(/^attachment; filename="anhang\.pdf"$/);
  });

  it('refuses SVG and other files by their bytes, whatever the name, and uploads to a space one is not in', async () => {
    const svg = await upload(w.people.anna, w.keys.a, SVG, 'bild.png');
    expect(svg.status).to.equal(415);
    expect(svg.body.error).to.equal('Nur Bilder (PNG, JPEG) und PDF-Dateien können angehängt werden.');
    expect((await upload(w.people.berta, w.keys.a, PNG, 'x.png')).status).to.equal(403);
  });

  it('refuses a file over 5 MB with 413', async () => {
    const big = Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024 + 1)]);
    expect((await upload(w.people.anna, w.keys.a, big, 'gross.png')).status).to.equal(413);
  });
});
