import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { writePackage } from '../fixtures/content/packages.ts';
import { scorm12Package } from '../fixtures/player/packages.ts';
import type { ModuleProgress } from '../../src/player/ports.ts';
import type { ProgressPort } from '../../src/qualification/ports.ts';
import type { Q2Session, SessionInput } from '../../src/qualification/session-repository.ts';
import { csrfToken, type Agent, type TestApp } from '../support/test-app.ts';

export const DAY = 24 * 3600_000;
/** The smallest file the evidence check takes for a PDF. */
export const EVIDENCE_PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const STAFF = { id: 'test-admin', roles: ['admin'] };

export const qualification = (app: TestApp) => app.running.app.qualification;

/** A Q2 session in the future; overrides change any field. */
export async function createSession(app: TestApp, overrides: Partial<SessionInput> = {}): Promise<Q2Session> {
  const now = Date.now();
  return qualification(app).service.planning.createSession({
    title: 'Experimentierräume moderieren – Saarbrücken',
    topic: 'reflecting-team',
    format: 'virtuell',
    startsAt: new Date(now + 20 * DAY),
    endsAt: new Date(now + 20 * DAY + 3 * 3600_000),
    place: '',
    meetingLink: 'https://meet.example.org/q2-geheim-4711',
    region: 'saarland',
    trainerIds: [],
    cohortId: '',
    capacity: 10,
    registrationDeadline: new Date(now + 10 * DAY),
    cancellationDeadline: new Date(now + 15 * DAY),
    ...overrides,
  });
}

/** Enters and verifies both prerequisites of a learner, as a learner and a trainer would. */
export async function verifyPrerequisites(app: TestApp, learnerId: string, which: Array<'authorisation' | 'workshop'> = ['authorisation', 'workshop']) {
  const p = qualification(app).service.prerequisites;
  await p.saveAuthorisation(learnerId, { number: `OM-${learnerId.slice(-6)}`, date: new Date('2024-05-02'), partner: 'Partner Saar e. V.' });
  await p.saveWorkshop(learnerId, { date: new Date('2024-06-10'), place: 'virtuell' });
  for (const kind of which) await p.decide(STAFF, learnerId, kind, 'verified', undefined);
}

/** The player's progress records stand-in: only Q1 progress (not our database) is faked. */
export function fakeProgress(
  done: Record<string, ModuleProgress['status']> = {},
): ProgressPort & { set(learnerId: string, slug: string, status: ModuleProgress['status'], score?: number): void } {
  const byLearner = new Map<string, Map<string, { status: ModuleProgress['status']; score?: number }>>();
  return {
    async progressFor(learnerId, slugs) {
      return slugs.map((moduleSlug) => {
        const m = byLearner.get(learnerId)?.get(moduleSlug);
        return { moduleSlug, status: m?.status ?? done[moduleSlug] ?? 'not-attempted', score: m?.score };
      });
    },
    set(learnerId, slug, status, score) {
      if (!byLearner.has(learnerId)) byLearner.set(learnerId, new Map());
      byLearner.get(learnerId)!.set(slug, { status, score });
    },
  };
}

/** The three Q1 modules as the curriculum names them, in the order of the requirements. */
export const Q1_MODULES = [
  { slug: 'tools-methoden', title: 'Q1 · Tools + Methoden' },
  { slug: 'technik', title: 'Q1 · Technik' },
  { slug: 'megatrends', title: 'Q1 · Megatrends' },
] as const;

/**
 * Imports and publishes a small SCORM 1.2 package (mastery score 80) under each Q1 slug and title,
 * in reverse order so neither import order nor content's title order matches the requirements.
 * Returns the module ids by slug.
 */
export async function publishQ1Modules(app: TestApp): Promise<Map<string, string>> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'q1-modules-'));
  const ids = new Map<string, string>();
  try {
    for (const m of [...Q1_MODULES].reverse()) {
      const file = await writePackage(dir, m.slug, scorm12Package({ masteryScore: 80 }));
      const { module } = await app.running.app.content.service.importPackage(file, { moduleSlug: m.slug, moduleTitle: m.title, publish: true });
      ids.set(m.slug, module.id);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return ids;
}

/** A CSRF token for JSON calls (the API is session-authenticated like the pages). */
export const apiToken = (agent: Agent) => csrfToken(agent, '/profile');

/** Mails written to the test app's outbox. */
export async function outbox(app: TestApp): Promise<Array<{ to: string; subject: string; text: string }>> {
  const dir = path.join(app.dataDir, 'outbox');
  const files = await readdir(dir).catch(() => [] as string[]);
  return Promise.all(files.sort().map(async (f) => JSON.parse(await readFile(path.join(dir, f), 'utf8')) as { to: string; subject: string; text: string }));
}
