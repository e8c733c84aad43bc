import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { expect } from 'chai';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { extractText, getDocumentProxy } from 'unpdf';
import { csrfToken, startTestApp, type Agent, type TestApp } from '../support/test-app.ts';
import { getBytes, issuedLearner, postForm, setIssueMode, standInEligibility, writeSigningKey } from './helpers.ts';

interface Credential extends JWTPayload {
  type: string[];
  issuer: { id: string; name: string };
  validFrom: string;
  credentialSubject: {
    id: string;
    identifier: Array<{ identityType: string; hashed: boolean; identityHash: string; salt?: string }>;
    achievement: { name: string; description: string; criteria: { narrative: string } };
  };
  credentialStatus: { type: string; statusPurpose: string; statusListIndex: string; statusListCredential: string };
}

/** A partner's verifier: jose and nothing but the JWKS published over HTTP. */
const partnerVerify = (app: TestApp, jwt: string) =>
  jwtVerify<Credential>(jwt, createRemoteJWKSet(new URL(`${app.url}/.well-known/jwks.json`)), { algorithms: ['RS256'] });

/** Reads the revocation bit as a partner would: fetch the list, verify its signature, gunzip, read the bit. */
async function partnerStatusBit(app: TestApp, credential: Credential): Promise<{ bit: boolean; bits: number }> {
  const res = await fetch(credential.credentialStatus.statusListCredential);
  expect(res.status).to.equal(200);
  const { payload } = await jwtVerify<{ type: string[]; credentialSubject: { type: string; statusPurpose: string; encodedList: string } }>(
    await res.text(),
    createRemoteJWKSet(new URL(`${app.url}/.well-known/jwks.json`)),
    { algorithms: ['RS256'] },
  );
  expect(payload.type).to.include('BitstringStatusListCredential');
  expect(payload.credentialSubject.type).to.equal('BitstringStatusList');
  const encoded = payload.credentialSubject.encodedList;
  expect(encoded[0]).to.equal('u');
  const bytes = gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));
  const index = Number(credential.credentialStatus.statusListIndex);
  return { bit: (bytes[index >> 3]! & (0x80 >> (index & 7))) !== 0, bits: bytes.length * 8 };
}

/** The partner's upload form (multipart, CSRF token in the query string as the page sends it). */
async function uploadCheck(agent: Agent, content: string, filename: string) {
  const page = await agent.get('/verify');
  const token = /action="\/verify\/check\?_csrf=([^"]+)"/.exec(page.text)?.[1];
  expect(token, 'CSRF token in the upload form').to.be.a('string');
  return agent.post(`/verify/check?_csrf=${token}`).attach('file', Buffer.from(content), filename);
}

describe('certificates: issue, sign, verify, revoke', () => {
  let app: TestApp;
  let admin: Agent;
  const port = standInEligibility();
  before(async () => {
    app = await startTestApp({ standIns: { eligibility: port } });
    admin = (await app.loggedIn(['admin'])).agent;
    await setIssueMode(admin, 'automatic');
  });
  after(async () => app.stop());
  /** Trainers handle only the learners of the cohorts they lead. */
  const inCohortOf = (trainerId: string, learnerId: string) =>
    app.running.app.qualification.service.planning.createCohort({
      name: 'Durchgang Zertifikate',
      region: 'saarland',
      trainerIds: [trainerId],
      learnerIds: [learnerId],
    });

  it('refuses to issue while requirements are missing and lists each missing item', async () => {
    const { agent, user } = await app.loggedIn(['learner']);
    const res = await postForm(agent, '/certificates', '/certificates/request', {});
    expect(res.status).to.equal(409);
    expect(res.text).to.contain('Das Zertifikat kann noch nicht ausgestellt werden.');
    expect(res.text).to.contain('Der Nachweis über den Workshop ist noch nicht geprüft.');
    expect(res.text).to.contain('Präsenztermin „Netzwerke im Quartier“ fehlt.');
    expect(res.text).to.contain('href="/qualification/sessions"');
    // the service refuses the same way for trainers and admins
    try {
      await app.running.app.certificates.service.issue(user.id, 'admin');
      expect.fail('issued although not eligible');
    } catch (err) {
      const missing = (err as { details?: { missing?: Array<{ code: string }> } }).details?.missing ?? [];
      expect(missing.map((m) => m.code)).to.deep.equal(['workshop-not-verified', 'q2-topic-missing']);
    }
    expect((await agent.get('/certificates')).text).to.contain('Sie haben noch kein Zertifikat.');
  });

  it('issues an Open Badges 3.0 credential that verifies with jose and only the JWKS fetched over HTTP', async () => {
    const { jwt, user, code } = await issuedLearner(app, port);
    expect(code).to.match(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    const header = decodeProtectedHeader(jwt);
    expect(header).to.include({ alg: 'RS256', typ: 'JWT' });
    expect(header.kid).to.be.a('string');
    const { payload } = await partnerVerify(app, jwt);
    expect(payload.type).to.deep.equal(['VerifiableCredential', 'OpenBadgeCredential']);
    expect(payload['@context']).to.include('https://www.w3.org/ns/credentials/v2');
    expect(payload.iss).to.equal(`${app.url}/issuer`).and.equal(payload.issuer.id);
    expect(payload.jti)
      .to.equal(payload.id)
      .and.match(/^urn:uuid:/);
    expect(payload.sub).to.equal(payload.credentialSubject.id);
    expect(payload.nbf).to.equal(Date.parse(payload.validFrom) / 1000);
    expect(payload.credentialSubject.achievement.name).to.equal('OM-GeZu Lotse / Quartiersmanager');
    expect(payload.credentialSubject.achievement.criteria.narrative).to.contain('Werkzeuge der Offensive Mittelstand').and.contain('Präsenztag Saarbrücken');
    expect(payload.credentialStatus).to.include({ type: 'BitstringStatusListEntry', statusPurpose: 'revocation' });
    // the holder is named, the e-mail only hashed
    expect(JSON.stringify(payload)).not.to.contain(user.email);
    const email = payload.credentialSubject.identifier.find((i) => i.identityType === 'emailAddress')!;
    expect(email.hashed).to.equal(true);
    expect(email.identityHash).to.equal(
      `sha256$${createHash('sha256')
        .update(user.email + email.salt)
        .digest('hex')}`,
    );
    expect(payload.credentialSubject.identifier.find((i) => i.identityType === 'name')?.identityHash).to.equal(user.name);
    // the issuer profile lives at its stable id
    const profile = (await (await fetch(payload.issuer.id)).json()) as { id: string; type: string[] };
    expect(profile.id).to.equal(payload.issuer.id);
    expect(profile.type).to.deep.equal(['Profile']);
  });

  it('rejects a tampered credential', async () => {
    const { jwt } = await issuedLearner(app, port);
    const [h, p, s] = jwt.split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString('utf8')) as Credential;
    claims.credentialSubject.identifier[1]!.identityHash = 'Mallory Fälscher';
    const forged = `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
    let failed = false;
    try {
      await partnerVerify(app, forged);
    } catch (err) {
      failed = true;
      expect((err as { code?: string }).code).to.equal('ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
    }
    expect(failed, 'jose rejects the forged credential').to.equal(true);
    const check = await app.agent().post('/api/verify/credential').type('text/plain').send(forged);
    expect(check.status).to.equal(200);
    expect(check.body).to.include({ signature: 'invalid', overall: 'invalid', signatureProblem: 'mismatch' });
  });

  it('waits for a trainer in approval mode, then issues', async () => {
    await setIssueMode(admin, 'approval');
    try {
      const { agent, user } = await app.loggedIn(['learner']);
      port.eligible.add(user.id);
      const res = await postForm(agent, '/certificates', '/certificates/request', {});
      expect(res.status).to.equal(303);
      expect((await agent.get('/certificates')).text).to.contain('wartet auf die Freigabe');
      const { agent: trainer, user: trainerUser } = await app.loggedIn(['trainer']);
      await inCohortOf(trainerUser.id, user.id);
      const list = await trainer.get('/trainer/certificates');
      expect(list.text).to.contain(user.name);
      const approve = await postForm(trainer, '/trainer/certificates', `/trainer/certificates/${user.id}/approve`, {});
      expect(approve.status).to.equal(303);
      const page = (await agent.get('/certificates')).text;
      expect(page).to.contain('Zertifikat als PDF');
      expect((await trainer.get('/trainer/certificates')).text).to.contain('Keine offenen Anfragen.');
    } finally {
      await setIssueMode(admin, 'automatic');
    }
  });

  it("lets only the trainers of the learner's cohort (and admins) see requests, decide them and download certificates", async () => {
    await setIssueMode(admin, 'approval');
    try {
      const { agent, user } = await app.loggedIn(['learner']);
      port.eligible.add(user.id);
      expect((await postForm(agent, '/certificates', '/certificates/request', {})).status).to.equal(303);
      const own = await app.loggedIn(['trainer']);
      const other = await app.loggedIn(['trainer']);
      await inCohortOf(own.user.id, user.id);
      await inCohortOf(other.user.id, (await app.createUser(['learner'])).id);
      expect((await other.agent.get('/trainer/certificates')).text).not.to.contain(user.name);
      for (const action of ['approve', 'reject']) {
        const refused = await postForm(other.agent, '/trainer/certificates', `/trainer/certificates/${user.id}/${action}`, { reason: 'nicht mein Durchgang' });
        expect(refused.status, action).to.equal(403);
        expect(refused.text).to.contain('Diese Person gehört zu keinem Durchgang, den Sie betreuen.');
      }
      expect((await agent.get('/certificates')).text).to.contain('wartet auf die Freigabe');
      expect((await own.agent.get('/trainer/certificates')).text).to.contain(user.name);
      expect((await postForm(own.agent, '/trainer/certificates', `/trainer/certificates/${user.id}/approve`, {})).status).to.equal(303);
      const id = /\/certificates\/([a-f0-9]{24})\/pdf/.exec((await agent.get('/certificates')).text)?.[1];
      expect(id).to.be.a('string');
      for (const file of ['pdf', 'credential.jwt', 'credential.json']) {
        expect((await other.agent.get(`/certificates/${id}/${file}`)).status, file).to.equal(403);
        expect((await getBytes(own.agent, `/certificates/${id}/${file}`)).status, file).to.equal(200);
        expect((await getBytes(admin, `/certificates/${id}/${file}`)).status, file).to.equal(200);
      }
    } finally {
      await setIssueMode(admin, 'automatic');
    }
  });

  it('re-issuing replaces the certificate and revokes the old one', async () => {
    const first = await issuedLearner(app, port);
    const res = await postForm(admin, '/admin/certificates', '/admin/certificates/issue', { learnerId: first.user.id });
    expect(res.status).to.equal(303);
    const old = await app.agent().get(`/api/verify/${first.code}`);
    expect(old.body.status).to.equal('revoked');
    const page = (await first.agent.get('/certificates')).text;
    const current = /<code>([0-9A-Z-]{19})<\/code>/.exec(page)?.[1];
    expect(current).to.be.a('string').and.not.equal(first.code);
    expect((await app.agent().get(`/api/verify/${current}`)).body.status).to.equal('valid');
  });

  it('reports a revoked credential as revoked on the page, in the API, in the upload check and in the status list', async () => {
    const { jwt, id, code, user } = await issuedLearner(app, port);
    const { payload } = await partnerVerify(app, jwt);
    const before = await partnerStatusBit(app, payload);
    expect(before.bit).to.equal(false);
    expect(before.bits).to.be.at.least(131072);
    expect((await app.agent().get(`/api/verify/${code}`)).body.status).to.equal('valid');

    const revoke = await postForm(admin, '/admin/certificates', `/admin/certificates/${id}/revoke`, { reason: 'Nachweis nachträglich als ungültig erkannt' });
    expect(revoke.status).to.equal(303);

    const today = new Date().toLocaleDateString('de-DE', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'Europe/Berlin' });
    const page = await app.agent().get(`/verify/${code}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Widerrufen').and.contain(`wurde am ${today} widerrufen`);
    expect(page.text).to.contain(user.name);

    const api = await app.agent().get(`/api/verify/${code.toLowerCase()}`);
    expect(api.status).to.equal(200);
    expect(api.body.status).to.equal('revoked');
    expect(api.body.revokedAt).to.be.a('string');

    const check = await app.agent().post('/api/verify/credential').type('text/plain').send(jwt);
    expect(check.body).to.include({ signature: 'valid', issuer: 'ours', status: 'revoked', overall: 'revoked' });
    const upload = await uploadCheck(
      app.agent(),
      JSON.stringify({ '@context': ['https://www.w3.org/ns/credentials/v2'], id: `data:application/vc+jwt,${jwt}`, type: 'EnvelopedVerifiableCredential' }),
      'nachweis.json',
    );
    expect(upload.status).to.equal(200);
    expect(upload.text).to.contain('Der Nachweis ist echt, wurde aber widerrufen.').and.contain(`widerrufen am ${today}`);

    const after = await partnerStatusBit(app, payload);
    expect(after.bit).to.equal(true);
    // the signature itself stays valid: revocation is the status list's job
    await partnerVerify(app, jwt);
  });

  it('checks an uploaded or pasted valid credential: signature, issuer and status', async () => {
    const { jwt, user } = await issuedLearner(app, port);
    const res = await uploadCheck(app.agent(), jwt, 'nachweis.jwt');
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('Der Nachweis ist echt und gültig.');
    expect(res.text).to.contain('gültig – signiert mit unserem Schlüssel');
    expect(res.text).to.contain('nicht widerrufen');
    expect(res.text).to.contain(user.name);
    // pasted into the text field instead of uploaded
    const page = await app.agent().get('/verify');
    const token = /action="\/verify\/check\?_csrf=([^"]+)"/.exec(page.text)?.[1];
    const pasted = await app.agent().post(`/verify/check?_csrf=${token}`).field('credential', jwt);
    expect(pasted.status).to.equal(403, 'the CSRF token belongs to the session that loaded the form');
    const visitor = app.agent();
    const form = await visitor.get('/verify');
    const own = /action="\/verify\/check\?_csrf=([^"]+)"/.exec(form.text)?.[1];
    const ok = await visitor.post(`/verify/check?_csrf=${own}`).field('credential', `  ${jwt}\n`);
    expect(ok.status).to.equal(200);
    expect(ok.text).to.contain('Der Nachweis ist echt und gültig.');
    const empty = await visitor.post(`/verify/check?_csrf=${own}`).field('credential', '');
    expect(empty.status).to.equal(400);
    expect(empty.text).to.contain('Bitte fügen Sie den Nachweis ein oder wählen Sie eine Datei.');
  });

  it('shows the verification page without login and never the e-mail address', async () => {
    const { code, user } = await issuedLearner(app, port);
    const visitor = app.agent();
    const form = await visitor.get('/verify');
    expect(form.status).to.equal(200);
    expect(form.text).to.contain('So prüfen Sie einen Nachweis ohne unsere Website');
    expect(form.text).to.contain(`${app.url}/.well-known/jwks.json`);
    const redirect = await visitor.get(`/verify?code=${encodeURIComponent(code.replace(/-/g, ' ').toLowerCase())}`);
    expect(redirect.status).to.equal(303);
    const page = await visitor.get(`/verify/${code}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Dieses Zertifikat ist echt und gültig.');
    expect(page.text).to.contain(user.name).and.contain('OM-GeZu Lotse / Quartiersmanager').and.contain('GeZu Lotse Academy');
    expect(page.text).not.to.contain(user.email);
    expect(page.text).not.to.match(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[a-z]{2,}/);
    const api = await visitor.get(`/api/verify/${code}`);
    expect(api.status).to.equal(200);
    expect(api.body).to.include({ status: 'valid', holderName: user.name, code });
    expect(JSON.stringify(api.body)).not.to.contain('@');
    const unknown = await visitor.get('/verify/0000-0000-0000-0000');
    expect(unknown.status).to.equal(404);
    expect(unknown.text).to.contain('Zu diesem Prüfcode gibt es kein Zertifikat.');
  });

  it('prints a German A4 PDF with the holder name in umlauts and the code', async () => {
    const { agent, id, code } = await issuedLearner(app, port, 'Jürgen Größe-Übermaß');
    const res = await getBytes(agent, `/certificates/${id}/pdf`);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.contain('application/pdf');
    const pdf = await getDocumentProxy(new Uint8Array(res.body));
    const page = await pdf.getPage(1);
    const [, , width, height] = page.view;
    expect(Math.round(width!)).to.equal(595);
    expect(Math.round(height!)).to.equal(842);
    const { text } = await extractText(pdf, { mergePages: true });
    expect(text).to.contain('Jürgen Größe-Übermaß');
    expect(text).to.contain(code);
    expect(text).to.contain('Zertifikat').and.contain('Präsenztermine').and.contain('Werkzeuge der Offensive Mittelstand');
    // another learner may not download it
    const other = (await app.loggedIn(['learner'])).agent;
    expect((await other.get(`/certificates/${id}/pdf`)).status).to.equal(403);
  });

  it('offers the holder the credential as JSON and a share link', async () => {
    const { agent, id, jwt, code } = await issuedLearner(app, port);
    const json = await agent.get(`/certificates/${id}/credential.json`);
    expect(json.status).to.equal(200);
    expect(json.body).to.deep.include({ type: 'EnvelopedVerifiableCredential', id: `data:application/vc+jwt,${jwt}` });
    const page = (await agent.get('/certificates')).text;
    expect(page).to.contain(`value="${app.url}/verify/${code}"`);
  });

  it('refuses revocation by non-admins', async () => {
    const { id } = await issuedLearner(app, port);
    const trainer = (await app.loggedIn(['trainer'])).agent;
    const token = await csrfToken(trainer, '/trainer/certificates');
    const res = await trainer.post(`/admin/certificates/${id}/revoke`).type('form').send({ _csrf: token, reason: 'kein Recht dazu' });
    expect(res.status).to.equal(403);
  });
});

describe('certificates: rate limit on code look-ups', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => app.stop());

  it('answers repeated wrong codes with 429 and Retry-After, on the page and in the API', async () => {
    const visitor = app.agent();
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await visitor.get(`/api/verify/ZZZZ-ZZZZ-ZZZZ-${String(1000 + i)}`)).status);
    expect(statuses.slice(0, 9)).to.deep.equal(Array(9).fill(404));
    expect(statuses[9]).to.equal(429);
    const page = await visitor.get('/verify/ABCD-EFGH-JKMN-PQRS');
    expect(page.status).to.equal(429);
    expect(page.text).to.contain('Zu viele unbekannte Prüfcodes');
    expect(page.headers['retry-after']).to.equal('900');
    const api = await visitor.get('/api/verify/ABCD-EFGH-JKMN-PQRS');
    expect(api.status).to.equal(429);
    expect(api.body.error).to.contain('Zu viele unbekannte Prüfcodes');
  });
});

describe('certificates: key rotation', () => {
  it('keeps old credentials verifiable after the signing key changes', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises');
    const os = await import('node:os');
    const path = await import('node:path');
    const keyDir = await mkdtemp(path.join(os.tmpdir(), 'lotse-keys-'));
    const db = `t_rotation_${Date.now()}`;
    const port = standInEligibility();
    const first = await startTestApp({ env: { CERT_SIGNING_KEY_FILE: await writeSigningKey(keyDir, 'old'), MONGODB_DB: db }, standIns: { eligibility: port } });
    let second: TestApp | undefined;
    try {
      await setIssueMode((await first.loggedIn(['admin'])).agent, 'automatic');
      const old = await issuedLearner(first, port);
      const oldKid = decodeProtectedHeader(old.jwt).kid;
      await first.running.stop(); // the database stays; the operator configures a new key and restarts

      second = await startTestApp({ env: { CERT_SIGNING_KEY_FILE: await writeSigningKey(keyDir, 'new'), MONGODB_DB: db }, standIns: { eligibility: port } });
      const jwks = (await (await fetch(`${second.url}/.well-known/jwks.json`)).json()) as { keys: Array<{ kid: string }> };
      expect(jwks.keys.map((k) => k.kid)).to.include(oldKid);
      expect(jwks.keys).to.have.length(2);

      const { payload } = await partnerVerify(second, old.jwt);
      expect(payload.jti).to.match(/^urn:uuid:/);
      const fresh = await issuedLearner(second, port);
      const newKid = decodeProtectedHeader(fresh.jwt).kid;
      expect(newKid).to.be.a('string').and.not.equal(oldKid);
      await partnerVerify(second, fresh.jwt);
    } finally {
      if (second) await second.stop();
      else await first.stop();
      await rm(first.dataDir, { recursive: true, force: true });
      await rm(keyDir, { recursive: true, force: true });
    }
  });
});

describe('certificates: with the real qualification component', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => app.stop());

  it('refuses a new learner with the missing items the qualification component reports', async () => {
    const { agent, user } = await app.loggedIn(['learner']);
    const real = await app.running.app.qualification.service.eligibility(user.id);
    expect(real.eligible).to.equal(false);
    const res = await postForm(agent, '/certificates', '/certificates/request', {});
    expect(res.status).to.equal(409);
    expect(real.missing.map((m) => m.code)).to.include.members(['authorisation-missing', 'workshop-missing']);
    for (const m of real.missing) expect(res.text).to.contain(m.message.slice(0, 40));
    const page = await agent.get('/certificates');
    expect(page.text).to.contain('Die Autorisierung als OM-Beraterin bzw. OM-Berater fehlt.');
  });
});
