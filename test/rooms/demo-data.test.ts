import { rm } from 'node:fs/promises';
import { expect } from 'chai';
import { login, startTestApp, type Agent, type TestApp } from '../support/test-app.ts';

const LOTSE_EMAIL = 'lotsin@demo.gezu-lotse.de';

/** Starts an app and returns what it wrote to stdout while starting (the demo logins are printed there). */
async function startCapturing(env: Record<string, string>): Promise<{ app: TestApp; printed: string }> {
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return typeof rest[rest.length - 1] === 'function' ? ((rest[rest.length - 1] as () => void)(), true) : true;
  }) as typeof process.stdout.write;
  try {
    const app = await startTestApp({ env });
    return { app, printed: chunks.join('') };
  } finally {
    process.stdout.write = write;
  }
}

interface RoomJson {
  room: { title: string; topic: string; region: string; targetTrade: string; targetSize: string; capacity: number; leadId: string; experts: unknown[] };
  role: string;
  status: string;
  dates: Array<{ startsAt: string; mode: string; place: string; past: boolean }>;
}

describe('demo data: the certified demo Lotse and her Experimentierraum', function () {
  this.timeout(120_000);
  let app: TestApp;
  let printed: string;
  let lotse: Agent;
  let lotseId: string;

  before(async () => {
    ({ app, printed } = await startCapturing({ DEMO_DATA: 'true' }));
    const password = new RegExp(`${LOTSE_EMAIL.replace(/\./g, '\\.')}\\s+(\\S+)`).exec(printed)?.[1];
    if (!password) throw new Error(`the demo Lotse's login was not printed:\n${printed}`);
    lotse = app.agent();
    const res = await login(lotse, LOTSE_EMAIL, password);
    if (res.status !== 302) throw new Error(`the demo Lotse cannot sign in: ${res.status}`);
    lotseId = (await app.running.app.accounts.service.findUsersByEmails([LOTSE_EMAIL]))[0]!.id;
  });
  after(async () => {
    await app?.stop();
  });

  it('prints the demo Lotse once with the other demo logins', () => {
    expect(printed.match(/Demo-Zugänge/g)).to.have.length(1);
    expect(printed.match(/@demo\.gezu-lotse\.de/g)).to.have.length(5);
    expect(printed).to.match(/learner\s+lotsin@demo\.gezu-lotse\.de\s+\S+/);
  });

  it('gives her a current certificate that verifies as valid, listing every Q1 module and Q2 topic', async () => {
    const overview = await app.running.app.certificates.service.overview(lotseId);
    expect(overview.current, 'current certificate').to.not.equal(undefined);
    expect(overview.current!.holderName).to.equal('Lara Lotsin');
    expect(overview.current!.revokedAt ?? null).to.equal(null);
    expect(overview.current!.modules.map((m) => m.moduleSlug)).to.deep.equal(['tools-methoden', 'technik', 'megatrends']);
    expect(overview.current!.sessions.map((s) => s.topic)).to.deep.equal(['experimentierraeume', 'netzwerk-community', 'reflecting-team']);
    expect(overview.earlier).to.have.length(0);

    const page = await lotse.get('/certificates');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain(`<code>${overview.current!.code}</code>`);
    const verified = await app.agent().get(`/api/verify/${overview.current!.code}`);
    expect(verified.status).to.equal(200);
    expect(verified.body.status).to.equal('valid');
    expect(verified.body.holderName).to.equal('Lara Lotsin');
  });

  it('lets her lead exactly one planned room with four coming dates, two in Stuttgart and two virtual', async () => {
    const list = await lotse.get('/api/experimentierraeume').set('Accept', 'application/json');
    expect(list.status).to.equal(200);
    const rooms = (list.body as { rooms: Array<{ id: string; title: string; role: string; status: string }> }).rooms;
    expect(rooms.map((r) => [r.title, r.role, r.status])).to.deep.equal([['Digitale Werkzeuge im Handwerk', 'lead', 'planned']]);

    const res = await lotse.get(`/api/experimentierraeume/${rooms[0]!.id}`).set('Accept', 'application/json');
    expect(res.status).to.equal(200);
    const d = res.body as RoomJson;
    expect(d.room).to.include({
      topic: 'digitale Werkzeuge',
      region: 'baden-wuerttemberg',
      targetTrade: 'Handwerk',
      targetSize: '1-9',
      capacity: 12,
      leadId: lotseId,
    });
    expect(d.room.experts).to.have.length(1);
    expect(d.dates).to.have.length(4);
    expect(d.dates.every((x) => !x.past && new Date(x.startsAt).getTime() > Date.now())).to.equal(true);
    const onSite = d.dates.filter((x) => x.mode === 'vor-ort');
    const virtual = d.dates.filter((x) => x.mode === 'virtuell');
    expect(onSite).to.have.length(2);
    expect(onSite.every((x) => x.place.includes('Stuttgart'))).to.equal(true);
    expect(virtual).to.have.length(2);
    expect(virtual.every((x) => /^https:\/\//.test(x.place))).to.equal(true);

    const page = await lotse.get('/experimentierraeume');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Digitale Werkzeuge im Handwerk');
  });

  it('creates nothing twice when the server starts again on the same database', async () => {
    const again = await startCapturing({ DEMO_DATA: 'true', MONGODB_DB: app.running.connection.name, DATA_DIR: app.dataDir });
    try {
      expect(again.printed).to.not.contain('Demo-Zugänge');
      const db = app.running.connection;
      expect(await db.collection('users').countDocuments({ emailKey: LOTSE_EMAIL })).to.equal(1);
      expect(await db.collection('users').countDocuments()).to.equal(5);
      expect(await db.collection('certificates').countDocuments({ learnerId: lotseId })).to.equal(1);
      expect(await db.collection('rooms').countDocuments()).to.equal(1);
      const overview = await again.app.running.app.certificates.service.overview(lotseId);
      expect(overview.current).to.not.equal(undefined);
      expect(overview.earlier).to.have.length(0);
    } finally {
      // the first app's stop drops the shared database; this one only stops (and removes its unused temp dir)
      await again.app.running.stop();
      await rm(again.app.dataDir, { recursive: true, force: true });
    }
  });
});
