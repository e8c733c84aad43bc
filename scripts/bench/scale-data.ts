/**
 * The data of `npm run bench:scale`: a year of the OM-Lotse qualification, made through the booted
 * app's own services (accounts, prerequisites, cohorts and Q2 sessions, the player's launches, SCORM
 * commits and cmi5 sessions, the LRS, attendance, certificates), so every document has exactly the
 * shape production writes. A moving clock spreads it over the year: each cohort starts a few weeks
 * after the previous one, works through Q1 in eight weeks and meets for Q2 afterwards.
 *
 * Not HTTP: the bulk calls the services a request would call, minus routing, sessions and rendering.
 * The cmi5 AU's part (fetch, statements, its state document) is what @xapi/cmi5 in the built
 * packages sends: the fetch token is redeemed through the player, the AU's statements pass the cmi5
 * session guard with the AU's minted credential (as POST /xapi/statements runs it) and are stored
 * through lrs.storeStatements in one batch per session.
 */
import path from 'node:path';
import { buildAllPackages } from '../build-content/index.ts';
import type { Running } from '../../src/boot.ts';
import { CONTENT_DIR } from '../../src/curriculum/built-packages.ts';
import type { Agent, Statement } from '../../src/lrs/types.ts';
import { versionItems, type ItemSettings } from '../../src/player/launchable-settings.ts';
import type { ContentVersion } from '../../src/player/ports.ts';
import { CMI5_CATEGORY, CMI5_MOVEON_CATEGORY, MASTERY_EXT, SESSION_EXT, VERB, stableUuid } from '../../src/player/statements.ts';
import type { Cohort, Q2Session } from '../../src/qualification/session-repository.ts';
import { captureStory, createCloner, type Story } from './scale-clone.ts';

export const PASSWORD = 'Bench-Passwort-2026';
const DAY = 24 * 3600_000;
const MINUTE = 60_000;
const REGIONS = ['baden-wuerttemberg', 'luebeck-westmecklenburg', 'rhein-ruhr', 'saarland', 'andere'] as const;
/** The platform launches one package per module; the year uses all three formats the builder makes. */
const FORMAT_OF: Record<string, 'cmi5' | 'scorm2004' | 'scorm12'> = { 'tools-methoden': 'cmi5', technik: 'scorm2004', megatrends: 'scorm12' };
const AU_STATE_ID = 'https://gezu-lotse.de/xapi/state/progress';

/** A clock the generator moves through the year; `real()` hands it back to wall time for measuring. */
export function benchClock() {
  let at: number | undefined;
  return {
    now: () => new Date(at ?? Date.now()),
    set(t: number) {
      at = t;
    },
    advance(ms: number) {
      at = (at ?? Date.now()) + ms;
    },
    real() {
      at = undefined;
    },
  };
}
export type BenchClock = ReturnType<typeof benchClock>;

/** Deterministic pseudo-random numbers (mulberry32), so two runs make the same year. */
function random(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, chance: (p: number) => next() < p, int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)) };
}
type Random = ReturnType<typeof random>;

export interface Person {
  id: string;
  name: string;
  email: string;
}

/** A story learner's Q1 (scale-clone.ts), when it started, and how many of the 24 items were done. */
export interface StoryLearner {
  story: Story;
  q1Start: number;
  done: number;
}

export interface YearData {
  stories: StoryLearner[];
  learners: Person[];
  trainers: Person[];
  author: Person;
  admin: Person;
  cohorts: Cohort[];
  sessions: Q2Session[];
  modules: Array<{ id: string; slug: string; format: string; version: ContentVersion }>;
  certificateCodes: string[];
  counts: Record<string, number>;
  seconds: Record<string, number>;
}

export interface YearOptions {
  learners: number;
  cohortSize: number;
  /** How many learners go through Q1 by the services; the others' Q1 is copied from them (scale-clone.ts). */
  stories: number;
  /** Stories made in another app (same packages): then every learner's Q1 here is a copy. */
  storiesFrom?: StoryLearner[];
  clock: BenchClock;
  /** Progress lines (one per cohort). */
  log?: (line: string) => void;
  seed?: number;
}

/** Builds the Q1 packages (cmi5, SCORM 2004, SCORM 1.2) once into `dir`; the import takes one of each module. */
export async function buildQ1Packages(dir: string) {
  return buildAllPackages({ contentDir: CONTENT_DIR, outDir: path.join(dir, 'packages') });
}

/** Makes the year in the booted app `running`; returns who and what was made, with counts and times. */
export async function generateYear(running: Running, packages: Awaited<ReturnType<typeof buildQ1Packages>>, opts: YearOptions): Promise<YearData> {
  const { app, connection } = running;
  const { clock } = opts;
  const rnd = random(opts.seed ?? 2026);
  const log = opts.log ?? (() => {});
  const seconds: Record<string, number> = {};
  const timed = async <T>(phase: string, fn: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    try {
      return await fn();
    } finally {
      seconds[phase] = (seconds[phase] ?? 0) + (performance.now() - t) / 1000;
    }
  };
  const yearStart = Date.now() - 365 * DAY;
  clock.set(yearStart);

  const accounts = app.accounts.service;
  let people = 0;
  const person = async (name: string, roles: Array<'learner' | 'trainer' | 'author' | 'admin'>, region: (typeof REGIONS)[number]): Promise<Person> => {
    people += 1;
    const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}.${people}@bench.gezu-lotse.de`;
    const user = await accounts.register({ name, email, organisation: `Beratung ${people % 37}`, region, password: PASSWORD, passwordConfirm: PASSWORD });
    if (roles.join() !== 'learner') await accounts.setRoles('system', user.id, roles);
    return { id: user.id, name, email };
  };

  // staff and content first: the author imports one package per module, as the upload page does
  const { admin, author, modules } = await timed('content', async () => {
    const a = await person('Admin Bench', ['admin'], 'andere');
    const au = await person('Autorin Bench', ['author'], 'andere');
    const mods: YearData['modules'] = [];
    for (const [slug, format] of Object.entries(FORMAT_OF)) {
      const pkg = packages.find((p) => p.module === slug && p.format === format);
      if (!pkg) throw new Error(`kein ${format}-Paket für ${slug}`);
      await app.content.service.importPackage(pkg.path, { moduleSlug: slug, moduleTitle: slug, publish: true, originalName: path.basename(pkg.path) });
      const module = await app.content.service.getModule(slug);
      const version = await app.content.service.getPublishedVersion(module!.id);
      mods.push({ id: module!.id, slug, format, version: version! });
    }
    return { admin: a, author: au, modules: mods };
  });
  // the platform's titles come from the package; the requirements name the three modules by slug
  const q = app.qualification.service;
  const requirements = await q.requirements.get();

  const cohortCount = Math.max(1, Math.ceil(opts.learners / opts.cohortSize));
  // cohorts start every 300/n days, so the last one is still in Q1 at the end of the year
  const spacing = Math.min(28, 300 / cohortCount) * DAY;
  const learners: Person[] = [];
  const trainers: Person[] = [];
  const cohorts: Cohort[] = [];
  const sessions: Q2Session[] = [];
  const certificateCodes: string[] = [];
  const counts: Record<string, number> = { registrationsRefused: 0, waiting: 0, attendance: 0, certificates: 0, q1Completed: 0, stories: 0, copies: 0 };
  const moduleIds = modules.map((m) => ({ id: m.id, versionId: m.version.id }));
  const stories: StoryLearner[] = [...(opts.storiesFrom ?? [])];
  const clone = createCloner(running, moduleIds);

  for (let c = 0; c < cohortCount; c++) {
    const t0 = performance.now();
    const start = yearStart + c * spacing;
    clock.set(start);
    const region = REGIONS[c % REGIONS.length]!;
    const trainer = await timed('people', () => person(`Trainerin ${c + 1}`, ['trainer'], region));
    trainers.push(trainer);
    const size = Math.min(opts.cohortSize, opts.learners - c * opts.cohortSize);
    const members: Person[] = [];
    for (let i = 0; i < size; i++) members.push(await timed('people', () => person(`Lotse ${c + 1}-${i + 1}`, ['learner'], region)));
    learners.push(...members);
    const cohort = await q.planning.createCohort({ name: `Durchgang ${c + 1}`, region, trainerIds: [trainer.id], learnerIds: members.map((m) => m.id) });
    cohorts.push(cohort);
    // one Q2 session per topic in weeks 9 to 11 after the cohort's start
    const own: Q2Session[] = [];
    for (const [k, topic] of requirements.q2Topics.entries()) {
      const startsAt = new Date(start + (63 + k * 7) * DAY + 8 * 3600_000);
      const virtual = topic.key === 'netzwerk-community';
      own.push(
        await q.planning.createSession({
          title: `${topic.title} (${cohort.name})`,
          topic: topic.key,
          format: virtual ? 'virtuell' : 'praesenz',
          startsAt,
          endsAt: new Date(startsAt.getTime() + 7 * 3600_000),
          place: virtual ? '' : 'Saarbrücken, IHK',
          meetingLink: virtual ? 'https://meet.example.org/gezu-bench' : '',
          region,
          trainerIds: [trainer.id],
          cohortId: cohort.id,
          capacity: Math.max(12, opts.cohortSize - 5),
          registrationDeadline: new Date(startsAt.getTime() - 7 * DAY),
          cancellationDeadline: new Date(startsAt.getTime() - 3 * DAY),
        }),
      );
    }
    sessions.push(...own);

    // prerequisites: entered in the first week, checked by the trainer (most verified, some left pending)
    await timed('prerequisites', async () => {
      for (const [i, m] of members.entries()) {
        // the first of each cohort has it all (the benchmark needs someone with a certificate)
        const model = i === 0;
        clock.set(start + rnd.int(0, 6) * DAY + rnd.int(8, 20) * 3600_000);
        await q.prerequisites.saveAuthorisation(m.id, {
          number: `OM-${rnd.int(10000, 99999)}`,
          date: new Date(start - rnd.int(30, 900) * DAY),
          partner: 'Offensive Mittelstand',
        });
        if (model || rnd.chance(0.95)) await q.prerequisites.saveWorkshop(m.id, { date: new Date(start - rnd.int(10, 400) * DAY), place: 'Berlin' });
        clock.advance(2 * DAY);
        const viewer = { id: trainer.id, roles: ['trainer'] };
        if (model || rnd.chance(0.92)) {
          await q.prerequisites.decide(viewer, m.id, 'authorisation', 'verified', undefined);
          if ((await q.prerequisites.get(m.id)).workshop.state !== 'missing') await q.prerequisites.decide(viewer, m.id, 'workshop', 'verified', undefined);
        }
      }
    });

    // Q1: eight weeks; most learners finish all three modules, some stop somewhere. The first
    // `stories` learners go through the services, the others get a copy of one of them (scale-clone.ts)
    {
      for (const [i, m] of members.entries()) {
        const q1Start = start + 7 * DAY + rnd.int(0, 5) * DAY + rnd.int(0, 600) * MINUTE;
        if (!opts.storiesFrom && stories.length < opts.stories) {
          const stopsAfter = stories.length === 0 || rnd.chance(0.8) ? Infinity : rnd.int(1, 23);
          let done = 0;
          clock.set(q1Start);
          for (const mod of modules) {
            if (done >= stopsAfter) break;
            done = await timed('q1 (Dienste)', () => learnModule(running, rnd, clock, m, mod, done, stopsAfter));
          }
          stories.push({ story: await captureStory(running, m, moduleIds), q1Start, done });
          counts.stories! += 1;
          if (done >= 24) counts.q1Completed! += 1;
          continue;
        }
        const s = stories[i % stories.length]!;
        await timed('q1 (Kopien)', () => clone(s.story, m, q1Start - s.q1Start));
        counts.copies! += 1;
        if (s.done >= 24) counts.q1Completed! += 1;
      }
    }

    // Q2: registration in week 7 (a week before the first deadline), attendance marked by the trainer on the day (sessions in the past only)
    await timed('q2', async () => {
      for (const m of members) {
        clock.set(start + 42 * DAY + rnd.int(0, 5) * DAY);
        for (const s of own) {
          try {
            const r = await q.registration.register(m.id, s.id);
            if (r.status === 'waiting') counts.waiting! += 1;
          } catch {
            counts.registrationsRefused! += 1;
          }
        }
      }
      for (const s of own) {
        if (s.endsAt.getTime() > Date.now()) continue;
        clock.set(s.endsAt.getTime());
        for (const m of members) {
          if ((await q.registration.stateOf(m.id, s.id)).status !== 'registered') continue;
          const mark = rnd.chance(0.93) ? 'attended' : rnd.chance(0.5) ? 'excused' : 'absent';
          await q.attendance.mark(trainer.id, s, m.id, mark);
          counts.attendance! += 1;
        }
      }
    });

    // certificates: whoever has everything gets one after the last session (issued by the trainer)
    await timed('certificates', async () => {
      const last = own.at(-1)!;
      if (last.endsAt.getTime() > Date.now()) return;
      clock.set(last.endsAt.getTime() + 2 * DAY);
      for (const m of members) {
        const e = await q.eligibility(m.id);
        if (!e.eligible) continue;
        const cert = await app.certificates.service.issue(m.id, trainer.id, e);
        certificateCodes.push(cert.code);
        counts.certificates! += 1;
      }
    });
    log(`  Durchgang ${c + 1}/${cohortCount}: ${size} Lernende in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  clock.real();

  const db = connection.db!;
  const collections: Record<string, string> = {
    users: 'users',
    statements: 'lrs_statements',
    documents: 'lrs_documents',
    lrsClients: 'lrs_clients',
  };
  for (const info of await db.listCollections().toArray()) {
    if (!Object.values(collections).includes(info.name)) collections[info.name] = info.name;
  }
  for (const [label, name] of Object.entries(collections)) {
    counts[label] = await db
      .collection(name)
      .estimatedDocumentCount()
      .catch(() => 0);
  }
  return { stories, learners, trainers, author, admin, cohorts, sessions, modules, certificateCodes, counts, seconds };
}

/**
 * One learner works through one module's items in order: one or two sittings per item (suspend and
 * resume), the quiz at the end sometimes failed first. Returns how many items are done overall.
 */
async function learnModule(
  running: Running,
  rnd: Random,
  clock: BenchClock,
  learner: Person,
  mod: YearData['modules'][number],
  done: number,
  stopsAfter: number,
): Promise<number> {
  const player = running.app.player.service;
  const attempt = await player.startModule({ id: learner.id, name: learner.name }, mod.id, 'resume');
  const items = versionItems(mod.version);
  for (const item of items) {
    if (done >= stopsAfter) {
      // stopped in the middle: opened, looked at, left (an open session, an in-progress record)
      await player.openItem({ id: learner.id, name: learner.name }, attempt.id, item.id);
      return stopsAfter;
    }
    const quiz = item.masteryScore !== undefined;
    const sittings = rnd.chance(quiz ? 0.35 : 0.25) ? 2 : 1;
    for (let s = 1; s <= sittings; s++) {
      clock.advance(rnd.int(20, 600) * MINUTE);
      const view = await player.openItem({ id: learner.id, name: learner.name }, attempt.id, item.id);
      const minutes = rnd.int(4, 25);
      const last = s === sittings;
      const failFirst = quiz && s === 1 && sittings === 2;
      // the final test's answers in the sitting that ends with a judgement (insight's question view reads them)
      const answers = quiz && (last || (!view.scorm && failFirst)) ? quizAnswers(rnd) : [];
      if (view.scorm)
        await scormSitting(running, clock, view.scorm.commitUrl, mod.format as 'scorm12' | 'scorm2004', item, {
          minutes,
          last,
          quiz,
          score: quiz ? rnd.int(80, 100) / 100 : undefined,
          answers,
        });
      else await cmi5Sitting(running, clock, view.contentUrl, item, { minutes, last, quiz, failFirst, score: rnd.int(80, 100) / 100, answers });
    }
    done += 1;
  }
  return done;
}

interface QuizAnswer {
  id: string;
  response: string;
  correct: string;
}
/** Ten choice questions as the Q1 final tests ask them, each answered right four times in five. */
function quizAnswers(rnd: Random): QuizAnswer[] {
  return Array.from({ length: 10 }, (_, i) => {
    const correct = 'abcd'[i % 4]!;
    return { id: `abschlusstest.frage-${i + 1}`, correct, response: rnd.chance(0.8) ? correct : 'abcd'[(i + 1 + rnd.int(0, 2)) % 4]! };
  });
}

/** What scorm-again sends for one sitting of a SCO: a commit midway, then the terminating commit. */
async function scormSitting(
  running: Running,
  clock: BenchClock,
  commitUrl: string,
  format: 'scorm12' | 'scorm2004',
  item: ItemSettings,
  s: { minutes: number; last: boolean; quiz: boolean; score?: number; answers: QuizAnswer[] },
) {
  const commit = running.app.player.scormCommit;
  const token = /\/api\/player\/scorm\/([^/]+)\/commit/.exec(commitUrl)![1]!;
  const twelve = format === 'scorm12';
  const time = (m: number) => (twelve ? `00:${String(m).padStart(2, '0')}:00` : `PT${m}M`);
  const location = twelve ? 'cmi.core.lesson_location' : 'cmi.location';
  clock.advance((s.minutes / 2) * MINUTE);
  await commit(token, {
    seq: 1,
    terminate: false,
    cmi: { [location]: 'seite-2', 'cmi.suspend_data': '{"seite":2}', [twelve ? 'cmi.core.session_time' : 'cmi.session_time']: time(Math.ceil(s.minutes / 2)) },
  });
  clock.advance((s.minutes / 2) * MINUTE);
  const cmi: Record<string, string> = { [location]: s.last ? 'ende' : 'seite-3', 'cmi.suspend_data': `{"seite":${s.last ? 9 : 3}}` };
  s.answers.forEach((a, n) => {
    const p = `cmi.interactions.${n}.`;
    const right = a.response === a.correct;
    Object.assign(cmi, { [`${p}id`]: a.id, [`${p}type`]: 'choice', [`${p}correct_responses.0.pattern`]: a.correct });
    if (twelve) Object.assign(cmi, { [`${p}student_response`]: a.response, [`${p}result`]: right ? 'correct' : 'wrong' });
    else
      Object.assign(cmi, {
        [`${p}description`]: `Frage ${n + 1} des Abschlusstests`,
        [`${p}learner_response`]: a.response,
        [`${p}result`]: right ? 'correct' : 'incorrect',
      });
  });
  if (twelve) {
    cmi['cmi.core.session_time'] = time(s.minutes);
    cmi['cmi.core.exit'] = s.last ? '' : 'suspend';
    cmi['cmi.core.lesson_status'] = s.last ? (s.quiz ? 'passed' : 'completed') : 'incomplete';
    if (s.last && s.score !== undefined)
      Object.assign(cmi, { 'cmi.core.score.raw': String(Math.round(s.score * 100)), 'cmi.core.score.min': '0', 'cmi.core.score.max': '100' });
  } else {
    cmi['cmi.session_time'] = time(s.minutes);
    cmi['cmi.exit'] = s.last ? 'normal' : 'suspend';
    cmi['cmi.completion_status'] = s.last ? 'completed' : 'incomplete';
    if (s.last && s.score !== undefined) {
      Object.assign(cmi, {
        'cmi.score.scaled': s.score.toFixed(4),
        'cmi.score.raw': String(Math.round(s.score * 100)),
        'cmi.score.min': '0',
        'cmi.score.max': '100',
        'cmi.success_status': 'passed',
      });
    }
  }
  await commit(token, { seq: 2, terminate: true, cmi });
}

/** The AU's side of one cmi5 session (@xapi/cmi5 in the built package): fetch, initialized, state, results, terminated. */
async function cmi5Sitting(
  running: Running,
  clock: BenchClock,
  launchUrl: string,
  item: ItemSettings,
  s: { minutes: number; last: boolean; quiz: boolean; failFirst: boolean; score: number; answers: QuizAnswer[] },
) {
  const { app } = running;
  const params = new URL(launchUrl, 'http://x').searchParams;
  const fetchToken = params.get('fetch')!.split('/').pop()!;
  const actor = JSON.parse(params.get('actor')!) as Agent;
  const registration = params.get('registration')!;
  const activityId = params.get('activityId')!;
  const auth = await app.player.service.fetchAuthToken(fetchToken);
  const credential = await app.lrs.clients.authenticate(`Basic ${auth}`);
  // cmi5 §11 (11.0.0.0-3): the AU reads the learner's preferences before it says "initialized"
  await app.player.cmi5.documentRead({ resource: 'agent-profile', params: { agent: actor, profileId: 'cmi5LearnerPreferences' } }, { credential: credential! });
  const launch = await app.lrs.getDocument({ activityId, agent: actor, registration, stateId: 'LMS.LaunchData' });
  type ContextActivities = NonNullable<NonNullable<Statement['context']>['contextActivities']>;
  const launchData = JSON.parse(launch!.content.toString('utf8')) as {
    contextTemplate: { contextActivities: ContextActivities; extensions: Record<string, unknown> };
    masteryScore?: number;
  };
  const sessionId = String(launchData.contextTemplate.extensions[SESSION_EXT]);
  let n = 0;
  const statement = (verb: keyof typeof VERB, result?: Statement['result'], moveOn = false): Statement => ({
    id: stableUuid('bench-au', sessionId, verb, n++),
    actor,
    verb: { id: VERB[verb], display: { 'en-US': verb } },
    object: { objectType: 'Activity', id: activityId },
    ...(result ? { result } : {}),
    context: {
      registration,
      contextActivities: {
        ...launchData.contextTemplate.contextActivities,
        category: [{ id: CMI5_CATEGORY }, ...(moveOn ? [{ id: CMI5_MOVEON_CATEGORY }] : [])],
      },
      // a judgement on a score states the launch's mastery score (cmi5 9.6.3.2)
      extensions: {
        ...launchData.contextTemplate.extensions,
        ...(result?.score && launchData.masteryScore !== undefined ? { [MASTERY_EXT]: launchData.masteryScore } : {}),
      },
    },
    timestamp: clock.now().toISOString(),
  });
  // the statements of one session, each through the cmi5 guard as POST /xapi/statements runs it
  const send = async (list: Statement[]) => {
    for (const st of list) await app.player.cmi5.guard(st, { credential });
    await app.lrs.storeStatements(list);
  };
  await send([statement('initialized')]);
  const state = { location: s.last ? 'ende' : 'seite-3', suspendData: '{"seite":3}', completed: false, passed: false };
  await app.lrs.putDocument({ activityId, agent: actor, registration, stateId: AU_STATE_ID }, { contentType: 'application/json', content: state });
  clock.advance(s.minutes * MINUTE);
  const results: Statement[] = [];
  const duration = `PT${s.minutes}M`;
  // "answered" is a cmi5 allowed statement (§9.6.2): the interaction activity as the built AU sends it
  for (const a of s.answers) {
    results.push({
      ...statement('answered', { success: a.response === a.correct, response: a.response }),
      object: {
        objectType: 'Activity',
        id: `${activityId}/${a.id.replace('.', '/')}`,
        definition: {
          type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
          interactionType: 'choice',
          description: { 'de-DE': `Frage ${a.id.split('-').pop()} des Abschlusstests` },
          correctResponsesPattern: [a.correct],
          choices: ['a', 'b', 'c', 'd'].map((id) => ({ id, description: { 'de-DE': `Antwort ${id.toUpperCase()}` } })),
        },
      },
    });
  }
  if (s.last && !s.quiz) results.push(statement('completed', { completion: true, duration }, true));
  if (s.quiz && s.failFirst) results.push(statement('failed', { success: false, score: { scaled: 0.55, raw: 55, min: 0, max: 100 }, duration }, true));
  if (s.quiz && s.last) {
    results.push(statement('completed', { completion: true, duration }, true));
    results.push(statement('passed', { success: true, score: { scaled: s.score, raw: Math.round(s.score * 100), min: 0, max: 100 }, duration }, true));
  }
  if (results.length) {
    await send(results);
    await app.lrs.putDocument(
      { activityId, agent: actor, registration, stateId: AU_STATE_ID },
      { contentType: 'application/json', content: { ...state, completed: s.last, passed: s.quiz && s.last } },
    );
  }
  clock.advance(MINUTE);
  await send([statement('terminated', { duration: `PT${s.minutes + 1}M` })]);
}
