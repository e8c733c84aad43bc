import { expect } from 'chai';
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from 'jose';
import { extractText, getDocumentProxy } from 'unpdf';
import { commit, launch } from '../player/support.ts';
import { createSession, publishQ1Modules, Q1_MODULES } from '../qualification/helpers.ts';
import { login, startTestApp, type Agent, type TestApp } from '../support/test-app.ts';
import { movableClock } from '../support/clock.ts';
import { getBytes, postForm, setIssueMode } from './helpers.ts';

const unescapeHtml = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The refusal on the holder's page: each missing item as its link and sentence, in order. */
function refusalOf(html: string): Array<{ href: string; message: string }> {
  const box = /<div class="error-summary"[^>]*>([\s\S]*?)<\/ul>/.exec(html)?.[1];
  if (!box) throw new Error(`no refusal on the page: ${html.slice(0, 300)}`);
  return [...box.matchAll(/<li><a href="([^"]*)">([^<]*)<\/a><\/li>/g)].map((m) => ({ href: unescapeHtml(m[1]!), message: unescapeHtml(m[2]!) }));
}

/** The three required Q2 topics, each with the session the learner attends. */
const TOPICS = [
  { topic: 'experimentierraeume', title: 'Experimentierräume initiieren und moderieren', session: 'Experimentierräume – Saarbrücken' },
  { topic: 'netzwerk-community', title: 'Netzwerk- und Community-Bildung', session: 'Netzwerkabend – virtuell' },
  { topic: 'reflecting-team', title: 'Reflecting Team', session: 'Reflecting Team – Homburg' },
] as const;
const SCORES: Record<string, number> = { 'tools-methoden': 95, technik: 90, megatrends: 85 };

/**
 * Issue 8 end to end, with nothing standing in: the real qualification component decides, Q1
 * progress comes from the player's own records (SCORM 1.2 commits through the dashboard's launch),
 * prerequisites and attendance are entered and verified through the pages.
 */
describe('certificates: the whole qualification path to a certificate', function () {
  this.timeout(60_000);
  let app: TestApp;
  let moduleIds: Map<string, string>;
  let learner: { agent: Agent; id: string };
  let trainer: { agent: Agent; id: string };
  let admin: { agent: Agent; id: string };
  const sessionIds: string[] = [];
  const holderName = 'Jörg Weißmüller-Öztürk';
  const clock = movableClock();

  const person = async (roles: Array<'learner' | 'trainer' | 'admin'>, overrides = {}) => {
    const user = await app.createUser(roles, overrides);
    const agent = app.agent();
    expect((await login(agent, user.email, user.password)).status).to.equal(302);
    return { agent, id: user.id };
  };
  const requestCertificate = () => postForm(learner.agent, '/certificates', '/certificates/request', {});
  /** Marks the learner attended once the session has begun (sessions lie in the future). */
  const markAttended = async (sessionId: string) => {
    clock.travelTo((await app.running.app.qualification.service.planning.sessionOr404(sessionId)).startsAt);
    try {
      const res = await postForm(trainer.agent, `/trainer/sessions/${sessionId}`, `/trainer/sessions/${sessionId}/attendance`, {
        learnerId: learner.id,
        status: 'attended',
      });
      expect(res.status, res.text.slice(0, 300)).to.equal(303);
    } finally {
      clock.reset();
    }
  };

  before(async () => {
    app = await startTestApp({ clock });
    moduleIds = await publishQ1Modules(app);
    learner = await person(['learner'], { name: holderName });
    trainer = await person(['trainer']);
    admin = await person(['admin']);
    // the trainer leads the learner's cohort: trainers verify only their cohorts' learners
    await app.running.app.qualification.service.planning.createCohort({
      name: 'Durchgang Saar 2026/1',
      region: 'saarland',
      trainerIds: [trainer.id],
      learnerIds: [learner.id],
    });
  });
  after(async () => app.stop());

  it('refuses a new learner with every requirement still open, each with its link', async () => {
    const res = await requestCertificate();
    expect(res.status).to.equal(409);
    expect(refusalOf(res.text)).to.deep.equal([
      {
        href: '/path/prerequisites#authorisation',
        message: 'Die Autorisierung als OM-Beraterin bzw. OM-Berater fehlt. Bitte tragen Sie Nummer, Datum und Partnerorganisation ein.',
      },
      {
        href: '/path/prerequisites#workshop',
        message: 'Die Teilnahme am Workshop „Gemeinsames Beratungsverständnis“ fehlt. Bitte tragen Sie Datum und Ort ein.',
      },
      { href: '/dashboard', message: 'Noch nicht abgeschlossene Q1-Module: Q1 · Tools + Methoden, Q1 · Technik, Q1 · Megatrends.' },
      ...TOPICS.map((t) => ({ href: `/sessions?topic=${t.topic}`, message: `Der Q2-Termin „${t.title}“ ist noch nicht besucht.` })),
    ]);
  });

  it("takes both prerequisites from the learner's forms and a trainer's verification", async () => {
    const a = await postForm(learner.agent, '/path/prerequisites', '/path/prerequisites/authorisation', {
      number: 'OM-2024-0815',
      date: '2024-05-02',
      partner: 'Partner Saar e. V.',
    });
    expect(a.status, a.text.slice(0, 300)).to.equal(302);
    const w = await postForm(learner.agent, '/path/prerequisites', '/path/prerequisites/workshop', { workshopDate: '2024-06-10', place: 'Saarbrücken' });
    expect(w.status, w.text.slice(0, 300)).to.equal(302);
    expect((await trainer.agent.get('/trainer/verifications')).text).to.contain(holderName);
    for (const kind of ['authorisation', 'workshop']) {
      const res = await postForm(trainer.agent, '/trainer/verifications', `/trainer/verifications/${learner.id}/${kind}`, { decision: 'verified' });
      expect(res.status).to.equal(303);
    }
    const e = await app.running.app.qualification.service.eligibility(learner.id);
    expect(e.prerequisites.authorisation.state).to.equal('verified');
    expect(e.prerequisites.workshop.state).to.equal('verified');
  });

  it('counts the Q1 modules the learner passes in the player (SCORM 1.2 commits, progress records)', async () => {
    for (const { slug } of Q1_MODULES) {
      const { config } = await launch(learner.agent, moduleIds.get(slug)!);
      const res = await commit(
        learner.agent,
        config,
        1,
        { 'cmi.core.lesson_status': 'completed', 'cmi.core.score.raw': String(SCORES[slug]), 'cmi.core.session_time': '0000:12:00.00', 'cmi.core.exit': '' },
        { terminate: true },
      );
      expect(res.body, slug).to.deep.equal({ result: true, errorCode: 0 });
    }
    const e = await app.running.app.qualification.service.eligibility(learner.id);
    expect(e.q1.map((m) => [m.title, m.status, m.score])).to.deep.equal(Q1_MODULES.map((m) => [m.title, 'passed', SCORES[m.slug]]));
    expect(e.missing.map((m) => m.code)).to.deep.equal(['q2-topic-missing', 'q2-topic-missing', 'q2-topic-missing']);
  });

  it('counts the Q2 sessions the learner registered for and a trainer marked attended; refuses while one is missing', async () => {
    for (const t of TOPICS) {
      const s = await createSession(app, { topic: t.topic, title: t.session, trainerIds: [trainer.id] });
      sessionIds.push(s.id);
      const reg = await postForm(learner.agent, `/sessions/${s.id}`, `/sessions/${s.id}/register`, {});
      expect(reg.status, `${t.topic}: ${reg.text.slice(0, 300)}`).to.equal(302);
    }
    await markAttended(sessionIds[0]!);
    await markAttended(sessionIds[1]!);
    await setIssueMode(admin.agent, 'automatic');

    const res = await requestCertificate();
    expect(res.status).to.equal(409);
    expect(refusalOf(res.text)).to.deep.equal([
      { href: '/sessions?topic=reflecting-team', message: 'Der Q2-Termin „Reflecting Team“ ist noch nicht besucht.' },
    ]);
  });

  it('issues the certificate at once in automatic mode; criteria and PDF name the modules and sessions', async () => {
    await markAttended(sessionIds[2]!);
    const res = await requestCertificate();
    expect(res.status, res.text.slice(0, 300)).to.equal(303);
    const page = (await learner.agent.get('/certificates')).text;
    const id = /\/certificates\/([a-f0-9]{24})\/pdf/.exec(page)?.[1];
    const code = /<code>([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})<\/code>/.exec(page)?.[1];
    expect(id, 'a certificate on the holder page').to.be.a('string');
    expect(code).to.be.a('string');
    for (const m of Q1_MODULES) expect(page).to.contain(`${m.title} (${SCORES[m.slug]} %)`);

    // the credential, checked with nothing but the published key set
    const jwt = (await getBytes(learner.agent, `/certificates/${id}/credential.jwt`)).body.toString('utf8');
    const jwks = (await app.agent().get('/.well-known/jwks.json')).body as JSONWebKeySet;
    await jwtVerify(jwt, createLocalJWKSet(jwks));
    const vc = decodeJwt(jwt) as { credentialSubject: { achievement: { criteria: { narrative: string } } } };
    const narrative = vc.credentialSubject.achievement.criteria.narrative;
    const moduleLines = Q1_MODULES.map((m) => `- ${m.title} (${SCORES[m.slug]} %)`);
    for (const line of moduleLines) expect(narrative).to.contain(line);
    expect(
      moduleLines.map((l) => narrative.indexOf(l)),
      'modules in the order of the requirements',
    ).to.deep.equal(moduleLines.map((l) => narrative.indexOf(l)).sort((a, b) => a - b));
    for (const t of TOPICS) expect(narrative).to.contain(`- ${t.title}: ${t.session} am `);
    for (const slug of ['tools-methoden', 'megatrends']) expect(narrative, 'titles, not slugs').not.to.contain(slug);

    const pdf = await getBytes(learner.agent, `/certificates/${id}/pdf`);
    expect(pdf.status).to.equal(200);
    expect(pdf.headers['content-type']).to.match(/^application\/pdf/);
    expect(pdf.body.subarray(0, 5).toString('latin1')).to.equal('%PDF-');
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(pdf.body)), { mergePages: true });
    expect(text).to.contain(holderName);
    expect(text).to.contain(code!);
    for (const m of Q1_MODULES) expect(text).to.contain(m.title);
    for (const t of TOPICS) expect(text).to.contain(t.session);

    const verify = await app.agent().get(`/api/verify/${code}`);
    expect(verify.body).to.include({ status: 'valid', holderName });
  });
});
