import { expect } from 'chai';
import { csrfFrom, login, startTestApp, type Agent, type TestApp } from '../support/test-app.ts';
import {
  constrainedChoicePackage,
  forcedSequentialPackage,
  objectivesPackage,
  postTestRollupPackage,
  preTestPackage,
  randomTestPackage,
  remediationPackage,
  sequencingPackage,
} from '../fixtures/player/sequencing-packages.ts';
import { commit, configOf, launch, publishPackage, type PlayerConfig } from './support.ts';

/**
 * The classic SCORM 2004 sequencing patterns (test/fixtures/player/sequencing-packages.ts) played end
 * to end through the real server: the dashboard's start, the player page, the SCO's commits with
 * Terminate (and its adl.nav.request), the player's controls (POST …/sequencing) and the page's next
 * step (GET …/sequencing). What is asserted is what the learner sees (the activity delivered, the
 * table of contents) and what the progress record says after partial and after full play: a module
 * is never completed or passed before its root activity is.
 */

const REFUSED = 'Dieser Schritt ist nach den Regeln des Moduls gerade nicht möglich.';

interface TocRow {
  id: string;
  status: string;
  /** The row is a button (a choice request for it is offered). */
  offered: boolean;
  current: boolean;
}

/** The table of contents as the page renders it (views/player/sequencing-nav.pug). */
function tocOf(html: string): TocRow[] {
  const rows: TocRow[] = [];
  for (const m of html.matchAll(/<li class="([^"]*)" data-activity="([^"]+)" data-status="([^"]+)">(.*?)<\/li>/gs)) {
    rows.push({ id: m[2]!, status: m[3]!, offered: /<button[^>]*name="target"/.test(m[4]!), current: m[1]!.split(' ').includes('current') });
  }
  return rows;
}
const tocIds = (html: string) => tocOf(html).map((r) => r.id);

/** The control buttons: request → enabled. */
function buttonsOf(html: string): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const m of html.matchAll(/<button[^>]*name="request" value="(\w+)"([^>]*)>/g)) out[m[1]!] = !/\bdisabled\b/.test(m[2]!);
  return out;
}

/** Where the player is after a step: an activity running, nothing running (the learner picks), or away. */
type Where = { kind: 'deliver'; itemId: string } | { kind: 'between' } | { kind: 'exit'; url: string };

/** One learner's browser on one attempt's player page. */
class Player {
  config!: PlayerConfig;
  html = '';
  /** adl.nav.request_valid as GET …/sequencing gave it after the last Terminate (RTE 4.3). */
  requestValid: { continue: boolean; previous: boolean; choice: string[] } | null = null;
  private seq = 0;
  constructor(
    readonly agent: Agent,
    readonly attemptId: string,
  ) {}

  get page(): string {
    return `/player/attempts/${this.attemptId}`;
  }
  /** The activity running on the page ('' when the engine delivered nothing). */
  get itemId(): string {
    return this.config.itemId;
  }
  get cmi(): Record<string, string> {
    return this.config.scorm?.cmi ?? {};
  }

  static async start(agent: Agent, moduleId: string, mode: 'resume' | 'new' = 'resume'): Promise<Player> {
    const { attemptId, config, html } = await launch(agent, moduleId, mode);
    const p = new Player(agent, attemptId);
    p.config = config;
    p.html = html;
    return p;
  }

  /** Opens the attempt's page (with ?item=: a choice request for that activity). */
  async open(item?: string): Promise<Where> {
    const res = await this.agent.get(`${this.page}${item ? `?item=${encodeURIComponent(item)}` : ''}`);
    expect(res.status, res.text.slice(0, 300)).to.equal(200);
    this.html = res.text;
    this.config = pageConfig(res.text);
    this.seq = 0;
    return this.itemId ? { kind: 'deliver', itemId: this.itemId } : { kind: 'between' };
  }

  /** A commit of the running SCO without Terminate (autocommit). */
  async save(cmi: Record<string, string>): Promise<void> {
    const res = await commit(this.agent, this.config, ++this.seq, cmi);
    expect(res.status).to.equal(200);
  }

  /**
   * The SCO's Terminate with its data and adl.nav.request (the terminating commit), then what the page
   * does: ask the server where to go and follow it.
   */
  async end(cmi: Record<string, string>, navRequest?: string): Promise<Where> {
    const data = { 'cmi.exit': 'normal', 'cmi.session_time': 'PT1M', ...cmi, ...(navRequest ? { 'adl.nav.request': navRequest } : {}) };
    const res = await commit(this.agent, this.config, ++this.seq, data, { terminate: true });
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ result: true, errorCode: 0 });
    const state = await this.agent.get(`${this.page}/sequencing`).set('Accept', 'application/json');
    expect(state.status).to.equal(200);
    this.requestValid = (state.body.requestValid as Player['requestValid']) ?? null;
    const next = state.body.next as string | null;
    if (next === this.page) return this.open();
    if (next) return { kind: 'exit', url: next };
    // the page swaps in the new controls (the SCO's frame is left empty)
    this.html = state.body.html as string;
    this.config = { ...this.config, itemId: '', scorm: null };
    return { kind: 'between' };
  }

  /** A control of the page (button or table-of-contents entry), posted as the form does. */
  async request(request: string, target?: string): Promise<{ location: string; where: Where }> {
    const res = await this.agent
      .post(`${this.page}/sequencing`)
      .type('form')
      .send({ _csrf: csrfFrom(this.html), request, ...(target ? { target } : {}) });
    expect(res.status, res.text.slice(0, 300)).to.equal(303);
    const location = res.headers.location as string;
    if (location !== this.page) return { location, where: { kind: 'exit', url: location } };
    return { location, where: await this.open() };
  }
}

const unescapeHtml = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
/** The page's configuration; without a delivered activity the page frames nothing (configOf needs a frame URL). */
function pageConfig(html: string): PlayerConfig {
  const m = /data-config="([^"]*)"/.exec(html);
  if (!m) throw new Error(`no player config in page: ${html.slice(0, 300)}`);
  const raw = JSON.parse(unescapeHtml(m[1]!)) as Omit<PlayerConfig, 'contentUrl'>;
  return raw.frameUrl ? configOf(html) : { ...raw, contentUrl: '' };
}

const completed = { 'cmi.completion_status': 'completed' };
const passedSco = { 'cmi.completion_status': 'completed', 'cmi.success_status': 'passed' };
const failedSco = { 'cmi.completion_status': 'completed', 'cmi.success_status': 'failed' };
const scored = (scaled: number) => ({ 'cmi.completion_status': 'completed', 'cmi.score.scaled': String(scaled) });
/** cmi.objectives.N.* of the launch data, as "id/success_status/score.scaled/score.raw" in index order. */
function objectivesOf(cmi: Record<string, string>): string[] {
  const out: string[] = [];
  for (let n = 0; cmi[`cmi.objectives.${n}.id`] !== undefined; n++) {
    out.push(['id', 'success_status', 'score.scaled', 'score.raw'].map((f) => cmi[`cmi.objectives.${n}.${f}`] ?? '').join('/'));
  }
  return out;
}

describe('player: SCORM 2004 sequencing patterns over HTTP', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ env: { LOG_LEVEL: process.env.PLAYER_LOG ?? 'silent' } });
  });
  after(async () => app.stop());

  const attemptOf = async (id: string) => (await app.running.app.player.repo.findAttempt(id))!;
  const progressOf = async (learnerId: string, slug: string) => (await app.running.app.player.service.progressFor(learnerId, [slug]))[0]!;
  const launchedItems = async (attemptId: string) => (await app.running.app.player.repo.listLaunches(attemptId)).map((l) => l.itemId);
  /** After partial play: neither the progress record (unless an earlier attempt counts) nor the attempt says done. */
  async function notDoneYet(learnerId: string, slug: string, attemptId: string, why: string, opts: { earlierAttemptDone?: boolean } = {}) {
    const p = await progressOf(learnerId, slug);
    if (!opts.earlierAttemptDone) expect(p.status, `${why}: progress`).to.not.be.oneOf(['passed', 'completed']);
    const a = await attemptOf(attemptId);
    expect(a.completion, `${why}: attempt completion`).to.equal(false);
    expect(a.success, `${why}: attempt success`).to.not.equal('passed');
  }
  /** A learner with a module of their own. */
  async function learnerWith(files: Record<string, string>, slug: string) {
    const { module } = await publishPackage(app, files, slug);
    const { agent, user } = await app.loggedIn();
    return { agent, user, moduleId: module.id, slug };
  }

  it('(a) forced sequential order: Continue only, in order, the course done only with the last SCO', async () => {
    const { agent, user, moduleId, slug } = await learnerWith(forcedSequentialPackage(), 'seq-http-forced');
    const p = await Player.start(agent, moduleId);
    expect(p.itemId).to.equal('grundlagen');
    expect(tocIds(p.html)).to.deep.equal(['grundlagen', 'vertiefung', 'abschluss']);
    expect(
      tocOf(p.html).filter((r) => r.offered),
      'choice="false": nothing to choose',
    ).to.deep.equal([]);
    expect(buttonsOf(p.html)).to.include({ continue: true, previous: false });
    await notDoneYet(user.id, slug, p.attemptId, 'after the start');

    // choice="false" and forwardOnly: the server refuses, the running SCO stays
    const choice = await p.request('choice', 'abschluss');
    expect(choice.where).to.deep.equal({ kind: 'deliver', itemId: 'grundlagen' });
    expect(p.html).to.contain(REFUSED);
    expect(await launchedItems(p.attemptId)).to.not.include('abschluss');

    expect(await p.end(passedSco, 'continue')).to.deep.equal({ kind: 'deliver', itemId: 'vertiefung' });
    expect(tocOf(p.html).find((r) => r.id === 'grundlagen')?.status).to.equal('passed');
    const previous = await p.request('previous');
    expect(previous.where, 'forwardOnly').to.deep.equal({ kind: 'deliver', itemId: 'vertiefung' });
    expect(p.html).to.contain(REFUSED);
    await notDoneYet(user.id, slug, p.attemptId, 'after one of three');

    expect(await p.end(passedSco, 'continue')).to.deep.equal({ kind: 'deliver', itemId: 'abschluss' });
    await notDoneYet(user.id, slug, p.attemptId, 'after two of three');

    expect(await p.end(passedSco, 'continue')).to.deep.equal({ kind: 'exit', url: '/dashboard' });
    const attempt = await attemptOf(p.attemptId);
    expect(attempt).to.include({ state: 'ended', completion: true, success: 'passed' });
    expect((await progressOf(user.id, slug)).status).to.equal('passed');
    // the refused requests opened the running SCO again (a new launch of it), nothing else
    expect(await launchedItems(p.attemptId)).to.deep.equal(['grundlagen', 'grundlagen', 'vertiefung', 'vertiefung', 'abschluss']);
  });

  it('(a) forced sequential order: a SCO that is not satisfied keeps the next one disabled', async () => {
    const { agent, user, moduleId, slug } = await learnerWith(forcedSequentialPackage(), 'seq-http-forced-blocked');
    const p = await Player.start(agent, moduleId);
    // objectiveSetByContent: "completed" alone is not "passed", so Vertiefung stays disabled
    expect(await p.end(completed, 'continue')).to.deep.equal({ kind: 'between' });
    expect(await launchedItems(p.attemptId)).to.deep.equal(['grundlagen']);
    await notDoneYet(user.id, slug, p.attemptId, 'blocked');
    const cont = await p.request('continue');
    expect(cont.where).to.deep.equal({ kind: 'between' });
    expect(p.html).to.contain(REFUSED);
    expect(await launchedItems(p.attemptId)).to.deep.equal(['grundlagen']);
  });

  it('refuses a forged request to deliver a disabled activity, by URL and by form, and keeps the running SCO', async () => {
    // choice is allowed, but "Prüfung" is disabled until "Lektion" is satisfied (golf "disabled" precondition)
    const files = sequencingPackage({
      identifier: 'com.example.seq.forged',
      title: 'Gesperrt',
      orgSequencing: '<imsss:controlMode choice="true" flow="true"/>',
      items: [
        {
          id: 'lektion',
          title: 'Lektion',
          sequencing: `<imsss:objectives><imsss:primaryObjective objectiveID="lektion-p"><imsss:mapInfo targetObjectiveID="forged-lektion" readSatisfiedStatus="false" writeSatisfiedStatus="true"/></imsss:primaryObjective></imsss:objectives>
    <imsss:deliveryControls completionSetByContent="true" objectiveSetByContent="true"/>`,
        },
        {
          id: 'pruefung',
          title: 'Prüfung',
          sequencing: `<imsss:sequencingRules><imsss:preConditionRule>
        <imsss:ruleConditions conditionCombination="any">
          <imsss:ruleCondition referencedObjective="aus-lektion" operator="not" condition="satisfied"/>
          <imsss:ruleCondition referencedObjective="aus-lektion" operator="not" condition="objectiveStatusKnown"/>
        </imsss:ruleConditions><imsss:ruleAction action="disabled"/></imsss:preConditionRule></imsss:sequencingRules>
    <imsss:objectives><imsss:primaryObjective objectiveID="pruefung-p"/><imsss:objective objectiveID="aus-lektion"><imsss:mapInfo targetObjectiveID="forged-lektion" readSatisfiedStatus="true"/></imsss:objective></imsss:objectives>`,
        },
      ],
    });
    const { agent, user, moduleId, slug } = await learnerWith(files, 'seq-http-forged');
    const p = await Player.start(agent, moduleId);
    expect(p.itemId).to.equal('lektion');
    expect(tocOf(p.html).find((r) => r.id === 'pruefung')?.offered, 'not offered while disabled').to.equal(false);

    // a hand-made URL: the choice is refused, Lektion opens again with the refusal
    expect(await p.open('pruefung')).to.deep.equal({ kind: 'deliver', itemId: 'lektion' });
    expect(p.html).to.contain(REFUSED);
    // a forged form post
    const forged = await p.request('choice', 'pruefung');
    expect(forged.location).to.equal(p.page);
    expect(forged.where).to.deep.equal({ kind: 'deliver', itemId: 'lektion' });
    expect(p.html).to.contain(REFUSED);
    expect(await launchedItems(p.attemptId)).to.not.include('pruefung');
    const attempt = await attemptOf(p.attemptId);
    expect(attempt.state).to.equal('open');

    // Lektion failed: still disabled, also while nothing runs
    expect(await p.end(failedSco)).to.deep.equal({ kind: 'between' });
    expect(p.requestValid?.choice).to.deep.equal(['lektion']);
    const between = await p.request('choice', 'pruefung');
    expect(between.where).to.deep.equal({ kind: 'between' });
    expect(p.html).to.contain(REFUSED);
    expect(await p.open('pruefung'), 'by URL while nothing runs').to.deep.equal({ kind: 'between' });
    expect(await launchedItems(p.attemptId)).to.not.include('pruefung');
    await notDoneYet(user.id, slug, p.attemptId, 'Lektion failed');

    // once Lektion is passed, the same choice is offered and delivers
    expect(await p.request('choice', 'lektion')).to.deep.include({ where: { kind: 'deliver', itemId: 'lektion' } });
    expect(await p.end(passedSco)).to.deep.equal({ kind: 'between' });
    expect(tocOf(p.html).find((r) => r.id === 'pruefung')?.offered).to.equal(true);
    expect(p.requestValid?.choice).to.include('pruefung');
    expect((await p.request('choice', 'pruefung')).where).to.deep.equal({ kind: 'deliver', itemId: 'pruefung' });
    await notDoneYet(user.id, slug, p.attemptId, 'Prüfung not yet done');
    expect(await p.end(passedSco)).to.deep.equal({ kind: 'between' });
    expect((await progressOf(user.id, slug)).status).to.equal('passed');
  });

  it('(b) simple remediation: after a failed test only the content behind the failed objective, then the test again', async () => {
    const { agent, user, moduleId, slug } = await learnerWith(remediationPackage(), 'seq-http-remediation');
    const p = await Player.start(agent, moduleId);
    expect(p.itemId).to.equal('kapitel1');
    expect(tocIds(p.html)).to.deep.equal(['kapitel1', 'kapitel2', 'test']);
    expect(await p.end(completed, 'continue')).to.deep.equal({ kind: 'deliver', itemId: 'kapitel2' });
    expect(await p.end(completed, 'continue')).to.deep.equal({ kind: 'deliver', itemId: 'test' });
    await notDoneYet(user.id, slug, p.attemptId, 'content done, test not taken');
    expect(objectivesOf(p.cmi).map((o) => o.split('/')[0])).to.deep.equal(['test-bestanden', 'kapitel1-gekonnt', 'kapitel2-gekonnt']);

    const test = (score: number, k1: string, k2: string) => ({
      ...scored(score),
      'cmi.objectives.0.id': 'test-bestanden',
      'cmi.objectives.1.id': 'kapitel1-gekonnt',
      'cmi.objectives.1.success_status': k1,
      'cmi.objectives.2.id': 'kapitel2-gekonnt',
      'cmi.objectives.2.success_status': k2,
    });
    // failed (0.5 < 0.8) with Kapitel 1 mastered: retryAll skips Kapitel 1
    expect(await p.end(test(0.5, 'passed', 'failed'), 'continue')).to.deep.equal({ kind: 'deliver', itemId: 'kapitel2' });
    expect(buttonsOf(p.html).previous, 'nothing before Kapitel 2 in this attempt').to.not.equal(true);
    await notDoneYet(user.id, slug, p.attemptId, 'test failed, remediation running');
    expect(await p.end(completed, 'continue')).to.deep.equal({ kind: 'deliver', itemId: 'test' });
    await notDoneYet(user.id, slug, p.attemptId, 'second test running');

    expect(await p.end(test(0.9, 'passed', 'passed'), 'continue')).to.deep.equal({ kind: 'exit', url: '/dashboard' });
    expect(await attemptOf(p.attemptId)).to.include({ state: 'ended', completion: true, success: 'passed', scoreScaled: 0.9 });
    const progress = await progressOf(user.id, slug);
    expect(progress.status).to.equal('passed');
    expect(progress.score).to.equal(90);
    expect(await launchedItems(p.attemptId)).to.deep.equal(['kapitel1', 'kapitel2', 'test', 'kapitel2', 'test']);
  });

  it('(c) pre-test: the content it found mastered is skipped; only the post-test decides', async () => {
    const { agent, user, moduleId, slug } = await learnerWith(preTestPackage(), 'seq-http-pretest');
    const p = await Player.start(agent, moduleId);
    expect(p.itemId).to.equal('vortest');
    expect(tocIds(p.html)).to.deep.equal(['vortest', 'modul1', 'modul2', 'nachtest']);
    expect(objectivesOf(p.cmi).map((o) => o.split('/')[0])).to.deep.equal(['vortest-primary', 'modul1-vorwissen', 'modul2-vorwissen']);
    const pretest = {
      ...completed,
      'cmi.objectives.0.id': 'vortest-primary',
      'cmi.objectives.1.id': 'modul1-vorwissen',
      'cmi.objectives.1.success_status': 'passed',
      'cmi.objectives.2.id': 'modul2-vorwissen',
      'cmi.objectives.2.success_status': 'failed',
    };
    expect(await p.end(pretest, 'continue')).to.deep.equal({ kind: 'deliver', itemId: 'modul2' });
    await notDoneYet(user.id, slug, p.attemptId, 'after the pre-test');
    expect((await progressOf(user.id, slug)).status, 'the pre-test does not count').to.equal('in-progress');
    expect(await p.end(completed, 'continue')).to.deep.equal({ kind: 'deliver', itemId: 'nachtest' });
    await notDoneYet(user.id, slug, p.attemptId, 'post-test running');

    expect(await p.end(scored(0.75), 'continue')).to.deep.equal({ kind: 'exit', url: '/dashboard' });
    expect(await attemptOf(p.attemptId)).to.include({ completion: true, success: 'passed', scoreScaled: 0.75 });
    const progress = await progressOf(user.id, slug);
    expect(progress.status).to.equal('passed');
    expect(progress.score).to.equal(75);
    expect(await launchedItems(p.attemptId), 'Modul 1 never delivered').to.deep.equal(['vortest', 'modul2', 'nachtest']);
  });

  it('(d) post-test rollup: only the test decides success and score; completion needs every SCO', async () => {
    const { agent, user, moduleId, slug } = await learnerWith(postTestRollupPackage(), 'seq-http-posttest');
    const p = await Player.start(agent, moduleId);
    expect(p.itemId).to.equal('lektion1');
    expect(await p.end(scored(1), 'continue')).to.deep.equal({ kind: 'deliver', itemId: 'lektion2' });
    expect(await p.end(scored(1), 'continue')).to.deep.equal({ kind: 'deliver', itemId: 'pruefung' });
    await notDoneYet(user.id, slug, p.attemptId, 'lessons at 100 %, test not taken');
    expect((await attemptOf(p.attemptId)).scoreScaled, 'lessons weigh nothing').to.equal(null);
    expect(await p.end(scored(0.6), 'continue')).to.deep.equal({ kind: 'exit', url: '/dashboard' });
    expect(await attemptOf(p.attemptId)).to.include({ completion: true, success: 'failed', scoreScaled: 0.6 });
    expect((await progressOf(user.id, slug)).status).to.equal('failed');

    // a new attempt: both lessons failed, the test passed
    const again = await Player.start(agent, moduleId, 'new');
    expect(again.attemptId).to.not.equal(p.attemptId);
    expect(again.itemId).to.equal('lektion1');
    expect(await again.end(failedSco, 'continue')).to.deep.equal({ kind: 'deliver', itemId: 'lektion2' });
    expect(await again.end(failedSco, 'continue')).to.deep.equal({ kind: 'deliver', itemId: 'pruefung' });
    await notDoneYet(user.id, slug, again.attemptId, 'second attempt before the test');
    expect(await again.end(scored(0.9), 'continue')).to.deep.equal({ kind: 'exit', url: '/dashboard' });
    expect(await attemptOf(again.attemptId)).to.include({ completion: true, success: 'passed', scoreScaled: 0.9 });
    const progress = await progressOf(user.id, slug);
    expect(progress.status).to.equal('passed');
    expect(progress.score).to.equal(90);
  });

  it('(d) post-test rollup: choosing the test early passes the course but leaves it incomplete', async () => {
    const { agent, user, moduleId, slug } = await learnerWith(postTestRollupPackage(), 'seq-http-posttest-early');
    const p = await Player.start(agent, moduleId);
    expect(tocOf(p.html).find((r) => r.id === 'pruefung')?.offered).to.equal(true);
    // the TOC's choice while Lektion 1 runs goes with its Terminate (what the page's script does)
    expect(await p.end(completed, '{target=pruefung}choice')).to.deep.equal({ kind: 'deliver', itemId: 'pruefung' });
    await notDoneYet(user.id, slug, p.attemptId, 'test running');
    expect(await p.end(scored(0.9))).to.deep.equal({ kind: 'between' });
    const attempt = await attemptOf(p.attemptId);
    expect(attempt).to.include({ completion: false, success: 'passed', scoreScaled: 0.9 });
    expect(tocOf(p.html).find((r) => r.id === 'lektion2')?.status).to.equal('not-attempted');
  });

  /**
   * Plays new attempts of a random test until two draws differ (at most 8); checks each draw as the
   * learner sees it: exactly `select` questions listed, the invisible evaluation page never, and the
   * questions asked are the listed ones, then the evaluation page.
   */
  async function playRandomTest(timing: 'once' | 'onEachNewAttempt', slug: string) {
    const { agent, user, moduleId } = await learnerWith(randomTestPackage({ pool: 5, select: 2, timing }), slug);
    const pool = ['frage1', 'frage2', 'frage3', 'frage4', 'frage5'];
    const draws = new Set<string>();
    for (let run = 0; run < 8 && draws.size < 2; run++) {
      const p = await Player.start(agent, moduleId, 'new');
      const toc = tocIds(p.html);
      expect(toc[0]).to.equal('quiz');
      expect(toc, 'the invisible evaluation page').to.not.include('auswertung');
      const listed = toc.filter((id) => id !== 'quiz');
      expect(listed, `attempt ${run}: ${toc.join()}`).to.have.length(2);
      for (const q of listed) expect(pool).to.include(q);
      draws.add([...listed].sort().join('+'));

      const asked = [p.itemId];
      expect(listed, `attempt ${run}: the first question asked is listed`).to.include(p.itemId);
      expect(await p.end(passedSco, 'continue')).to.have.property('kind', 'deliver');
      await notDoneYet(user.id, slug, p.attemptId, `attempt ${run}, one question answered`, { earlierAttemptDone: run > 0 });
      asked.push(p.itemId);
      expect(listed, `attempt ${run}: the second question asked is listed`).to.include(p.itemId);
      expect(new Set(asked).size).to.equal(2);
      expect(await p.end(passedSco, 'continue'), 'after the selected questions: the evaluation page').to.deep.equal({ kind: 'deliver', itemId: 'auswertung' });
      expect(tocIds(p.html), 'still not listed while it runs').to.deep.equal(toc);
      if (run === 0) {
        await notDoneYet(user.id, slug, p.attemptId, 'evaluation page running');
        expect(await p.end(completed, 'continue')).to.deep.equal({ kind: 'exit', url: '/dashboard' });
        expect(await attemptOf(p.attemptId), 'the unselected questions do not count').to.include({ completion: true, success: 'passed' });
        expect((await progressOf(user.id, slug)).status).to.equal('passed');
      }
    }
    expect(draws.size, `selections over new attempts: ${[...draws].join(' | ')}`).to.equal(2);
  }

  it('(e) random test (timing "once"): 2 of a pool of 5, the evaluation page delivered but never listed, another draw in a new attempt', async () => {
    // every attempt of the module is a new sequencing state, so "once" draws again for each
    await playRandomTest('once', 'seq-http-random-once');
  });

  // DEFECT (scorm-again 3.4.3, import report: sequencing-random-each-attempt; SN SR.1/SR.2 select
  // and reorder when the attempt on the quiz begins): with "onEachNewAttempt" flow delivers frage1
  // (first in document order) before the engine draws, so the running question is often not among the
  // two the table of contents lists, the learner is asked 1 to 3 questions, and the list can grow to 3.
  it.skip('(e) random test (timing "onEachNewAttempt"): the same guarantees', async () => {
    await playRandomTest('onEachNewAttempt', 'seq-http-random-each');
  });

  it('(f) constrained choice: a far choice in Teil A is refused, Continue leads through Teil A into Teil B', async () => {
    const { agent, user, moduleId, slug } = await learnerWith(constrainedChoicePackage(), 'seq-http-constrained');
    const p = await Player.start(agent, moduleId);
    expect(p.itemId).to.equal('a1');
    expect(tocIds(p.html)).to.deep.equal(['teilA', 'a1', 'a2', 'a3', 'teilB', 'b1', 'b2']);
    expect(tocOf(p.html).find((r) => r.id === 'a3')?.offered, 'constrainChoice: not beyond the next').to.equal(false);
    expect((await p.request('choice', 'a3')).where).to.deep.equal({ kind: 'deliver', itemId: 'a1' });
    expect(p.html).to.contain(REFUSED);
    expect(await launchedItems(p.attemptId)).to.deep.equal(['a1', 'a1']);

    expect(await p.end(passedSco, 'continue')).to.deep.equal({ kind: 'deliver', itemId: 'a2' });
    expect(await p.end(passedSco, 'continue')).to.deep.equal({ kind: 'deliver', itemId: 'a3' });
    expect(await p.end(passedSco, 'continue')).to.deep.equal({ kind: 'deliver', itemId: 'b1' });
    await notDoneYet(user.id, slug, p.attemptId, 'Teil A done, Teil B running');
    expect(await p.end(passedSco, 'continue')).to.deep.equal({ kind: 'deliver', itemId: 'b2' });
    await notDoneYet(user.id, slug, p.attemptId, 'last SCO running');
    expect(await p.end(passedSco, 'continue')).to.deep.equal({ kind: 'exit', url: '/dashboard' });
    expect(await attemptOf(p.attemptId)).to.include({ completion: true, success: 'passed' });
    expect((await progressOf(user.id, slug)).status).to.equal('passed');
  });

  // DEFECT (scorm-again 3.4.3 look-ahead + src/player/sequencing/navigation.ts apply()): the engine's
  // navigation look-ahead says a choice of b1/b2 is valid while Teil A runs, so the table of contents
  // offers them, and apply() lets the request through on that look-ahead alone: it ends a1's attempt
  // (End Attempt with its last commit; with nothing reported the LMS marks it satisfied, SN UP.4) and
  // only then does the choice fail (SB.2.9-6, preventActivation): nothing runs, no refusal is shown.
  // SN: a choice the sequencer would refuse is not offered (navigation look-ahead), and a refused
  // request leaves the current activity running (NB.2.1 before the termination request).
  it('(f) constrained choice: Teil B (preventActivation) is neither offered nor started by choice, the running SCO stays', async () => {
    const { agent, user, moduleId, slug } = await learnerWith(constrainedChoicePackage(), 'seq-http-constrained-prevent');
    const p = await Player.start(agent, moduleId);
    expect(p.itemId).to.equal('a1');
    for (const target of ['b1', 'b2']) expect(tocOf(p.html).find((r) => r.id === target)?.offered, target).to.equal(false);
    for (const target of ['b1', 'b2']) {
      expect((await p.request('choice', target)).where, target).to.deep.equal({ kind: 'deliver', itemId: 'a1' });
      expect(p.html).to.contain(REFUSED);
    }
    expect(await launchedItems(p.attemptId)).to.deep.equal(['a1', 'a1', 'a1']);
    expect(tocOf(p.html).find((r) => r.id === 'a1')?.status).to.equal('incomplete');
    await notDoneYet(user.id, slug, p.attemptId, 'refused choices');
  });

  // DEFECT (scorm-again 3.4.3, import report: sequencing-constrained-choice): constrainChoice refuses
  // also the logically next activity (NB.2.1-11), and preventActivation every choice inside the
  // already active cluster. SN 4th ed. SB.2.9 / constrainedChoiceConsiderations allow both.
  it.skip('(f) constrained choice per SN: the next activity in Teil A and a sibling inside the active Teil B may be chosen', async () => {
    const { agent, moduleId } = await learnerWith(constrainedChoicePackage(), 'seq-http-constrained-sn');
    const p = await Player.start(agent, moduleId);
    expect(tocOf(p.html).find((r) => r.id === 'a2')?.offered).to.equal(true);
    expect((await p.request('choice', 'a2')).where).to.deep.equal({ kind: 'deliver', itemId: 'a2' });
    expect(await p.end(passedSco, 'continue')).to.deep.equal({ kind: 'deliver', itemId: 'a3' });
    expect(await p.end(passedSco, 'continue')).to.deep.equal({ kind: 'deliver', itemId: 'b1' });
    expect(tocOf(p.html).find((r) => r.id === 'b2')?.offered).to.equal(true);
    expect(await p.end(passedSco, '{target=b2}choice')).to.deep.equal({ kind: 'deliver', itemId: 'b2' });
  });

  it('(g) objectives: cmi.objectives in manifest order, written to globals through mapInfo and read into the next SCO', async () => {
    const { agent, user, moduleId, slug } = await learnerWith(objectivesPackage(), 'seq-http-objectives');
    const p = await Player.start(agent, moduleId);
    expect(p.itemId).to.equal('lernen');
    expect(objectivesOf(p.cmi), 'primary first, nothing known yet').to.deep.equal(['lernen-bestanden///', 'verstanden///', 'vorwissen///']);
    expect(
      await p.end(
        {
          'cmi.objectives.0.id': 'lernen-bestanden',
          'cmi.objectives.1.id': 'verstanden',
          'cmi.objectives.1.success_status': 'passed',
          'cmi.objectives.1.score.scaled': '0.9',
          'cmi.objectives.1.score.raw': '90',
          'cmi.objectives.2.id': 'vorwissen',
          'cmi.score.scaled': '0.7',
          'cmi.completion_status': 'completed',
        },
        'continue',
      ),
    ).to.deep.equal({ kind: 'deliver', itemId: 'anwenden' });
    expect(tocOf(p.html).find((r) => r.id === 'lernen')?.status, 'satisfied by measure 0.7 ≥ 0.6').to.equal('passed');
    await notDoneYet(user.id, slug, p.attemptId, 'Lernen passed, Anwenden running');
    // read through mapInfo (satisfaction, measure) and adlseq:mapInfo (raw score) from obj-verstanden
    expect(objectivesOf(p.cmi)).to.deep.equal(['anwenden-primary///', 'aus-lernen/passed/0.9/90']);
    expect(p.cmi['cmi.completion_threshold']).to.equal('0.8');
    expect(buttonsOf(p.html), 'hideLMSUI previous').to.not.have.property('previous');

    // 0.5 < 0.8: Anwenden is not completed, so neither is the module; it reports no success, so End
    // Attempt satisfies it (SN UP.4, objectiveSetByContent false) and the root is satisfied already
    expect(await p.end({ 'cmi.progress_measure': '0.5' })).to.deep.equal({ kind: 'between' });
    expect((await app.running.app.player.repo.findItem(p.attemptId, 'anwenden'))?.cmi).to.deep.include({ k: 'cmi.completion_status', v: 'incomplete' });
    expect(await attemptOf(p.attemptId)).to.include({ completion: false, success: 'passed' });
    expect((await progressOf(user.id, slug)).status, 'the record follows the root: satisfied, not completed').to.equal('passed');
    expect((await p.request('choice', 'anwenden')).where).to.deep.equal({ kind: 'deliver', itemId: 'anwenden' });
    expect(objectivesOf(p.cmi), 'a new attempt on Anwenden reads the global again').to.deep.equal(['anwenden-primary///', 'aus-lernen/passed/0.9/90']);
    expect(await p.end({ 'cmi.progress_measure': '0.85' })).to.deep.equal({ kind: 'between' });
    expect(await attemptOf(p.attemptId)).to.include({ completion: true, success: 'passed' });
    expect((await progressOf(user.id, slug)).status).to.equal('passed');
    const exit = await p.request('exitAll');
    expect(exit.location).to.equal('/dashboard');
    expect((await attemptOf(p.attemptId)).state).to.equal('ended');
  });

  // DEFECT (src/player/sequencing/engine.ts launchCmi): the launch data carries cmi.objectives and
  // cmi.completion_threshold only, not adl.data (4th ed. RTE 4.4 / CAM adlcp:data): the SCO's API in the
  // browser has no adl.data.n, so Lernen cannot write the shared store and Anwenden cannot read it,
  // although the engine seeds and keeps it (sequencing-tree.test.ts "shares the data store").
  it('(g) shared data: adl.data is initialised from adlcp:data and carries what Lernen wrote to Anwenden', async () => {
    const { agent, moduleId } = await learnerWith(objectivesPackage(), 'seq-http-shared-data');
    const p = await Player.start(agent, moduleId);
    expect(p.cmi['adl.data.0.id']).to.equal('notizen');
    await p.end({ ...scored(0.7), 'adl.data.0.id': 'notizen', 'adl.data.0.store': 'meine Notiz' }, 'continue');
    expect(p.itemId).to.equal('anwenden');
    expect(p.cmi).to.include({ 'adl.data.0.id': 'notizen', 'adl.data.0.store': 'meine Notiz' });
  });

  /** Lernen played so that Anwenden runs with the global objective it wrote. */
  async function intoAnwenden(agent: Agent, moduleId: string): Promise<Player> {
    const p = await Player.start(agent, moduleId);
    await p.end(
      {
        'cmi.objectives.0.id': 'lernen-bestanden',
        'cmi.objectives.1.id': 'verstanden',
        'cmi.objectives.1.success_status': 'passed',
        'cmi.objectives.1.score.scaled': '0.9',
        'cmi.objectives.1.score.raw': '90',
        'cmi.score.scaled': '0.7',
        'cmi.completion_status': 'completed',
      },
      'continue',
    );
    expect(p.itemId).to.equal('anwenden');
    return p;
  }
  /** The same learner on another device: a fresh client logged in with the same account. */
  async function otherDevice(user: { email: string; password: string }): Promise<Agent> {
    const agent = app.agent();
    expect((await login(agent, user.email, user.password)).status).to.equal(302);
    return agent;
  }

  it('suspend all by the SCO (adl.nav.request) and resume all on another device: the same activity, entry resume, the same global objectives', async () => {
    const { agent, user, moduleId, slug } = await learnerWith(objectivesPackage(), 'seq-http-suspend-sco');
    const p = await intoAnwenden(agent, moduleId);
    await p.save({ 'cmi.location': 'seite-2', 'cmi.suspend_data': 'antworten=1,3', 'cmi.progress_measure': '0.4' });
    expect(
      await p.end({ 'cmi.exit': 'suspend', 'cmi.location': 'seite-2', 'cmi.suspend_data': 'antworten=1,3', 'cmi.progress_measure': '0.4' }, 'suspendAll'),
    ).to.deep.equal({ kind: 'exit', url: '/dashboard' });
    expect((await attemptOf(p.attemptId)).state).to.equal('suspended');
    await notDoneYet(user.id, slug, p.attemptId, 'suspended');

    const phone = await otherDevice(user);
    expect((await phone.get('/dashboard')).text).to.contain('Fortsetzen');
    const resumed = await Player.start(phone, moduleId, 'resume');
    expect(resumed.attemptId).to.equal(p.attemptId);
    expect(resumed.itemId).to.equal('anwenden');
    expect(resumed.cmi['cmi.entry']).to.equal('resume');
    expect(resumed.cmi['cmi.location']).to.equal('seite-2');
    expect(resumed.cmi['cmi.suspend_data']).to.equal('antworten=1,3');
    expect(objectivesOf(resumed.cmi)).to.deep.equal(['anwenden-primary///', 'aus-lernen/passed/0.9/90']);
    expect(tocOf(resumed.html).find((r) => r.id === 'lernen')?.status, 'the tracking tree restored').to.equal('passed');
    expect((await attemptOf(p.attemptId)).state).to.equal('open');
    await notDoneYet(user.id, slug, p.attemptId, 'resumed');

    // the first device's page is stale: its late commit changes nothing
    await commit(agent, p.config, 99, { 'cmi.location': 'alt' });
    expect((await app.running.app.player.repo.findItem(p.attemptId, 'anwenden'))?.cmi).to.deep.include({ k: 'cmi.location', v: 'seite-2' });

    expect(await resumed.end({ 'cmi.progress_measure': '0.9' })).to.deep.equal({ kind: 'between' });
    expect((await progressOf(user.id, slug)).status).to.equal('passed');
  });

  // DEFECT (src/player/launch/launch-scorm.ts): whether a delivered SCO resumes is decided only by
  // its stored cmi.exit === 'suspend' (`resume = stored.launchCount > 0 && prev.suspended`). After a
  // suspend all whose SCO did not set exit=suspend (the LMS's "Unterbrechen" while it runs, or the
  // SCO's own adl.nav.request=suspendAll with another exit), the engine resumes the suspended attempt
  // (SN TB.2.3 suspends the current activity, resumeAll's DB.2 continues its attempt), but the page
  // gets cmi.entry "ab-initio" and its location, suspend_data and total_time are wiped. RTE 4.2.9:
  // cmi.entry is "resume" when the learner's attempt on the SCO resumes from a suspended session.
  it("suspend all by the LMS's control while a SCO runs, resumed on another device into the same activity", async () => {
    for (const how of ['the LMS control', 'adl.nav.request without exit=suspend'] as const) {
      const { agent, user, moduleId, slug } = await learnerWith(objectivesPackage(), `seq-http-suspend-lms-${how === 'the LMS control' ? 'post' : 'nav'}`);
      const p = await intoAnwenden(agent, moduleId);
      // what the SCO last committed before the learner pressed "Unterbrechen"
      const data = { 'cmi.location': 'seite-3', 'cmi.suspend_data': 'antworten=2', 'cmi.progress_measure': '0.3' };
      await p.save({ ...data, 'cmi.session_time': 'PT2M' });
      if (how === 'the LMS control') {
        expect(buttonsOf(p.html).suspendAll).to.equal(true);
        expect((await p.request('suspendAll')).location).to.equal('/dashboard');
      } else {
        expect(await p.end({ ...data, 'cmi.exit': '', 'cmi.session_time': 'PT2M' }, 'suspendAll')).to.deep.equal({ kind: 'exit', url: '/dashboard' });
      }
      expect((await attemptOf(p.attemptId)).state, how).to.equal('suspended');
      await notDoneYet(user.id, slug, p.attemptId, `suspended by ${how}`);

      const tablet = await otherDevice(user);
      const resumed = await Player.start(tablet, moduleId, 'resume');
      expect(resumed.attemptId).to.equal(p.attemptId);
      expect(resumed.itemId).to.equal('anwenden');
      expect(resumed.cmi['cmi.entry'], `${how}: the suspended SCO is resumed`).to.equal('resume');
      expect(resumed.cmi).to.include({ ...data, 'cmi.total_time': 'PT2M' });
      expect(objectivesOf(resumed.cmi)).to.deep.equal(['anwenden-primary///', 'aus-lernen/passed/0.9/90']);
      await notDoneYet(user.id, slug, p.attemptId, 'resumed');
    }
  });
});
