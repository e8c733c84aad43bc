import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import { DomainError, forbidden, notFound } from '../shared/errors.ts';
import { FORMER_MEMBER } from './chat.ts';
import type { Sharing } from './journal-model.ts';
import type { JournalEntry, JournalRepository } from './journal-repository.ts';
import { renderMarkdown } from './markdown.ts';
import type { Notifications } from './notifications.ts';
import type { PeoplePort, QualificationPort, StatementsPort, Viewer } from './ports.ts';
import { sharedStatement } from './records.ts';

/**
 * The Reflecting Team (issue #20): trainers form teams within a cohort; each learner keeps a journal
 * per Q2 session, private by default. Shared with the team, the entry is read by the learner's team
 * members and the session's trainers; shared with the mentor, by the mentor. Readers comment.
 */
export function createJournals(deps: {
  repo: JournalRepository;
  qualification: QualificationPort;
  people: PeoplePort;
  lrs: StatementsPort;
  notifications: Pick<Notifications, 'notify'>;
  clock: Clock;
  logger: Logger;
  publicUrl: () => string;
}) {
  const { repo, clock } = deps;
  const { planning, registration } = deps.qualification;

  async function mayRead(viewer: Viewer, entry: JournalEntry): Promise<boolean> {
    if (entry.learnerId === viewer.id) return true;
    if (entry.sharing === 'mentor') return (await planning.mentorOf(entry.learnerId))?.mentorId === viewer.id;
    if (entry.sharing === 'team') {
      const session = await planning.sessionOr404(entry.sessionId);
      if (viewer.roles.includes('trainer') && (await planning.canTrain(viewer, session))) return true;
      return (await repo.teamsOf(entry.learnerId)).some((t) => t.memberIds.includes(viewer.id) && (!session.cohortId || t.cohortId === session.cohortId));
    }
    return false;
  }

  async function readable(viewer: Viewer, entryId: string): Promise<JournalEntry> {
    const entry = await repo.findEntry(entryId);
    if (!entry || !(await mayRead(viewer, entry))) throw notFound('community:errors.entryNotFound');
    return entry;
  }

  return {
    /** A session's journal page: the prompt, the viewer's own entries, and the entries shared with them. */
    async page(viewer: Viewer, sessionId: string) {
      const session = await planning.sessionOr404(sessionId);
      const registered = (await registration.statesOf(viewer.id, [sessionId])).get(sessionId)?.status === 'registered';
      const teams = session.cohortId ? await repo.teamsOfCohort(session.cohortId) : [];
      const mentees = (await planning.menteesOf(viewer.id)).map((p) => p.id);
      const others = [...new Set([...teams.flatMap((t) => t.memberIds), ...mentees])].filter((id) => id !== viewer.id);
      const candidates = await repo.entriesOf(sessionId, [viewer.id, ...others]);
      const visible: JournalEntry[] = [];
      for (const e of candidates) if (await mayRead(viewer, e)) visible.push(e);
      const comments = await repo.commentsOf(visible.map((e) => e.id));
      const names = await deps.people.namesOf([...new Set([...visible.map((e) => e.learnerId), ...comments.map((c) => c.authorId)].filter(Boolean))]);
      const present = (e: JournalEntry) => ({
        ...e,
        authorName: names.get(e.learnerId) ?? FORMER_MEMBER,
        comments: comments.filter((c) => c.entryId === e.id).map((c) => ({ ...c, authorName: names.get(c.authorId) ?? FORMER_MEMBER })),
      });
      return {
        session,
        registered,
        prompt: await repo.promptOf(sessionId),
        own: visible.filter((e) => e.learnerId === viewer.id).map(present),
        shared: visible.filter((e) => e.learnerId !== viewer.id).map(present),
      };
    },

    async write(viewer: Viewer, sessionId: string, input: { markdown: string; sharing: Sharing }): Promise<JournalEntry> {
      await planning.sessionOr404(sessionId);
      if ((await registration.statesOf(viewer.id, [sessionId])).get(sessionId)?.status !== 'registered') throw forbidden('community:errors.notParticipant');
      const entry = await repo.insertEntry({
        sessionId,
        learnerId: viewer.id,
        markdown: input.markdown,
        html: renderMarkdown(input.markdown),
        sharing: 'private',
        createdAt: clock.now(),
        sharedAt: null,
      });
      if (input.sharing !== 'private') return this.share(viewer, entry.id, input.sharing);
      return entry;
    },

    /** The author chooses who reads the entry; sharing it is an xAPI "shared" statement. */
    async share(viewer: Viewer, entryId: string, sharing: Sharing): Promise<JournalEntry> {
      const entry = await repo.findEntry(entryId);
      if (!entry || entry.learnerId !== viewer.id) throw notFound('community:errors.entryNotFound');
      if (sharing === 'mentor' && !(await planning.mentorOf(viewer.id))) throw new DomainError('conflict', 'community:errors.noMentor');
      const now = clock.now();
      await repo.setSharing(entryId, sharing, sharing === 'private' ? null : now);
      if (sharing !== 'private' && entry.sharing !== sharing) {
        const name = (await deps.people.namesOf([viewer.id])).get(viewer.id) ?? '';
        const statement = sharedStatement({
          baseUrl: deps.publicUrl(),
          person: { id: viewer.id, name },
          entryId,
          sessionId: entry.sessionId,
          sharing,
          at: now,
        });
        await deps.lrs.storeStatements([statement]).catch((err: unknown) => deps.logger.warn({ err }, 'community: shared statement not stored'));
        if (sharing === 'mentor') {
          const mentor = await planning.mentorOf(viewer.id);
          if (mentor)
            await deps.notifications.notify([
              { userId: mentor.mentorId, kind: 'mentor', actorId: viewer.id, title: 'Reflexion', link: `/community/journal/${entry.sessionId}` },
            ]);
        }
      }
      return { ...entry, sharing, sharedAt: sharing === 'private' ? null : now };
    },

    async comment(viewer: Viewer, entryId: string, markdown: string): Promise<JournalEntry> {
      const entry = await readable(viewer, entryId);
      await repo.insertComment({ entryId, authorId: viewer.id, markdown, html: renderMarkdown(markdown), createdAt: clock.now() });
      return entry;
    },

    /** A trainer of the cohort forms a team from its learners. */
    async formTeam(viewer: Viewer, cohortId: string, input: { name: string; memberIds: string[] }) {
      const cohort = await planning.cohortOr404(cohortId);
      if (!viewer.roles.includes('admin') && !cohort.trainerIds.includes(viewer.id)) throw forbidden('community:errors.notModerator');
      const strangers = input.memberIds.filter((id) => !cohort.learnerIds.includes(id));
      if (strangers.length) throw new DomainError('validation', 'community:errors.notInCohort');
      return repo.insertTeam({ cohortId, name: input.name, memberIds: [...new Set(input.memberIds)], createdBy: viewer.id, createdAt: clock.now() });
    },
    async teams(viewer: Viewer, cohortId: string) {
      const cohort = await planning.cohortOr404(cohortId);
      if (!viewer.roles.includes('admin') && !cohort.trainerIds.includes(viewer.id)) throw forbidden('community:errors.notModerator');
      const names = await deps.people.namesOf(cohort.learnerIds);
      return {
        cohort,
        learners: cohort.learnerIds.map((id) => ({ id, name: names.get(id) ?? FORMER_MEMBER })),
        teams: (await repo.teamsOfCohort(cohortId)).map((t) => ({ ...t, names: t.memberIds.map((id) => names.get(id) ?? FORMER_MEMBER) })),
      };
    },
    /** The trainer's prompt for a session's journals. */
    async setPrompt(viewer: Viewer, sessionId: string, text: string): Promise<void> {
      const session = await planning.sessionOr404(sessionId);
      if (!(await planning.canTrain(viewer, session))) throw forbidden('community:errors.notModerator');
      await repo.putPrompt(sessionId, text, viewer.id, clock.now());
    },
  };
}
export type Journals = ReturnType<typeof createJournals>;
