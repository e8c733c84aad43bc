import type { RosterRow } from '../qualification/roster.ts';
import type { ModuleActivityDoc } from './model.ts';
import { daysBetween, median } from './stats.ts';

export type AttentionCode = 'notStarted' | 'inactive' | 'failedTwice' | 'slow' | 'prerequisiteRejected';

/** One reason to look at one learner, with what the trainer can do about it. */
export interface AttentionItem {
  learnerId: string;
  name: string;
  email: string;
  code: AttentionCode;
  /** The module the reason is about (slug and title), where it is about one. */
  moduleSlug?: string;
  moduleTitle?: string;
  /** Days without activity (inactive), days in progress and the cohort's median (slow), failures (failedTwice). */
  days?: number;
  medianDays?: number;
  count?: number;
  /** Rejected prerequisite: which, and the reason given. */
  kind?: 'authorisation' | 'workshop';
  reason?: string;
}

export interface AttentionRules {
  /** No statement for this many days (14 unless the trainer picks another number). */
  inactiveDays: number;
  /** In progress longer than this many times the cohort's median time to finish the module. */
  slowFactor: number;
  /** The median needs at least this many learners who finished the module. */
  slowMinFinished: number;
}
export const DEFAULT_RULES: AttentionRules = { inactiveDays: 14, slowFactor: 2, slowMinFinished: 3 };

const done = (status: string) => status === 'completed' || status === 'passed';

/**
 * Who needs attention in a cohort, from the roster (progress records, prerequisites) and the activity
 * projection: nothing started yet; no activity for `inactiveDays` while Q1 is open; a module failed
 * twice or more and not passed since; a module in progress more than `slowFactor` × the median time
 * the cohort took to finish it; a prerequisite rejected. Sorted by name, then reason.
 */
export function whoNeedsAttention(rows: RosterRow[], activity: ModuleActivityDoc[], now: Date, rules: AttentionRules = DEFAULT_RULES): AttentionItem[] {
  const byLearner = new Map<string, ModuleActivityDoc[]>();
  for (const a of activity) byLearner.set(a.learnerId, [...(byLearner.get(a.learnerId) ?? []), a]);
  const finishedDays = new Map<string, number[]>();
  for (const a of activity)
    if (a.doneAt) finishedDays.set(a.moduleSlug, [...(finishedDays.get(a.moduleSlug) ?? []), (a.doneAt.getTime() - a.firstAt.getTime()) / 86_400_000]);

  const items: AttentionItem[] = [];
  for (const r of rows) {
    const who = { learnerId: r.learnerId, name: r.name, email: r.email };
    const mine = byLearner.get(r.learnerId) ?? [];
    const q1Open = r.q1.some((m) => !done(m.status));
    if (!mine.length && q1Open) items.push({ ...who, code: 'notStarted' });
    else if (q1Open) {
      const last = new Date(Math.max(...mine.map((a) => a.lastAt.getTime())));
      const days = daysBetween(last, now);
      if (days >= rules.inactiveDays) items.push({ ...who, code: 'inactive', days });
    }
    for (const m of r.q1) {
      const a = mine.find((x) => x.moduleSlug === m.moduleSlug);
      if (!a) continue;
      if (a.failedCount >= 2 && !done(m.status))
        items.push({ ...who, code: 'failedTwice', moduleSlug: m.moduleSlug, moduleTitle: m.title, count: a.failedCount });
      const finished = finishedDays.get(m.moduleSlug) ?? [];
      if (m.status === 'in-progress' && finished.length >= rules.slowMinFinished) {
        const med = median(finished);
        const days = daysBetween(a.firstAt, now);
        if (days > rules.slowFactor * med)
          items.push({ ...who, code: 'slow', moduleSlug: m.moduleSlug, moduleTitle: m.title, days, medianDays: Math.round(med * 10) / 10 });
      }
    }
    for (const kind of ['authorisation', 'workshop'] as const) if (r[kind] === 'rejected') items.push({ ...who, code: 'prerequisiteRejected', kind });
  }
  const order: AttentionCode[] = ['prerequisiteRejected', 'failedTwice', 'slow', 'inactive', 'notStarted'];
  return items.sort((a, b) => a.name.localeCompare(b.name, 'de') || order.indexOf(a.code) - order.indexOf(b.code));
}
