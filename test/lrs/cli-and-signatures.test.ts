import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { CompactSign, generateKeyPair } from 'jose';
import type { TestApp } from '../support/test-app.ts';
import { basic, startLrsApp, statement, xapi } from './support.ts';

const run = promisify(execFile);

/** A statement with a JWS signature attachment, as multipart/mixed (Data §2.6). */
async function signedBody(s: Record<string, unknown>, payload: Record<string, unknown>) {
  const { privateKey } = await generateKeyPair('RS256');
  const jws = await new CompactSign(Buffer.from(JSON.stringify(payload))).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
  const sha2 = createHash('sha256').update(jws).digest('hex');
  const withSig = {
    ...s,
    attachments: [
      {
        usageType: 'http://adlnet.gov/expapi/attachments/signature',
        display: { 'de-DE': 'Signatur' },
        contentType: 'application/octet-stream',
        length: jws.length,
        sha2,
      },
    ],
  };
  const b = 'sig-boundary';
  return {
    type: `multipart/mixed; boundary=${b}`,
    body: `--${b}\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(withSig)}\r\n--${b}\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\nX-Experience-API-Hash: ${sha2}\r\n\r\n${jws}\r\n--${b}--\r\n`,
  };
}

describe('lrs: command line and signed statements', () => {
  let app: TestApp;
  before(async () => {
    app = await startLrsApp();
  });
  after(async () => app.stop());

  it('`npm run lrs -- client create` prints a key and secret that work', async function () {
    this.timeout(60_000);
    const { stdout } = await run(
      'node',
      ['--import', 'tsx', 'scripts/lrs-cli.ts', 'client', 'create', '--name', 'CLI-Client', '--scopes', 'statements/write,statements/read'],
      {
        env: { ...process.env, MONGODB_URI: process.env.TEST_MONGODB_URI, MONGODB_DB: app.running.connection.name, DATA_DIR: app.dataDir, LOG_LEVEL: 'silent' },
      },
    );
    const key = /key:\s+(\S+)/.exec(stdout)?.[1];
    const secret = /secret:\s+(\S+)/.exec(stdout)?.[1];
    expect(key, stdout).to.be.a('string');
    const auth = basic(key!, secret!);
    expect((await xapi(app, auth).post('/statements').send(statement())).status).to.equal(200);
    expect((await xapi(app, auth).get('/activities/state?activityId=http%3A%2F%2Fx.org&agent=%7B%22mbox%22%3A%22mailto%3Aa%40b.de%22%7D')).status).to.equal(
      403,
    );
  });

  it('accepts a statement whose JWS signature covers it and refuses one whose does not', async () => {
    const s = statement({ id: randomUUID() });
    const good = await signedBody(s, s);
    expect((await xapi(app).post('/statements').set('Content-Type', good.type).send(good.body)).status).to.equal(200);
    const other = statement({ id: randomUUID() });
    const bad = await signedBody(other, { ...other, verb: { id: 'http://example.org/forged' } });
    const res = await xapi(app).post('/statements').set('Content-Type', bad.type).send(bad.body);
    expect(res.status).to.equal(400);
    expect(res.body.fields[0].field).to.equal('attachments[0]');
  });
});
