import type { CohortDashboard } from './cohort-dashboard.ts';
import { FUNNEL } from './cohort-dashboard.ts';
import type { AttentionItem } from './attention.ts';
import type { QuestionRow } from './question-stats.ts';
import type { TimelinePage } from './timeline.ts';
import { timelineSentence } from './timeline-sentences.ts';

/** A cell: text or a number, or a link (pages show it as one; exports keep the text). */
export type Cell = string | number | null | { text: string; href: string } | { links: Array<{ text: string; href: string }> };
/** One table as both the page and the exports show it: the same headers, the same figures. */
export interface Table {
  key: TableKey;
  caption: string;
  headers: string[];
  rows: Cell[][];
}
export const DASHBOARD_TABLES = ['funnel', 'progress', 'time', 'attention', 'prerequisites', 'sessions'] as const;
export type TableKey = (typeof DASHBOARD_TABLES)[number] | 'questions' | 'timeline';
type T = (key: string, opts?: Record<string, unknown>) => string;
export interface Format {
  date(d: Date): string;
  dateTime(d: Date): string;
  percent(share: number | null): string;
}

/** The actions for one attention item: a mail to the learner, and where to act on the reason. */
export function attentionActions(a: AttentionItem, t: T, isAdmin: boolean): Array<{ text: string; href: string }> {
  const actions = [{ text: t('insight:attention.actions.message'), href: `mailto:${a.email}` }];
  if (a.code === 'failedTwice' && isAdmin) actions.push({ text: t('insight:attention.actions.waive'), href: '/admin/player/waive' });
  if (a.code === 'prerequisiteRejected') actions.push({ text: t('insight:attention.actions.evidence'), href: `/path/${a.learnerId}` });
  actions.push({ text: t('insight:attention.actions.timeline'), href: `/trainer/insight/learners/${a.learnerId}/timeline` });
  return actions;
}

export function attentionReason(a: AttentionItem, t: T): string {
  return t(`insight:attention.reasons.${a.code}`, {
    module: a.moduleTitle,
    days: a.days,
    median: a.medianDays,
    count: a.count,
    kind: a.kind ? t(`insight:prerequisites.${a.kind}`) : '',
    reason: a.reason ?? '',
  });
}

/** The dashboard's tables, in the page's order. */
export function dashboardTables(
  d: CohortDashboard,
  t: T,
  f: Format,
  opts: { isAdmin: boolean; withActions: boolean },
): Record<(typeof DASHBOARD_TABLES)[number], Table> {
  const minutes = (n: number | undefined) => (n === undefined ? null : n);
  return {
    funnel: {
      key: 'funnel',
      caption: t('insight:tables.funnel'),
      headers: [t('insight:headers.module'), ...FUNNEL.map((s) => t(`insight:status.${s}`))],
      rows: d.funnel.map((m) => [m.title, ...FUNNEL.map((s) => m.counts[s])]),
    },
    progress: {
      key: 'progress',
      caption: t('insight:tables.progress'),
      headers: [t('insight:headers.week'), ...d.weekly.series.map((s) => s.title)],
      rows: d.weekly.weeks.map((w, i) => [f.date(w), ...d.weekly.series.map((s) => s.cumulative[i] ?? 0)]),
    },
    time: {
      key: 'time',
      caption: t('insight:tables.time'),
      headers: [
        t('insight:headers.module'),
        t('insight:headers.learners'),
        t('insight:headers.min'),
        t('insight:headers.q1'),
        t('insight:headers.median'),
        t('insight:headers.q3'),
        t('insight:headers.max'),
      ],
      rows: d.timeSpent.map((m) => [
        m.title,
        m.learners,
        minutes(m.minutes?.min),
        minutes(m.minutes?.q1),
        minutes(m.minutes?.median),
        minutes(m.minutes?.q3),
        minutes(m.minutes?.max),
      ]),
    },
    attention: {
      key: 'attention',
      caption: t('insight:tables.attention'),
      headers: [
        t('insight:headers.name'),
        t('insight:headers.email'),
        t('insight:headers.reason'),
        ...(opts.withActions ? [t('insight:headers.actions')] : []),
      ],
      rows: d.attention.map((a) => [
        { text: a.name, href: `/trainer/insight/learners/${a.learnerId}/timeline` },
        a.email,
        attentionReason(a, t),
        ...(opts.withActions ? [{ links: attentionActions(a, t, opts.isAdmin) }] : []),
      ]),
    },
    prerequisites: {
      key: 'prerequisites',
      caption: t('insight:tables.prerequisites'),
      headers: [t('insight:headers.name'), t('insight:headers.prerequisite'), t('insight:headers.since'), t('insight:headers.waitingDays')],
      rows: d.pendingPrerequisites.map((p) => [p.name, t(`insight:prerequisites.${p.kind}`), p.since ? f.date(p.since) : null, p.waitingDays]),
    },
    sessions: {
      key: 'sessions',
      caption: t('insight:tables.sessions'),
      headers: [
        t('insight:headers.session'),
        t('insight:headers.startsAt'),
        t('insight:headers.capacity'),
        t('insight:headers.participants'),
        t('insight:headers.waiting'),
        t('insight:headers.attended'),
        t('insight:headers.attendanceRate'),
      ],
      rows: d.sessions.map((s) => [s.title, f.dateTime(s.startsAt), s.capacity, s.participants, s.waiting, s.attended, f.percent(s.attendanceRate)]),
    },
  };
}

export function questionsTable(rows: QuestionRow[], t: T, f: Format): Table {
  return {
    key: 'questions',
    caption: t('insight:tables.questions'),
    headers: [
      t('insight:headers.question'),
      t('insight:headers.module'),
      t('insight:headers.correctShare'),
      t('insight:headers.answers'),
      t('insight:headers.learners'),
      t('insight:headers.attempts'),
      t('insight:headers.wrong'),
    ],
    rows: rows.map((r) => [
      r.text,
      r.moduleTitle,
      f.percent(r.correctShare),
      r.answers,
      r.learners,
      r.attemptsPerLearner,
      r.wrong.map((w) => `${w.response} (${w.count})`).join('; '),
    ]),
  };
}

export function timelineTable(p: TimelinePage, titles: Map<string, string>, t: T, f: Format): Table {
  return {
    key: 'timeline',
    caption: t('insight:tables.timeline', { name: p.learner.name }),
    headers: [t('insight:headers.when'), t('insight:headers.module'), t('insight:headers.event')],
    rows: p.events.map((e) => [
      f.dateTime(e.at),
      e.moduleSlug ? (titles.get(e.moduleSlug) ?? e.moduleSlug) : t('insight:timeline.q2'),
      timelineSentence(e, p.learner.name, t),
    ]),
  };
}

/** A cell as text (exports, and the text of a link). */
export function cellText(c: Cell): string | number | null {
  if (c === null || typeof c !== 'object') return c;
  return 'links' in c ? c.links.map((l) => l.text).join(' · ') : c.text;
}
