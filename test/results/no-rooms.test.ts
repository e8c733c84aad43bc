import { expect } from 'chai';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * The app as it is wired until src/rooms lands (src/app.ts's "no rooms" adapter): nothing to
 * publish, nobody leads, no practice; the public pages work and are empty.
 */
describe('results: without the rooms component', function () {
  this.timeout(60_000);
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => app?.stop());

  it('serves an empty /ergebnisse, refuses every publish page and shows no practice', async () => {
    const list = await app.agent().get('/ergebnisse');
    expect(list.status).to.equal(200);
    expect(list.text).to.contain('Keine Ergebnisse gefunden.');
    const { agent } = await app.loggedIn(['trainer']);
    expect((await agent.get('/experimentierraeume/any-room/veroeffentlichen')).status).to.equal(403);
    const profile = await agent.get('/profile');
    expect(profile.text).to.contain('Sie haben noch keinen Experimentierraum geleitet.');
    expect(profile.text).not.to.contain('name="showOnCertificate"');
  });
});
