/**
 * The actions `npm run bench:scale` times over real HTTP, each against an empty and a large app,
 * taking turns sample by sample so both meet the same machine. The database commands of each
 * request are counted through the driver's command monitoring (the server runs in this process).
 */
import { randomUUID } from 'node:crypto';
import type { Running } from '../../src/boot.ts';
import { SESSION_EXT, VERB } from '../../src/player/statements.ts';
import { csrfOf, loginCookie, loginForm, percentile, submitLogin } from './bench-support.ts';
import { PASSWORD, type YearData } from './scale-data.ts';

export interface Side {
  p50: number;
  p95: number;
  /** Database commands per request (mean). */
  commands: number;
  /** The collections with the most commands, e.g. "player_launches 9, lrs_statements 3". */
  byCollection: string;
  topCollections: string;
}
export interface ActionResult {
  name: string;
  goal: 'ratio' | 'second' | 'none';
  empty: Side;
  large: Side;
}

interface Target {
  running: Running;
  data: YearData;
}

/** Everything one app's actions need: who is signed in, and what they act on. */
interface Context {
  base: string;
  learner: { cookie: string; csrf: string; email: string; agent: string; registration: string };
  trainer: string;
  author: string;
  admin: string;
  cohortId: string;
  code: string;
  modules: { scorm: string; cmi5: string };
  /** Set by the launches: the SCORM commit URL and the cmi5 AU's session. */
  scorm?: { commitUrl: string; seq: number };
  cmi5?: { auth: string; actor: string; registration: string; activityId: string; sessionId: string };
  commands: Array<{ name: string; collection: string }>;
}

const unescapeHtml = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
const playerConfig = (html: string) =>
  JSON.parse(unescapeHtml(/data-config="([^"]*)"/.exec(html)![1]!)) as { frameUrl: string; scorm: { commitUrl: string } | null };
const XAPI = { 'X-Experience-API-Version': '1.0.3' };

async function ok(res: Response, what: string, status = 200): Promise<string> {
  const body = await res.text();
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${body.slice(0, 300)}`);
  return body;
}

/** A learner who has finished Q1 (the dashboard, path and launches then show a whole year), from the middle cohort on. */
async function pickLearner(t: Target): Promise<{ learner: YearData['learners'][number]; cohortIndex: number }> {
  const slugs = t.data.modules.map((m) => m.slug);
  const from = Math.floor(t.data.cohorts.length / 2);
  for (let c = from; c < from + t.data.cohorts.length; c++) {
    const cohort = t.data.cohorts[c % t.data.cohorts.length]!;
    for (const id of cohort.learnerIds) {
      const progress = await t.running.app.player.service.progressFor(id, slugs);
      if (progress.every((p) => p.status === 'completed' || p.status === 'passed'))
        return { learner: t.data.learners.find((l) => l.id === id)!, cohortIndex: c % t.data.cohorts.length };
    }
  }
  return { learner: t.data.learners[0]!, cohortIndex: 0 };
}

async function prepare(t: Target): Promise<Context> {
  const base = t.running.url;
  const { learner, cohortIndex } = await pickLearner(t);
  const cohort = t.data.cohorts[cohortIndex]!;
  const trainer = t.data.trainers.find((p) => cohort.trainerIds.includes(p.id))!;
  const cookie = await loginCookie(base, learner.email, PASSWORD);
  const csrf = csrfOf(await ok(await fetch(`${base}/dashboard`, { headers: { cookie } }), 'dashboard'))!;
  const cmi5 = t.data.modules.find((m) => m.format === 'cmi5')!;
  const [attempt] = await t.running.app.player.repo.listAttempts(learner.id, cmi5.id);
  const agent = JSON.stringify({ objectType: 'Agent', account: { homePage: base, name: learner.id } });
  const commands: Context['commands'] = [];
  // the apps' connections were opened with monitorCommands (scale.ts)
  t.running.connection.getClient().on('commandStarted', (e) => {
    const target = (e.command as Record<string, unknown>)[e.commandName];
    commands.push({ name: e.commandName, collection: typeof target === 'string' ? target : '' });
  });
  return {
    base,
    learner: { cookie, csrf, email: learner.email, agent, registration: attempt?.registration ?? '' },
    trainer: await loginCookie(base, trainer.email, PASSWORD),
    author: await loginCookie(base, t.data.author.email, PASSWORD),
    admin: await loginCookie(base, t.data.admin.email, PASSWORD),
    cohortId: cohort.id,
    code: t.data.certificateCodes[0] ?? 'XXXX-XXXX-XXXX-XXXX',
    modules: { scorm: t.data.modules.find((m) => m.format === 'scorm2004')!.id, cmi5: cmi5.id },
    commands,
  };
}

/** "Fortsetzen" on the dashboard: POST start, then the player page it leads to (a new launch). */
async function launch(c: Context, moduleId: string): Promise<ReturnType<typeof playerConfig>> {
  const res = await fetch(`${c.base}/player/modules/${moduleId}/start`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: c.learner.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: c.learner.csrf, mode: 'resume' }),
  });
  await ok(res, 'start', 303);
  const page = await ok(await fetch(`${c.base}${res.headers.get('location')!}`, { headers: { cookie: c.learner.cookie } }), 'player page');
  return playerConfig(page);
}

type Action = { name: string; goal: ActionResult['goal']; run: (c: Context) => Promise<void>; setup?: (c: Context) => Promise<void> };

function actions(lrsAuth: string): Action[] {
  const get = (who: (c: Context) => string, url: (c: Context) => string) => async (c: Context) => {
    await ok(await fetch(`${c.base}${url(c)}`, { headers: { cookie: who(c) } }), url(c));
  };
  const xapi = (query: (c: Context) => string) => async (c: Context) => {
    const body = await ok(await fetch(`${c.base}/xapi/statements?${query(c)}`, { headers: { Authorization: lrsAuth, ...XAPI } }), 'GET /xapi/statements');
    if (!(JSON.parse(body) as { statements: unknown[] }).statements.length) throw new Error(`GET /xapi/statements?${query(c)}: keine Treffer`);
  };
  const learner = (c: Context) => c.learner.cookie;
  return [
    {
      name: 'Anmeldung (POST /login)',
      goal: 'ratio',
      run: async (c) => {
        const form = await loginForm(c.base);
        c.commands.length = 0;
        const t = performance.now();
        await submitLogin(c.base, form, c.learner.email, PASSWORD);
        // only the POST counts: the form was fetched before
        (c as Context & { override?: number }).override = performance.now() - t;
      },
    },
    { name: 'Dashboard', goal: 'ratio', run: get(learner, () => '/dashboard') },
    { name: 'Lernpfad (/path)', goal: 'ratio', run: get(learner, () => '/path') },
    {
      name: 'Start SCORM 2004 (start + Player)',
      goal: 'ratio',
      run: async (c) => {
        const view = await launch(c, c.modules.scorm);
        c.scorm = { commitUrl: view.scorm!.commitUrl, seq: 0 };
      },
    },
    {
      name: 'SCORM-Commit',
      goal: 'ratio',
      run: async (c) => {
        c.scorm!.seq += 1;
        const minutes = c.scorm!.seq;
        const body = JSON.stringify({
          seq: c.scorm!.seq,
          terminate: false,
          cmi: { 'cmi.location': `seite-${minutes}`, 'cmi.suspend_data': `{"seite":${minutes}}`, 'cmi.session_time': `PT${minutes}M` },
        });
        const res = await fetch(`${c.base}${c.scorm!.commitUrl}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        const answer = JSON.parse(await ok(res, 'commit')) as { result: boolean };
        if (!answer.result) throw new Error('commit refused');
      },
    },
    {
      name: 'Start cmi5 (start + Player)',
      goal: 'ratio',
      run: async (c) => {
        const view = await launch(c, c.modules.cmi5);
        const params = new URL(view.frameUrl).searchParams;
        c.cmi5 = {
          auth: params.get('fetch')!,
          actor: params.get('actor')!,
          registration: params.get('registration')!,
          activityId: params.get('activityId')!,
          sessionId: '',
        };
      },
    },
    {
      name: 'cmi5 State PUT',
      goal: 'ratio',
      // the AU of the last launch: fetch its token, read LMS.LaunchData, send "initialized"
      setup: async (c) => {
        const fetched = JSON.parse(await ok(await fetch(c.cmi5!.auth, { method: 'POST' }), 'cmi5 fetch')) as { 'auth-token': string };
        c.cmi5!.auth = `Basic ${fetched['auth-token']}`;
        const q = new URLSearchParams({ activityId: c.cmi5!.activityId, agent: c.cmi5!.actor, registration: c.cmi5!.registration, stateId: 'LMS.LaunchData' });
        const launchData = JSON.parse(
          await ok(await fetch(`${c.base}/xapi/activities/state?${q}`, { headers: { Authorization: c.cmi5!.auth, ...XAPI } }), 'LMS.LaunchData'),
        ) as { contextTemplate: { extensions: Record<string, string> } };
        c.cmi5!.sessionId = launchData.contextTemplate.extensions[SESSION_EXT]!;
        await postStatement(c, 'initialized', true);
      },
      run: async (c) => {
        const q = new URLSearchParams({
          activityId: c.cmi5!.activityId,
          agent: c.cmi5!.actor,
          registration: c.cmi5!.registration,
          stateId: 'https://gezu-lotse.de/xapi/state/progress',
        });
        const res = await fetch(`${c.base}/xapi/activities/state?${q}`, {
          method: 'PUT',
          headers: { Authorization: c.cmi5!.auth, 'content-type': 'application/json', ...XAPI },
          body: JSON.stringify({ location: `seite-${Date.now() % 9}` }),
        });
        await ok(res, 'state PUT', 204);
      },
    },
    { name: 'cmi5 Statement POST', goal: 'ratio', run: (c) => postStatement(c, 'progressed', false) },
    {
      name: 'Trainer: Kohorten-Übersicht',
      goal: 'ratio',
      run: get(
        (c) => c.trainer,
        (c) => `/trainer/cohorts/${c.cohortId}`,
      ),
    },
    // insight (#19): the cohort dashboard and the question view of the trainer's cohort of 50
    {
      name: 'Trainer: Auswertung (Dashboard)',
      goal: 'ratio',
      run: get(
        (c) => c.trainer,
        (c) => `/trainer/insight/cohorts/${c.cohortId}`,
      ),
    },
    {
      name: 'Trainer: Auswertung (Fragen)',
      goal: 'ratio',
      run: get(
        (c) => c.trainer,
        (c) => `/trainer/insight/cohorts/${c.cohortId}/questions`,
      ),
    },
    {
      name: 'Autorin: Modulliste',
      goal: 'ratio',
      run: get(
        (c) => c.author,
        () => '/author/modules',
      ),
    },
    {
      name: 'Admin: Anweisungen (1. Seite)',
      goal: 'none',
      run: get(
        (c) => c.admin,
        () => '/admin/lrs/statements',
      ),
    },
    { name: 'GET /xapi/statements?agent', goal: 'second', run: xapi((c) => `agent=${encodeURIComponent(c.learner.agent)}`) },
    { name: 'GET /xapi/statements?activity', goal: 'second', run: xapi((c) => `activity=${encodeURIComponent(c.cmi5!.activityId)}`) },
    { name: 'GET /xapi/statements?registration', goal: 'second', run: xapi((c) => `registration=${c.learner.registration}`) },
    {
      name: 'Partner: /verify/<code>',
      goal: 'ratio',
      run: get(
        () => '',
        (c) => `/verify/${c.code}`,
      ),
    },
    {
      name: 'Partner: /api/verify/<code>',
      goal: 'ratio',
      run: get(
        () => '',
        (c) => `/api/verify/${c.code}`,
      ),
    },
  ];
}

/** A statement of the AU's open session (cmi5 "initialized" or an allowed statement like "progressed"). */
async function postStatement(c: Context, verb: 'initialized' | 'progressed', cmi5: boolean): Promise<void> {
  const s = c.cmi5!;
  const statement = {
    id: randomUUID(),
    actor: JSON.parse(s.actor) as unknown,
    verb: { id: verb === 'progressed' ? 'http://adlnet.gov/expapi/verbs/progressed' : VERB.initialized, display: { 'en-US': verb } },
    object: { objectType: 'Activity', id: s.activityId },
    ...(verb === 'progressed' ? { result: { extensions: { 'https://w3id.org/xapi/cmi5/result/extensions/progress': 50 } } } : {}),
    context: {
      registration: s.registration,
      contextActivities: cmi5 ? { category: [{ id: 'https://w3id.org/xapi/cmi5/context/categories/cmi5' }] } : {},
      extensions: { [SESSION_EXT]: s.sessionId },
    },
    timestamp: new Date().toISOString(),
  };
  const res = await fetch(`${c.base}/xapi/statements`, {
    method: 'POST',
    headers: { Authorization: s.auth, 'content-type': 'application/json', ...XAPI },
    body: JSON.stringify(statement),
  });
  await ok(res, `POST ${verb}`);
}

function summarise(times: number[], commands: Array<Array<{ name: string; collection: string }>>): Side {
  const all = commands.flat();
  const per = new Map<string, number>();
  for (const c of all) per.set(c.collection || c.name, (per.get(c.collection || c.name) ?? 0) + 1);
  const top = [...per].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${(v / commands.length).toFixed(1)}`);
  return {
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    commands: all.length / commands.length,
    byCollection: top.join(', '),
    topCollections: top.slice(0, 2).join(', '),
  };
}

/** Runs every action `samples` times on both apps (after one untimed warm-up each), taking turns. */
export async function measureActions(
  targets: [Target, Target],
  opts: { samples: number; lrsAuth: string; log: (line: string) => void; only?: string },
): Promise<ActionResult[]> {
  const contexts = [await prepare(targets[0]), await prepare(targets[1])] as const;
  const results: ActionResult[] = [];
  // --only: the actions whose name contains the text (a quick look at a few, e.g. --only Auswertung)
  for (const action of actions(opts.lrsAuth).filter((a) => !opts.only || a.name.includes(opts.only))) {
    const times: [number[], number[]] = [[], []];
    const cmds: [Array<Array<{ name: string; collection: string }>>, Array<Array<{ name: string; collection: string }>>] = [[], []];
    for (const c of contexts) {
      await action.setup?.(c);
      await action.run(c);
    }
    for (let i = 0; i < opts.samples; i++) {
      for (const k of [0, 1] as const) {
        const c = contexts[k] as Context & { override?: number };
        c.commands.length = 0;
        c.override = undefined;
        const t = performance.now();
        await action.run(c);
        const ms = performance.now() - t;
        times[k].push(c.override ?? ms);
        cmds[k].push([...c.commands]);
      }
    }
    const r = { name: action.name, goal: action.goal, empty: summarise(times[0], cmds[0]), large: summarise(times[1], cmds[1]) };
    opts.log(`  ${action.name}: leer ${r.empty.p50.toFixed(1)} ms, groß ${r.large.p50.toFixed(1)} ms`);
    results.push(r);
  }
  return results;
}
