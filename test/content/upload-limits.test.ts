import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { scorm12Single, writePackage } from '../fixtures/content/packages.ts';
import { zipFiles } from '../fixtures/content/zip-writer.ts';
import { csrfFrom, startTestApp, type Agent, type TestApp } from '../support/test-app.ts';
import { expectRefused, tempDir } from './support.ts';

describe('content: package size setting and concurrent uploads', () => {
  let app: TestApp;
  let agent: Agent;
  let token: string;
  before(async () => {
    app = await startTestApp({ env: { PACKAGE_MAX_MB: '1' } });
    agent = (await app.loggedIn(['author'])).agent;
    token = csrfFrom((await agent.get('/author/modules')).text);
  });
  after(async () => app.stop());

  it('refuses an upload larger than PACKAGE_MAX_MB with 413 and a German message', async () => {
    const zip = zipFiles({ ...scorm12Single(), 'video.bin': randomBytes(1_200_000) });
    const res = await agent.post(`/author/modules/import?_csrf=${encodeURIComponent(token)}`).attach('package', zip, 'gross.zip');
    expect(res.status).to.equal(413);
    expect(res.text).to.contain('Die gesendeten Daten sind zu groß.');
  });

  it('refuses a package whose files unpack beyond PACKAGE_MAX_MB, also from the command line', async () => {
    const file = await writePackage(await tempDir(), 'entpackt-gross', { ...scorm12Single(), 'video.bin': randomBytes(1_200_000) });
    await expectRefused(app, file, 'too-large');
  });

  it('checks at most three uploads at once and frees the slot when a client goes away', async () => {
    const sid = agent.jar.getCookie('lotse.sid', { domain: 'localhost', path: '/', secure: false, script: false });
    const cookie = `lotse.sid=${sid!.value}`;
    const url = new URL(app.url);
    // three uploads that send their head and then wait
    const hanging = await Promise.all(
      [1, 2, 3].map(
        () =>
          new Promise<net.Socket>((resolve) => {
            const s = net.connect(Number(url.port), '127.0.0.1', () => {
              s.write(
                `POST /author/modules/import?_csrf=${encodeURIComponent(token)} HTTP/1.1\r\nHost: localhost\r\nCookie: ${cookie}\r\n` +
                  `Content-Type: multipart/form-data; boundary=xyz\r\nContent-Length: 900000\r\n\r\n--xyz\r\nContent-Disposition: form-data; name="package"; filename="a.zip"\r\n\r\nPK`,
              );
              setTimeout(() => resolve(s), 150);
            });
          }),
      ),
    );
    const fourth = await agent.post(`/author/modules/import?_csrf=${encodeURIComponent(token)}`).attach('package', zipFiles(scorm12Single()), 'vier.zip');
    expect(fourth.status).to.equal(429);
    expect(fourth.text).to.contain('Gerade werden schon 3 Pakete hochgeladen und geprüft.');
    expect(fourth.headers['retry-after']).to.equal('30');
    for (const s of hanging) s.destroy();
    await new Promise((r) => setTimeout(r, 200));
    const fifth = await agent
      .post(`/author/modules/import?_csrf=${encodeURIComponent(token)}`)
      .field('module', 'Fünftes')
      .attach('package', zipFiles(scorm12Single()), 'fuenf.zip');
    expect(fifth.status).to.equal(303);
  });
});
