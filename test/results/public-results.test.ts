import { expect } from 'chai';
import { datenschutzRoom, publish, publishPath, slugOf, world, type Person, type World } from './helpers.ts';

/** Issue #21: the public, searchable Ergebnisse; a withdrawn summary is gone at once. */
describe('results: the public Ergebnisse', function () {
  this.timeout(120_000);
  let w: World;
  let lotse: Person;
  let colead: Person;
  let other: Person;
  const slugs: Record<string, string> = {};
  const titles = async (query: string) => {
    const res = await w.app.agent().get(`/api/ergebnisse${query}`);
    expect(res.status, query).to.equal(200);
    return (res.body.items as Array<{ title: string }>).map((i) => i.title).sort();
  };
  before(async () => {
    w = await world();
    lotse = await w.person('Lena Lotsin');
    colead = await w.person('Carl Comoderator');
    other = await w.person('Otto Anders');
    w.rooms.add(datenschutzRoom('r-daten'), [lotse.id, colead.id]);
    w.rooms.add(
      datenschutzRoom('r-home', {
        title: 'Homeoffice im Mittelstand',
        topic: 'Homeoffice',
        region: 'rhein-ruhr',
        trades: ['Steuerberatung', 'Einzelhandel'],
        results: [{ dateIndex: 1, tried: 'Feste Teamtage im Büro.', worked: 'Weniger Pendelzeit, bessere Absprachen.', nextSteps: 'Ergonomie-Check.' }],
      }),
      [lotse.id],
    );
    for (const [room, title] of [
      ['r-daten', 'Datenschutz im Handwerk'],
      ['r-home', 'Homeoffice im Mittelstand'],
    ] as const) {
      const res = await publish(lotse.agent, room, { title });
      expect(res.status, room).to.equal(303);
      slugs[room] = slugOf(res.headers.location)!;
    }
  });
  after(async () => w?.app.stop());

  it('lists the published summaries without a login, with clear headings', async () => {
    const page = await w.app.agent().get('/ergebnisse');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('<h1>Ergebnisse aus den Lern- und Experimentierräumen</h1>');
    expect(page.text).to.contain('2 Ergebnisse');
    expect(page.text).to.contain(`href="/ergebnisse/${slugs['r-daten']}"`);
    const english = await w.app.agent().get('/ergebnisse?lng=en');
    expect(english.text).to.contain('Results from the learning and experimentation rooms');
  });

  it('finds by a topic word, by a word of the results texts (folded, by prefix), and filters by region, topic and trade', async () => {
    expect(await titles('?q=datenschutz')).to.deep.equal(['Datenschutz im Handwerk']);
    expect(await titles('?q=DATENSCH')).to.deep.equal(['Datenschutz im Handwerk']);
    expect(await titles('?q=Verarbeitungstaetigkeiten')).to.deep.equal(['Datenschutz im Handwerk']);
    expect(await titles('?q=pendelzeit')).to.deep.equal(['Homeoffice im Mittelstand']);
    expect(await titles('?q=absprachen+pendelzeit')).to.deep.equal(['Homeoffice im Mittelstand']);
    expect(await titles('?q=absprachen+datenschutz')).to.deep.equal([]);
    expect(await titles('?region=rhein-ruhr')).to.deep.equal(['Homeoffice im Mittelstand']);
    expect(await titles('?region=saarland&q=homeoffice')).to.deep.equal([]);
    expect(await titles('?topic=Datenschutz')).to.deep.equal(['Datenschutz im Handwerk']);
    expect(await titles(`?trade=${encodeURIComponent('Bäckerei')}`)).to.deep.equal(['Datenschutz im Handwerk']);
    expect(await titles('?q=')).to.have.length(2);
    expect((await w.app.agent().get('/ergebnisse?region=mars')).status).to.equal(400);
    const page = await w.app.agent().get('/ergebnisse?q=Pendelzeit');
    expect(page.text).to.contain('1 Ergebnis');
    expect(page.text).to.contain('Homeoffice im Mittelstand');
    expect(page.text).not.to.contain('Datenschutz im Handwerk');
    // the filters offer what has been published
    expect(page.text).to.contain('<option value="Steuerberatung">Steuerberatung</option>');
  });

  it('pages the list, ten to a page', async () => {
    for (let i = 0; i < 10; i++) {
      w.rooms.add(datenschutzRoom(`r-page-${i}`, { title: `Lauf ${i}`, topic: 'Digitalisierung', region: 'andere' }), [colead.id]);
      expect((await publish(colead.agent, `r-page-${i}`)).status).to.equal(303);
    }
    const first = await w.app.agent().get('/api/ergebnisse?topic=Digitalisierung');
    expect(first.body.total).to.equal(10);
    expect(first.body.pages).to.equal(1);
    const all = await w.app.agent().get('/api/ergebnisse');
    expect(all.body.total).to.equal(12);
    expect(all.body.items).to.have.length(10);
    const second = await w.app.agent().get('/api/ergebnisse?page=2');
    expect(second.body.items).to.have.length(2);
    const page = await w.app.agent().get('/ergebnisse');
    expect(page.text).to.contain('Seite 1 von 2');
    expect(page.text).to.contain('href="/ergebnisse?page=2"');
  });

  it('updates a summary in place: same address, new text', async () => {
    const res = await publish(colead.agent, 'r-daten', { worked: 'Neue Fassung: Checklisten helfen.' });
    expect(res.status).to.equal(303);
    expect(slugOf(res.headers.location)).to.equal(slugs['r-daten']);
    const page = await w.app.agent().get(`/ergebnisse/${slugs['r-daten']}`);
    expect(page.text).to.contain('Neue Fassung: Checklisten helfen.');
    expect(page.text).not.to.contain('Gemeinsam ging es schneller');
  });

  it('withdraws at once: gone from the list and the search, the detail answers 410; only a lead may', async () => {
    const csrf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
    const refused = await other.agent
      .post('/experimentierraeume/r-daten/zurueckziehen')
      .type('form')
      .send({ _csrf: csrf((await other.agent.get('/profile')).text) });
    expect(refused.status).to.equal(403);
    const form = await lotse.agent.get(publishPath('r-daten'));
    expect(form.text).to.contain('Ergebnisse zurückziehen');
    const withdrawn = await lotse.agent
      .post('/experimentierraeume/r-daten/zurueckziehen')
      .type('form')
      .send({ _csrf: csrf(form.text) });
    expect(withdrawn.status).to.equal(303);
    expect(await titles('?q=datenschutz')).to.deep.equal([]);
    const list = await w.app.agent().get('/ergebnisse');
    expect(list.text).not.to.contain(slugs['r-daten']);
    const detail = await w.app.agent().get(`/ergebnisse/${slugs['r-daten']}`);
    expect(detail.status).to.equal(410);
    expect(detail.text).to.contain('zurückgezogen');
    expect((await w.app.agent().get(`/api/ergebnisse/${slugs['r-daten']}`)).status).to.equal(410);
    expect((await w.app.agent().get('/ergebnisse/gibt-es-nicht-0000000000')).status).to.equal(404);
    const again = await lotse.agent
      .post('/experimentierraeume/r-daten/zurueckziehen')
      .type('form')
      .send({ _csrf: csrf(form.text) });
    expect(again.status).to.equal(404);
    // published again, it is back under its address
    expect(slugOf((await publish(lotse.agent, 'r-daten')).headers.location)).to.equal(slugs['r-daten']);
    expect((await w.app.agent().get(`/ergebnisse/${slugs['r-daten']}`)).status).to.equal(200);
  });
});
