import { createHash, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import type { TestApp } from '../support/test-app.ts';
import { SEED_AUTH, q, startLrsApp, statement, xapi } from './support.ts';

describe('lrs: statements resource', () => {
  let app: TestApp;
  before(async () => {
    app = await startLrsApp();
  });
  after(async () => app.stop());

  it('stores a posted statement and returns it by id with the LRS properties set', async () => {
    const s = statement();
    const post = await xapi(app).post('/statements').send(s);
    expect(post.status).to.equal(200);
    expect(post.headers['x-experience-api-version']).to.equal('1.0.3');
    const [id] = post.body as string[];
    const get = await xapi(app).get(`/statements${q({ statementId: id })}`);
    expect(get.status).to.equal(200);
    expect(get.headers['x-experience-api-consistent-through']).to.be.a('string');
    expect(get.headers['last-modified']).to.be.a('string');
    expect(get.body.id).to.equal(id);
    expect(get.body.version).to.equal('1.0.0');
    expect(get.body.authority.account.name).to.equal('test-seed-key');
    expect(get.body.stored).to.equal(get.body.timestamp);
  });

  it('round-trips dotted extension keys and nested objects identically in exact format', async () => {
    const id = randomUUID();
    const s = statement({
      id,
      timestamp: '2026-01-02T03:04:05.678+01:00',
      result: {
        score: { scaled: 0.875, raw: 7, min: 0, max: 8 },
        extensions: {
          'http://example.org/ext/cmi.core.lesson_status': { 'a.b': [1, { 'c.d': 'e' }], $weird: null, nested: { deep: { deeper: [true, 1.5] } } },
        },
      },
      context: { registration: randomUUID(), extensions: { 'https://w3id.org/xapi/cmi5/context/extensions/sessionid': 'abc.def' } },
    });
    expect(
      (
        await xapi(app)
          .put(`/statements${q({ statementId: id })}`)
          .send(s)
      ).status,
    ).to.equal(204);
    const get = await xapi(app).get(`/statements${q({ statementId: id, format: 'exact' })}`);
    const { stored, authority, version, ...rest } = get.body as Record<string, unknown>;
    expect(stored).to.be.a('string');
    expect(authority).to.be.an('object');
    expect(version).to.equal('1.0.0');
    expect(rest).to.deep.equal(s);
    expect(JSON.stringify(rest)).to.equal(JSON.stringify(s));
  });

  it('answers 400 naming the offending field and rule', async () => {
    const res = await xapi(app)
      .post('/statements')
      .send(statement({ actor: { mbox: 'lena@example.org' } }));
    expect(res.status).to.equal(400);
    expect(res.body.fields[0].field).to.equal('actor.mbox');
    expect(res.body.fields[0].message).to.contain('mailto:');
    const batch = await xapi(app)
      .post('/statements')
      .send([statement(), statement({ verb: { id: 'kein iri' } })]);
    expect(batch.status).to.equal(400);
    expect(batch.body.fields.map((f: { field: string }) => f.field)).to.include('[1].verb.id');
  });

  it('words a refusal in German, or in English where the lng cookie or query asks for it (no language middleware runs before the endpoint)', async () => {
    const bad = statement({ actor: { mbox: 'lena@example.org' } });
    const german = await xapi(app).post('/statements').send(bad);
    expect(german.body.error).to.equal('Die Anweisung ist ungültig; betroffen: actor.mbox.');
    const byCookie = await xapi(app).post('/statements').set('Cookie', 'lng=en').send(bad);
    expect(byCookie.body.error).to.equal('The statement is invalid; concerned: actor.mbox.');
    const byQuery = await xapi(app).get(`/statements${q({ statementId: 'kein-uuid', lng: 'en' })}`);
    expect(byQuery.status).to.equal(400);
    expect(byQuery.body.error).to.match(/^[A-Z][a-z]+ /);
    expect(byQuery.body.error).to.not.match(/[äöüß]|ungültig/);
  });

  it('accepts an empty batch with 200 and [] (xAPI Communication §2.1.2: the ids of what was stored), storing nothing', async () => {
    const before = (await xapi(app).get(`/statements${q({ limit: '1' })}`)).body.statements[0]?.id as string | undefined;
    for (const version of ['1.0.3', '2.0.0']) {
      const res = await xapi(app, SEED_AUTH, version).post('/statements').set('Content-Type', 'application/json').send('[]');
      expect(res.status, version).to.equal(200);
      expect(res.body, version).to.deep.equal([]);
    }
    const after = (await xapi(app).get(`/statements${q({ limit: '1' })}`)).body.statements[0]?.id as string | undefined;
    expect(after).to.equal(before);
    // still an LRS request: credentials and the version header are needed as for any other batch
    expect((await xapi(app, null).post('/statements').send([])).status).to.equal(401);
    expect((await request(app.url).post('/xapi/statements').set('Authorization', SEED_AUTH).send([])).status).to.equal(400);
  });

  it('stores nothing of a batch with one invalid statement', async () => {
    const good = statement({ id: randomUUID() });
    const res = await xapi(app)
      .post('/statements')
      .send([good, statement({ object: { id: 'x' } })]);
    expect(res.status).to.equal(400);
    expect((await xapi(app).get(`/statements${q({ statementId: good.id })}`)).status).to.equal(404);
  });

  it('accepts the same id with the same content (204) and refuses different content (409)', async () => {
    const id = randomUUID();
    const s = statement({ id });
    expect(
      (
        await xapi(app)
          .put(`/statements${q({ statementId: id })}`)
          .send(s)
      ).status,
    ).to.equal(204);
    expect(
      (
        await xapi(app)
          .put(`/statements${q({ statementId: id })}`)
          .send(s)
      ).status,
    ).to.equal(204);
    expect((await xapi(app).post('/statements').send(s)).status).to.equal(200);
    const other = await xapi(app)
      .put(`/statements${q({ statementId: id })}`)
      .send({ ...s, verb: { id: 'http://example.org/other' } });
    expect(other.status).to.equal(409);
  });

  it('refuses a whole batch when one id is reused with other content, storing none of it', async () => {
    const known = statement({ id: randomUUID() });
    await xapi(app).post('/statements').send(known).expect(200);
    const fresh = statement({ id: randomUUID() });
    const res = await xapi(app)
      .post('/statements')
      .send([fresh, { ...known, verb: { id: 'http://example.org/changed' } }]);
    expect(res.status).to.equal(409);
    expect((await xapi(app).get(`/statements${q({ statementId: fresh.id })}`)).status).to.equal(404);
  });

  it('voids a statement whose voiding statement arrived first', async () => {
    const id = randomUUID();
    await xapi(app)
      .post('/statements')
      .send(statement({ verb: { id: 'http://adlnet.gov/expapi/verbs/voided' }, object: { objectType: 'StatementRef', id } }))
      .expect(200);
    await xapi(app).post('/statements').send(statement({ id })).expect(200);
    expect((await xapi(app).get(`/statements${q({ statementId: id })}`)).status).to.equal(404);
    expect((await xapi(app).get(`/statements${q({ voidedStatementId: id })}`)).status).to.equal(200);
  });

  it('answers 404 for unknown statements and unknown resources', async () => {
    expect((await xapi(app).get(`/statements${q({ statementId: randomUUID() })}`)).status).to.equal(404);
    expect((await xapi(app).get('/nothing-here')).status).to.equal(404);
  });

  it('refuses a request without X-Experience-API-Version or with an unsupported one', async () => {
    const res = await xapi(app).get('/statements').set('X-Experience-API-Version', '0.95');
    expect(res.status).to.equal(400);
    const about = await xapi(app, null).get('/about').unset('X-Experience-API-Version');
    expect(about.status).to.equal(200);
    expect(about.body.version).to.include('1.0.3');
  });

  it('answers 413 for a body over the limit', async () => {
    const res = await fetch(`${app.url}/xapi/statements`, {
      method: 'POST',
      headers: { 'X-Experience-API-Version': '1.0.3', Authorization: SEED_AUTH, 'Content-Type': 'application/json' },
      body: Buffer.alloc(17 * 1024 * 1024, 0x20),
    });
    expect(res.status).to.equal(413);
  });

  it('voids a statement: gone from queries, found by voidedStatementId', async () => {
    const target = statement({ id: randomUUID() });
    await xapi(app).post('/statements').send(target).expect(200);
    const voiding = statement({ verb: { id: 'http://adlnet.gov/expapi/verbs/voided' }, object: { objectType: 'StatementRef', id: target.id } });
    await xapi(app).post('/statements').send(voiding).expect(200);
    expect((await xapi(app).get(`/statements${q({ statementId: target.id })}`)).status).to.equal(404);
    const voided = await xapi(app).get(`/statements${q({ voidedStatementId: target.id })}`);
    expect(voided.status).to.equal(200);
    expect(voided.body.id).to.equal(target.id);
  });

  it('filters by agent, verb, activity and registration and formats ids', async () => {
    const registration = randomUUID();
    const actor = { mbox: `mailto:${randomUUID()}@example.org` };
    const s = statement({ actor, context: { registration } });
    await xapi(app).post('/statements').send([s, statement()]).expect(200);
    const res = await xapi(app).get(
      `/statements${q({ agent: actor, verb: 'http://adlnet.gov/expapi/verbs/experienced', activity: (s.object as { id: string }).id, registration, format: 'ids' })}`,
    );
    expect(res.status).to.equal(200);
    expect(res.body.statements).to.have.length(1);
    expect(res.body.statements[0].object).to.deep.equal({ id: (s.object as { id: string }).id });
    expect(res.body.more).to.equal('');
  });

  it('returns every statement once and only once across `more` pages while new statements arrive', async () => {
    const registration = randomUUID();
    const ids = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const res = await xapi(app)
        .post('/statements')
        .send(Array.from({ length: 5 }, () => statement({ context: { registration } })));
      (res.body as string[]).forEach((id) => ids.add(id));
    }
    const seen: string[] = [];
    let next = `/statements${q({ registration, limit: 3 })}`;
    let page = 0;
    while (next) {
      const res = await xapi(app).get(next);
      expect(res.status).to.equal(200);
      seen.push(...res.body.statements.map((s: { id: string }) => s.id));
      // new statements arrive between pages; they are newer than the first page, so they do not show up
      await xapi(app)
        .post('/statements')
        .send(statement({ context: { registration } }))
        .expect(200);
      next = res.body.more ? String(res.body.more).replace(/^\/xapi/, '') : '';
      page += 1;
      expect(page).to.be.below(20);
    }
    expect(seen).to.have.length(new Set(seen).size);
    expect(new Set(seen)).to.deep.equal(ids);
  });

  it('takes attachments in multipart/mixed and returns them with attachments=true', async () => {
    const content = Buffer.from('Teilnahmebestätigung');
    const sha2 = createHash('sha256').update(content).digest('hex');
    const s = statement({
      id: randomUUID(),
      attachments: [
        { usageType: 'http://example.org/usage/certificate', display: { 'de-DE': 'Bescheinigung' }, contentType: 'text/plain', length: content.length, sha2 },
      ],
    });
    const boundary = 'grenze123';
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(s)}\r\n--${boundary}\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: binary\r\nX-Experience-API-Hash: ${sha2}\r\n\r\n`,
      ),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const post = await xapi(app).post('/statements').set('Content-Type', `multipart/mixed; boundary=${boundary}`).send(body);
    expect(post.status).to.equal(200);
    const get = await xapi(app)
      .get(`/statements${q({ statementId: s.id, attachments: true })}`)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(get.headers['content-type']).to.match(/^multipart\/mixed; boundary=/);
    expect((get.body as Buffer).toString())
      .to.contain('Teilnahmebestätigung')
      .and.to.contain(`X-Experience-API-Hash: ${sha2}`);
    const bad = await xapi(app)
      .post('/statements')
      .set('Content-Type', `multipart/mixed; boundary=${boundary}`)
      .send(body.toString().replace('Teilnahme', 'Tailnahme'));
    expect(bad.status).to.equal(400);
  });

  it('understands the alternate request syntax (method= with a form body)', async () => {
    const id = randomUUID();
    const put = await xapi(app, null)
      .post(`/statements?method=PUT`)
      .unset('X-Experience-API-Version')
      .type('form')
      .send({
        statementId: id,
        content: JSON.stringify(statement()),
        'X-Experience-API-Version': '1.0.3',
        Authorization: `Basic ${Buffer.from('test-seed-key:test-seed-secret-0123456789').toString('base64')}`,
        'Content-Type': 'application/json',
      });
    expect(put.status).to.equal(204);
    expect((await xapi(app).get(`/statements${q({ statementId: id })}`)).status).to.equal(200);
    const extra = await xapi(app).post(`/statements?method=GET&limit=1`).type('form').send({});
    expect(extra.status).to.equal(400);
  });

  it('lets other components store and read statements through the service', async () => {
    const ids = await app.running.app.lrs.storeStatements([statement()]);
    expect(ids).to.have.length(1);
    const s = await app.running.app.lrs.getStatement(ids[0]!);
    expect(s.id).to.equal(ids[0]);
    let problem: unknown;
    await app.running.app.lrs.storeStatements([{ actor: {} }]).catch((e: unknown) => (problem = e));
    expect((problem as { kind?: string }).kind).to.equal('validation');
  });
});
