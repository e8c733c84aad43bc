import { expect } from 'chai';
import { decodeJwt } from 'jose';
import { statusBit } from '../../src/certificates/status-list.ts';
import { undeclaredCollections } from '../../src/privacy/coverage.ts';
import { createErasureRunner } from '../../src/privacy/erasure/run-erasure.ts';
import { createPrivacyRegistry } from '../../src/privacy/registry.ts';
import { createPrivacyRepository } from '../../src/privacy/repository.ts';
import { EVIDENCE_PDF, outbox } from '../qualification/helpers.ts';
import { movableClock } from '../support/clock.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { scanDatabase, streamToBuffer, unzip } from './scan.ts';
import { learnerWhoDidEverything, lockVia } from './support.ts';

const json = (zip: Map<string, Buffer>, name: string): unknown => {
  const b = zip.get(name);
  if (!b) throw new Error(`${name} is not in the zip: ${[...zip.keys()].join(', ')}`);
  return JSON.parse(b.toString('utf8'));
};

/**
 * Issue #18's Done-when: the export of a learner who did everything holds every item; after the
 * erasure no document in any collection names the person, the certificate verifies as revoked
 * without a name, and an erasure cut short by a crash finishes when it runs again.
 */
describe('privacy: export and erasure of a learner who did everything', function () {
  this.timeout(180_000);
  let app: TestApp;
  const clock = movableClock();
  const who = { name: 'Erika Löschmann-Quastenflosser', email: 'erika.quastenflosser@example.org' };
  let world: Awaited<ReturnType<typeof learnerWhoDidEverything>>;
  /** The certificate's place in the status list, read from its credential before the erasure. */
  let statusListIndex: number;

  before(async () => {
    app = await startTestApp({ clock });
    world = await learnerWhoDidEverything(app, clock, who);
  });
  after(async () => app.stop());

  it('exports every item in one zip with a German README, the link mailed to the learner', async () => {
    const { learner, privacy, code } = world;
    await privacy.service.exports.request({ id: learner.id, roles: ['learner'] }, learner.id);
    await privacy.service.exports.settle();
    const mail = (await outbox(app)).find((m) => m.to === learner.email && m.subject.includes('Datenauskunft'));
    expect(mail, 'the ready mail').to.exist;
    const token = /\/privacy\/exports\/([A-Za-z0-9_-]+)/.exec(mail!.text)?.[1];
    expect(token).to.be.a('string');

    const file = await privacy.service.exports.download({ id: learner.id, roles: ['learner'] }, token!);
    const zip = await unzip(await streamToBuffer(file.stream));
    const readme = zip.get('README.md')!.toString('utf8');
    expect(readme).to.contain('# Ihre Daten in der GeZu Lotse Academy');
    expect(readme).to.contain('Art. 15 und Art. 20 DSGVO');
    expect(readme).to.contain(who.name);

    expect(json(zip, 'konto/konto.json')).to.include({ email: who.email, name: who.name });
    expect(JSON.stringify(json(zip, 'konto/konto.json'))).not.to.contain('passwordHash');
    const statements = json(zip, 'lernaktivitaeten-xapi/xapi-anweisungen.json') as Array<{ actor: { account?: { name: string } }; verb: { id: string } }>;
    expect(
      statements.filter((s) => s.verb.id === 'http://adlnet.gov/expapi/verbs/attended'),
      'attendance statements',
    ).to.have.length(3);
    expect(
      statements.every((s) => s.actor.account?.name === learner.id),
      'only the learner’s statements',
    ).to.equal(true);
    expect(statements.length, 'SCORM-derived statements too').to.be.greaterThan(3);
    const docs = json(zip, 'lernaktivitaeten-xapi/xapi-dokumente.json') as Array<{ id: string; inhalt: string }>;
    expect(docs.find((d) => d.id === 'notizen')?.inhalt).to.contain('Meine Notiz');

    expect(json(zip, 'lernaktivitaeten-xapi/xapi-erwaehnungen.json'), 'the learner is named in nobody else’s statements').to.deep.equal([]);
    expect(json(zip, 'lernmodule/versuche.json')).to.have.length(3);
    const items = json(zip, 'lernmodule/lerneinheiten.json') as Array<{ cmi: Record<string, string> }>;
    expect(items.map((i) => i.cmi['cmi.core.score.raw'])).to.deep.equal(['90', '90', '90']);
    expect(json(zip, 'lernmodule/fortschritt.json')).to.have.length(3);

    expect(json(zip, 'qualifizierung/voraussetzungen.json')).to.nested.include({ 'authorisation.state': 'verified', 'workshop.state': 'verified' });
    const evidence = [...zip.keys()].filter((k) => k.startsWith('qualifizierung/nachweise/'));
    expect(evidence).to.have.length(1);
    expect(zip.get(evidence[0]!)!.equals(EVIDENCE_PDF), 'the evidence file as uploaded').to.equal(true);
    const registrations = json(zip, 'qualifizierung/q2-anmeldungen.json') as { plaetze: Array<{ termin: { title: string } }> };
    expect(registrations.plaetze.map((p) => p.termin.title).sort()).to.deep.equal(['Q2 experimentierraeume', 'Q2 netzwerk-community', 'Q2 reflecting-team']);
    const attendance = json(zip, 'qualifizierung/q2-anwesenheit.json') as Array<{ status: string }>;
    expect(attendance.map((a) => a.status)).to.deep.equal(['attended', 'attended', 'attended']);
    expect(json(zip, 'qualifizierung/durchgaenge.json')).to.have.length(1);

    expect(json(zip, 'zertifikate/zertifikate.json')).to.have.length(1);
    expect(zip.get(`zertifikate/zertifikat-${code}.pdf`)!.subarray(0, 5).toString('latin1')).to.equal('%PDF-');
    const vc = decodeJwt(zip.get(`zertifikate/zertifikat-${code}.jwt`)!.toString('utf8')) as {
      credentialSubject: { name?: string };
      credentialStatus: { statusListIndex: string };
    };
    statusListIndex = Number(vc.credentialStatus.statusListIndex);
    expect(JSON.stringify(vc)).to.contain(who.name);

    expect((json(zip, 'datenschutz/einwilligungen.json') as Array<{ version: string }>)[0]?.version).to.equal('2026-12-01');
    const trail = json(zip, 'datenschutz/protokoll.json') as Array<{ action: string }>;
    expect(trail.map((e) => e.action).sort(), 'staff actions about the learner').to.deep.equal(['certificate-issue', 'evidence-decision', 'evidence-decision']);
  });

  it('gives the link once, and only to its owner', async () => {
    const { learner, other, privacy } = world;
    await privacy.service.exports.request({ id: learner.id, roles: ['learner'] }, learner.id);
    await privacy.service.exports.settle();
    const mails = (await outbox(app)).filter((m) => m.to === learner.email && m.subject.includes('Datenauskunft'));
    const token = /\/privacy\/exports\/([A-Za-z0-9_-]+)/.exec(mails[mails.length - 1]!.text)![1]!;
    await expectRefusal(privacy.service.exports.download({ id: other.id, roles: ['learner'] }, token), 'not-found');
    await streamToBuffer((await privacy.service.exports.download({ id: learner.id, roles: ['learner'] }, token)).stream);
    await expectRefusal(privacy.service.exports.download({ id: learner.id, roles: ['learner'] }, token), 'gone');
  });

  it('declares every collection that holds the learner’s id, e-mail or name in the register', async () => {
    const { learner, privacy } = world;
    const hits = await scanDatabase(app.running.connection, [learner.id, learner.email, learner.name]);
    const personal = new Set(privacy.registry.personalCollections().map((c) => c.name));
    expect(
      [...hits.keys()].filter((c) => !personal.has(c)),
      'collections with personal data but no entry',
    ).to.deep.equal([]);
    expect(hits.size, 'the scan finds the learner at all').to.be.greaterThan(10);
    expect(await undeclaredCollections(app.running.connection, privacy.registry), 'every collection the whole path made').to.deep.equal([]);
  });

  it('finishes an erasure cut short by a failing step and a crash, when it runs again', async () => {
    const { learner, admin, privacy } = world;
    const request = await privacy.service.erasures.request({ id: learner.id, roles: ['learner'] }, learner.id);
    expect(request.state).to.equal('requested');
    const repo = createPrivacyRepository(app.running.connection);
    await repo.updateErasure(request.id, {}, { state: 'confirmed', confirmedBy: admin.id });

    // the player's step fails the first time: lock and LRS are done, the rest waits
    const failing = createPrivacyRegistry(
      privacy.registry.entries.map((e) => (e.component === 'player' ? { ...e, erase: async () => Promise.reject(new Error('simulierter Absturz')) } : e)),
    );
    const run = createErasureRunner({ repo, registry: failing, clock, logger: app.running.ctx.logger, lock: (id) => lockVia(app, id) });
    const first = await run(request.id);
    expect(first.state).to.equal('failed');
    const afterFailure = await repo.findErasure(request.id);
    expect(afterFailure?.doneSteps).to.deep.equal(['lock', 'lrs']);
    expect(afterFailure?.lastError).to.equal('simulierter Absturz');
    expect(afterFailure?.subject?.id, 'the subject is still known for the re-run').to.equal(learner.id);
    expect((await learner.agent.get('/dashboard')).status, 'the account is locked at once').to.equal(302);

    // then a process dies holding the lease: the next run takes over once the lease has run out
    await repo.updateErasure(request.id, {}, { state: 'running', leaseUntil: new Date(clock.now().getTime() - 1000) });
    const outcomes = await privacy.service.erasures.runDue();
    expect(outcomes.map((o) => o.state)).to.deep.equal(['done']);
    const done = await repo.findErasure(request.id);
    expect(done).to.include({ state: 'done', subject: null, requestedBy: 'self', openKey: `closed:${request.reference}` });
    expect(done?.doneSteps).to.deep.equal([
      'lock',
      'lrs',
      'player',
      'insight',
      'qualification',
      'certificates',
      'content',
      'rooms',
      'privacy',
      'community',
      'results',
      'platform',
      'accounts',
    ]);
  });

  it('leaves no document in any collection that names the person', async () => {
    const { learner } = world;
    const hits = await scanDatabase(app.running.connection, [learner.id, learner.email, learner.name]);
    expect(Object.fromEntries(hits)).to.deep.equal({});
  });

  it('keeps the other learner’s records of the same cohort and sessions', async () => {
    const { other, trainer } = world;
    const page = await app.running.app.lrs.service.getStatements({
      agent: { objectType: 'Agent', account: { homePage: app.running.ctx.publicUrl(), name: other.id } },
    } as never);
    expect(page.statements.filter((s) => (s as { verb: { id: string } }).verb.id === 'http://adlnet.gov/expapi/verbs/attended')).to.have.length(3);
    const e = await app.running.app.qualification.service.eligibility(other.id);
    expect(e.q2.filter((s) => s.attended)).to.have.length(3);
    const cohorts = await app.running.connection.db!.collection('qualification_cohorts').find({}).toArray();
    expect(cohorts.map((c) => c.learnerIds)).to.deep.equal([[other.id]]);
    expect(cohorts.map((c) => c.trainerIds)).to.deep.equal([[trainer.id]]);
  });

  it('answers the certificate’s verification with "widerrufen" and no name', async () => {
    const api = await app.agent().get(`/api/verify/${world.code}`);
    expect(api.status).to.equal(200);
    expect(api.body.status).to.equal('revoked');
    expect(api.body.holderName ?? '').to.equal('');
    const page = await app.agent().get(`/verify/${world.code}`);
    expect(page.text).to.contain('Widerrufen');
    expect(page.text).not.to.contain(who.name);
    const list = await app.running.app.certificates.service.encodedStatusList(1);
    expect(statusBit(list!, statusListIndex), 'revoked in the status list').to.equal(true);
    const [entry] = await app.running.connection.db!.collection('certificates').find({}).toArray();
    expect(entry).to.include({ revocationReason: 'privacy:revocation.erased', holderName: '', jwt: '' });
  });

  it("erases a trainer from other people's records: their statements keep an anonymous instructor", async () => {
    const { trainer, other, admin, privacy } = world;
    // the trainer's own export names the learners' attendance statements by id only: they are the learners' data
    await privacy.service.exports.request({ id: trainer.id, roles: ['trainer'] }, trainer.id);
    await privacy.service.exports.settle();
    const mail = (await outbox(app)).find((m) => m.to === trainer.email && m.subject.includes('Datenauskunft'))!;
    const token = /\/privacy\/exports\/([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
    const zip = await unzip(await streamToBuffer((await privacy.service.exports.download({ id: trainer.id, roles: ['trainer'] }, token)).stream));
    expect(json(zip, 'lernaktivitaeten-xapi/xapi-anweisungen.json')).to.deep.equal([]);
    expect(json(zip, 'lernaktivitaeten-xapi/xapi-erwaehnungen.json')).to.have.length(3);
    expect(zip.get('lernaktivitaeten-xapi/xapi-erwaehnungen.json')!.toString('utf8')).not.to.contain(other.name);

    const request = await privacy.service.erasures.request({ id: trainer.id, roles: ['trainer'] }, trainer.id);
    await privacy.service.erasures.confirm({ id: admin.id, roles: ['admin'] }, request.id);
    await privacy.service.erasures.settle();
    const hits = await scanDatabase(app.running.connection, [trainer.id, trainer.email, trainer.name]);
    expect(Object.fromEntries(hits)).to.deep.equal({});
    const page = await app.running.app.lrs.service.getStatements({
      agent: { objectType: 'Agent', account: { homePage: app.running.ctx.publicUrl(), name: other.id } },
    } as never);
    const attended = page.statements.filter((s) => (s as { verb: { id: string } }).verb.id === 'http://adlnet.gov/expapi/verbs/attended') as Array<{
      context: { instructor: { name: string; account: { name: string } } };
    }>;
    expect(attended).to.have.length(3);
    expect(attended.map((s) => s.context.instructor.name)).to.deep.equal(['Gelöschte Person', 'Gelöschte Person', 'Gelöschte Person']);
    expect(attended[0]!.context.instructor.account.name).to.equal(`geloescht-${request.reference}`);
    const e = await app.running.app.qualification.service.eligibility(other.id);
    expect(e.prerequisites.workshop.state, "the trainer's decisions stay").to.equal('verified');
    expect(e.q2.filter((s) => s.attended)).to.have.length(3);
  });

  it('mails the person that the erasure is done', async () => {
    const mails = (await outbox(app)).filter((m) => m.to === who.email).map((m) => m.subject);
    expect(mails).to.include('GeZu Lotse Academy: Ihre Daten wurden gelöscht');
  });
});

async function expectRefusal(p: Promise<unknown>, kind: string): Promise<void> {
  try {
    await p;
  } catch (err) {
    expect((err as { kind?: string }).kind).to.equal(kind);
    return;
  }
  expect.fail(`expected a ${kind} refusal`);
}
