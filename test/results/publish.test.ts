import { expect } from 'chai';
import { csrfToken } from '../support/test-app.ts';
import { datenschutzRoom, publish, publishForm, publishPath, slugOf, world, type Person, type World } from './helpers.ts';

/** Issue #21: a room's lead publishes its anonymised results; nobody else may, and nothing personal gets through. */
describe('results: publishing a room’s summary', function () {
  this.timeout(120_000);
  let w: World;
  let lotse: Person;
  let other: Person;
  const summaries = () => w.app.running.connection.db!.collection('results_summaries');
  before(async () => {
    w = await world();
    lotse = await w.person('Lena Lotsin');
    other = await w.person('Otto Anders');
    w.rooms.add(datenschutzRoom('room-finished'), [lotse.id]);
    w.rooms.add(datenschutzRoom('room-running', { status: 'running' }), [lotse.id]);
    w.rooms.add(datenschutzRoom('room-hostile'), [lotse.id]);
  });
  after(async () => w?.app.stop());

  it('lets only a lead of a finished room open and submit the publish page', async () => {
    const anonymous = await w.app.agent().get(publishPath('room-finished'));
    expect(anonymous.status).to.equal(302);
    expect(anonymous.headers.location).to.match(/^\/login\?next=/);

    const notLead = await other.agent.get(publishPath('room-finished'));
    expect(notLead.status).to.equal(403);
    expect(notLead.text).to.contain('Nur die Lotsin oder der Lotse, die diesen Experimentierraum leiten');
    const body = await publishForm(lotse.agent, 'room-finished');
    const post = await other.agent
      .post(publishPath('room-finished'))
      .type('form')
      .send({ ...body, _csrf: await csrfToken(other.agent, '/profile'), intent: 'publish' });
    expect(post.status).to.equal(403);
    expect(post.text).to.contain('Nur die Lotsin oder der Lotse');

    const running = await lotse.agent.get(publishPath('room-running'));
    expect(running.status).to.equal(409);
    expect(running.text).to.contain('erst veröffentlicht werden, wenn der Experimentierraum abgeschlossen ist');
    expect((await lotse.agent.get(publishPath('no-such-room'))).status).to.equal(403);
    expect(await summaries().countDocuments()).to.equal(0);
  });

  it('prefills the room’s facts and board: companies as a band, the board in date order, the Lotse not named', async () => {
    const page = await lotse.agent.get(publishPath('room-finished'));
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('3–5 Betriebe');
    expect(page.text).not.to.match(/\b3 Betriebe/);
    expect(page.text).to.contain('4 Termine');
    expect(page.text.indexOf('Ein Verzeichnis der Verarbeitungstätigkeiten')).to.be.within(0, page.text.indexOf('Eine Löschfrist-Tabelle'));
    const body = await publishForm(lotse.agent, 'room-finished');
    expect(body.namedAsLotse).to.equal(undefined);
    expect(body.includeTrades).to.equal('on');
  });

  it('shows a preview without storing anything, then publishes on the explicit submit', async () => {
    const body = await publishForm(lotse.agent, 'room-finished', { title: 'Datenschutz in kleinen Betrieben' });
    const preview = await lotse.agent
      .post(publishPath('room-finished'))
      .type('form')
      .send({ ...body, intent: 'preview' });
    expect(preview.status).to.equal(200);
    expect(preview.text).to.contain('Noch ist nichts veröffentlicht');
    expect(preview.text).to.contain('Jetzt veröffentlichen');
    expect(preview.text).to.contain('Datenschutz in kleinen Betrieben');
    expect(await summaries().countDocuments()).to.equal(0);

    const done = await lotse.agent
      .post(publishPath('room-finished'))
      .type('form')
      .send({ ...body, intent: 'publish' });
    expect(done.status).to.equal(303);
    const slug = slugOf(done.headers.location);
    expect(slug).to.match(/^datenschutz-[a-f0-9]{10}$/);
    const detail = await w.app.agent().get(`/ergebnisse/${slug}`);
    expect(detail.status).to.equal(200);
    expect(detail.text).to.contain('Datenschutz in kleinen Betrieben');
    expect(detail.text).to.contain('3–5 Betriebe');
    expect(detail.text).not.to.contain('room-finished');
    expect(detail.text).not.to.contain('Lena Lotsin');
  });

  it('stores exactly the allowed fields, none of them naming anyone of the room', async () => {
    const doc = await summaries().findOne({ roomId: 'room-finished' });
    expect(Object.keys(doc!).sort()).to.deep.equal(
      [
        '_id',
        'companyBand',
        'companySizes',
        'datesHeld',
        'nextSteps',
        'periodFrom',
        'periodUntil',
        'publishedAt',
        'publisherId',
        'region',
        'roomId',
        'searchTokens',
        'showLotse',
        'slug',
        'status',
        'title',
        'topic',
        'trades',
        'tried',
        'updatedAt',
        'withdrawnAt',
        'withdrawnBy',
        'moderationReason',
        'worked',
      ].sort(),
    );
    expect(doc!.publisherId).to.equal(lotse.id);
    expect(doc!.companyBand).to.equal('3-5');
    expect(doc!.periodFrom).to.equal('2026');
    expect(doc!).not.to.have.property('companyCount');
    expect(doc!).not.to.have.property('participantCount');
    const text = JSON.stringify(doc).toLowerCase();
    for (const term of ['müller', 'mueller', 'arendt', 'schneider', 'groß', 'lena', '@']) expect(text, term).not.to.contain(term);
    const api = await w.app.agent().get(`/api/ergebnisse/${doc!.slug}`);
    expect(api.status).to.equal(200);
    expect(Object.keys(api.body.summary)).to.not.include.members(['roomId', 'publisherId', 'searchTokens', 'showLotse']);
  });

  const HOSTILE: Array<[string, Record<string, string>, string]> = [
    ['a participant’s name in capitals', { worked: 'JÜRGEN MÜLLER hat die Tabelle gebaut.' }, '„Jürgen Müller“'],
    ['a name without umlauts', { tried: 'Mit Juergen Mueller besprochen.' }, '„Jürgen Müller“'],
    ['a name with ss for ß', { nextSteps: 'Sabine Gross schult die anderen.' }, '„Sabine Groß“'],
    ['a surname alone', { worked: 'Bei Schneider klappte es.' }, '„Schneider“'],
    ['a surname in the genitive', { worked: 'Schneiders Vorlage half allen.' }, '„Schneider“'],
    ['a company name', { worked: 'Die bäckerei müller gmbh macht weiter.' }, '„Bäckerei Müller GmbH“'],
    ['a name in the title', { title: 'Was Anna Arendt gelernt hat' }, '„Anna Arendt“'],
    ['an e-mail address', { nextSteps: 'Fragen an kontakt@firma-xy.de' }, '„kontakt@firma-xy.de“'],
    ['a phone number +49', { nextSteps: 'Anrufen: +49 681 1234567' }, '„+49 681 1234567“'],
    ['a phone number with area code', { nextSteps: 'Tel. 0681 / 12 34 56' }, '„0681 / 12 34 56“'],
    ['an @mention', { worked: 'Danke @lena für die Vorlage' }, '„@lena“'],
    ['a link to a person’s profile', { tried: 'Siehe https://www.linkedin.com/in/beispiel-person' }, '„https://www.linkedin.com/in/beispiel-person“'],
    ['a link to a team page', { tried: 'Vorlage: https://example.org/team/jm' }, '„https://example.org/team/jm“'],
  ];
  for (const [what, changes, word] of HOSTILE) {
    it(`refuses ${what} with 422, names it and stores nothing`, async () => {
      const res = await publish(lotse.agent, 'room-hostile', changes);
      expect(res.status).to.equal(422);
      expect(res.text).to.contain('Die Zusammenfassung enthält Angaben, die Personen oder Betriebe erkennbar machen');
      expect(res.text.replace(/&quot;/g, '"')).to.contain(word.replace(/&/g, '&amp;'));
      expect(res.text).to.contain('Bitte entfernen');
      expect(await summaries().countDocuments({ roomId: 'room-hostile' })).to.equal(0);
    });
  }

  it('answers the JSON API with 422 and every finding per field', async () => {
    const body = await publishForm(lotse.agent, 'room-hostile', { worked: 'Anna Arendt, anna@example.org, +49 681 1234567' });
    const res = await lotse.agent
      .post(publishPath('room-hostile'))
      .set('Accept', 'application/json')
      .type('form')
      .send({ ...body, intent: 'publish' });
    expect(res.status).to.equal(422);
    expect(res.body.findings).to.deep.include.members([
      { field: 'worked', kind: 'term', word: 'Anna Arendt' },
      { field: 'worked', kind: 'email', word: 'anna@example.org' },
      { field: 'worked', kind: 'phone', word: '+49 681 1234567' },
    ]);
  });

  it('lets trade words, dates and plain links through, and sanitises script tags', async () => {
    const res = await publish(lotse.agent, 'room-hostile', {
      tried: 'Die Bäckerei probierte es am 01.03.2026 aus, nach https://www.bsi.bund.de/dok/123 <script>alert(1)</script>',
      worked: '**Fett** und <img src=x onerror="alert(2)"> <a href="javascript:alert(3)">klick</a>',
    });
    expect(res.status).to.equal(303);
    const page = await w.app.agent().get(res.headers.location!);
    expect(page.text).to.contain('<strong>Fett</strong>');
    expect(page.text).not.to.contain('alert(1)');
    expect(page.text).not.to.contain('onerror');
    expect(page.text).not.to.contain('javascript:');
    expect(page.text).not.to.contain('<img');
    expect(page.text).to.contain('01.03.2026');
  });

  it('names the Lotse only when they opt in', async () => {
    const named = await publish(lotse.agent, 'room-hostile', { namedAsLotse: 'on' });
    expect(named.status).to.equal(303);
    expect((await w.app.agent().get(named.headers.location!)).text).to.contain('Lena Lotsin');
    const anonymous = await publish(lotse.agent, 'room-hostile', { namedAsLotse: undefined });
    expect(slugOf(anonymous.headers.location)).to.equal(slugOf(named.headers.location));
    expect((await w.app.agent().get(anonymous.headers.location!)).text).not.to.contain('Lena Lotsin');
  });

  it('records the publication as an xAPI "shared" statement with the public URL as object', async () => {
    const doc = await summaries().findOne({ roomId: 'room-finished' });
    const url = `${w.app.url}/ergebnisse/${doc!.slug}`;
    const stored = await w.app.running.connection.db!.collection('lrs_statements').find({ verbId: 'http://adlnet.gov/expapi/verbs/shared' }).toArray();
    const statements = stored.map((s) => JSON.parse(s.raw as string) as { object: { id: string }; actor: { account: { name: string } } });
    const mine = statements.filter((s) => s.object.id === url);
    expect(mine).to.have.length(1);
    expect(mine[0]!.actor.account.name).to.equal(lotse.id);
  });
});
