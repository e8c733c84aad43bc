import type { AttendanceStatus } from './model.ts';
import type { EligibilityService } from './eligibility.ts';
import type { DirectoryPort, PrerequisiteState, Q1Module } from './ports.ts';
import type { PrerequisiteRepository } from './prerequisite-repository.ts';
import type { RequirementsService } from './requirements.ts';
import type { SeatRepository } from './seat-repository.ts';
import type { Cohort, Q2Session } from './session-repository.ts';
import { toExcelCsv } from './csv.ts';
import { groupBy, indexBy } from '../shared/batch.ts';
import type { Texts } from '../i18n/i18n.ts';

export interface RosterRow {
  learnerId: string;
  name: string;
  email: string;
  organisation: string;
  region: string;
  /** Session roster: registered or on the waiting list (with rank). Cohort roster: member. */
  registration: 'registered' | 'waiting' | 'member';
  waitingRank?: number;
  authorisation: PrerequisiteState;
  workshop: PrerequisiteState;
  q1: Q1Module[];
  /** Session roster: this session's mark. Cohort roster: per Q2 topic the best mark. */
  attendance: Array<{ key: string; title: string; status?: AttendanceStatus }>;
}
export interface Roster {
  title: string;
  /** The required Q1 modules in the order of the requirements; `label` heads the column ("Q1 · Technik"). */
  q1Modules: Array<{ slug: string; title: string; label: string }>;
  columns: Array<{ key: string; title: string }>;
  rows: RosterRow[];
  regions: string[];
}

/** A column head that says Q1 once: titles usually start with it ("Q1 · Technik"), bare slugs do not. */
const q1Label = (title: string) => (/^Q1\b/.test(title) ? title : `Q1 ${title}`);

const RANK: Record<AttendanceStatus, number> = { attended: 3, excused: 2, absent: 1 };

/**
 * Trainer rosters per session and per cohort. They read projections only: prerequisites, the
 * player's progress records (through the port), seats and attendance marks; never raw statements.
 */
export function createRosterService(deps: {
  seats: SeatRepository;
  prerequisites: PrerequisiteRepository;
  requirements: RequirementsService;
  eligibility: EligibilityService;
  directory: DirectoryPort;
  /** The CSV's German labels. */
  texts: Texts;
}) {
  const label = (key: string, values?: Record<string, unknown>) => deps.texts(`qualification:rosterCsv.${key}`, values);
  // a status this list does not know is written as it is
  const statusLabel = (status: string) => label(`status.${status}`, { defaultValue: status });
  async function build(
    title: string,
    members: Array<{ learnerId: string; registration: RosterRow['registration']; waitingRank?: number }>,
    columns: Array<{ key: string; title: string }>,
    attendanceFor: (
      learnerId: string,
      marks: Array<{ sessionId: string; learnerId: string; topic: string; status: AttendanceStatus }>,
    ) => RosterRow['attendance'],
    region?: string,
  ): Promise<Roster> {
    const req = await deps.requirements.get();
    const ids = members.map((m) => m.learnerId);
    const [people, prereqs, marks, titles] = await Promise.all([
      deps.directory.findUsers(ids),
      deps.prerequisites.getMany(ids),
      deps.seats.attendanceOfLearners(ids),
      deps.eligibility.moduleTitles(req),
    ]);
    const byId = indexBy(people, (p) => p.id);
    const marksOf = groupBy(marks, (m) => m.learnerId);
    const regions = [...new Set(people.map((p) => p.region))].sort();
    const shown = members.filter((m) => {
      const p = byId.get(m.learnerId);
      return p && (!region || p.region === region);
    });
    const q1 = await deps.eligibility.q1ProgressOfLearners(
      shown.map((m) => m.learnerId),
      req,
      titles,
    );
    const rows = shown.map((m): RosterRow => {
      const p = byId.get(m.learnerId)!;
      const pre = prereqs.get(m.learnerId)!;
      return {
        learnerId: p.id,
        name: p.name,
        email: p.email,
        organisation: p.organisation,
        region: p.region,
        registration: m.registration,
        waitingRank: m.waitingRank,
        authorisation: pre.authorisation.state,
        workshop: pre.workshop.state,
        q1: q1.get(p.id) ?? [],
        attendance: attendanceFor(p.id, marksOf.get(p.id) ?? []),
      };
    });
    rows.sort((a, b) => (a.registration === b.registration ? a.name.localeCompare(b.name, 'de') : a.registration === 'waiting' ? 1 : -1));
    const q1Modules = req.q1Modules.map((slug) => {
      const moduleTitle = titles.get(slug) ?? slug;
      return { slug, title: moduleTitle, label: q1Label(moduleTitle) };
    });
    return { title, q1Modules, columns, rows, regions };
  }

  return {
    async forSession(session: Q2Session, region?: string): Promise<Roster> {
      const [seated, waiting] = await Promise.all([deps.seats.seatsOf(session.id), deps.seats.waitlistOf(session.id)]);
      const members = [
        ...seated.map((s) => ({ learnerId: s.learnerId, registration: 'registered' as const })),
        ...waiting.map((w, i) => ({ learnerId: w.learnerId, registration: 'waiting' as const, waitingRank: i + 1 })),
      ];
      const column = { key: session.id, title: 'Anwesenheit' };
      return build(
        session.title,
        members,
        [column],
        (learnerId, marks) => [{ ...column, status: marks.find((m) => m.sessionId === session.id && m.learnerId === learnerId)?.status }],
        region,
      );
    },

    async forCohort(cohort: Cohort, region?: string): Promise<Roster> {
      const req = await deps.requirements.get();
      const columns = req.q2Topics.map((t) => ({ key: t.key, title: t.title }));
      const members = cohort.learnerIds.map((learnerId) => ({ learnerId, registration: 'member' as const }));
      return build(
        cohort.name,
        members,
        columns,
        (learnerId, marks) =>
          columns.map((c) => {
            const best = marks.filter((m) => m.learnerId === learnerId && m.topic === c.key).sort((a, b) => RANK[b.status] - RANK[a.status])[0];
            return { ...c, status: best?.status };
          }),
        region,
      );
    },

    /** The roster as Excel-friendly CSV (UTF-8 with BOM, ';'), German labels. */
    toCsv(roster: Roster): string {
      const header = [
        label('name'),
        label('email'),
        label('organisation'),
        label('region'),
        label('registration'),
        label('authorisation'),
        label('workshop'),
        ...roster.q1Modules.flatMap((m) => [label('moduleStatus', { label: m.label }), label('moduleScore', { label: m.label })]),
        ...roster.columns.map((c) => label('q2', { title: c.title })),
      ];
      const rows = roster.rows.map((r) => [
        r.name,
        r.email,
        r.organisation,
        r.region,
        r.registration === 'waiting'
          ? label('waiting', { rank: r.waitingRank ?? '' }).trim()
          : label(r.registration === 'registered' ? 'registered' : 'member'),
        label(`state.${r.authorisation}`),
        label(`state.${r.workshop}`),
        ...r.q1.flatMap((m) => [statusLabel(m.status), m.score === undefined ? '' : String(m.score)]),
        ...r.attendance.map((a) => (a.status ? statusLabel(a.status) : '')),
      ]);
      return toExcelCsv([header, ...rows]);
    },
  };
}
export type RosterService = ReturnType<typeof createRosterService>;
