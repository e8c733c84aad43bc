import { forbidden, notFound } from '../shared/errors.ts';
import type { CertifiedPort, ProgressPort, QualificationPort, RoomMembersPort, Viewer } from './ports.ts';
import { parseSpaceKey, spaceKey, type SpaceRef } from './spaces.ts';

/** What a viewer may do in a space they can see. */
export interface SpaceAccess {
  space: SpaceRef;
  /** The space's name for people (cohort name, session title, module slug). */
  title: string;
  /** Moderators (the cohort's or session's trainers, trainers in Q&A and community, admins) pin, lock and hide. */
  moderator: boolean;
}

const isAdmin = (v: Viewer) => v.roles.includes('admin');
const isTrainer = (v: Viewer) => v.roles.includes('trainer');

/**
 * Who belongs to which space, read from the qualification on every access (no copy to keep in step):
 *  - cohort: its learners and trainers, and the mentors of its learners; its trainers moderate
 *  - session: its registered participants and its trainers (of the session or its cohort), who moderate
 *  - module Q&A: learners with progress in the module, every trainer (they moderate)
 *  - Lotsen community: certified Lotsen and learners of a cohort; trainers moderate
 *  - mentor: the mentee and their mentor, nobody else (not even admins: it is their private space)
 *  - room (Experimentierraum): its lead Lotse, co-moderators (who moderate) and participants
 * Admins see and moderate every space but the mentor spaces.
 */
export function createMembership(deps: { qualification: QualificationPort; progress: ProgressPort; certified: CertifiedPort; rooms?: RoomMembersPort }) {
  const { planning, registration, requirements } = deps.qualification;

  async function cohortAccess(viewer: Viewer, space: SpaceRef): Promise<SpaceAccess | undefined> {
    const cohort = await planning.cohortOr404(space.ref).catch(() => undefined);
    if (!cohort) return undefined;
    const moderator = isAdmin(viewer) || cohort.trainerIds.includes(viewer.id);
    if (moderator || cohort.learnerIds.includes(viewer.id)) return { space, title: cohort.name, moderator };
    const mentees = await planning.menteesOf(viewer.id);
    if (mentees.some((m) => cohort.learnerIds.includes(m.id))) return { space, title: cohort.name, moderator: false };
    return undefined;
  }

  async function sessionAccess(viewer: Viewer, space: SpaceRef): Promise<SpaceAccess | undefined> {
    const session = await planning.sessionOr404(space.ref).catch(() => undefined);
    if (!session) return undefined;
    if (isAdmin(viewer) || (isTrainer(viewer) && (await planning.canTrain(viewer, session)))) return { space, title: session.title, moderator: true };
    const state = (await registration.statesOf(viewer.id, [session.id])).get(session.id);
    return state?.status === 'registered' ? { space, title: session.title, moderator: false } : undefined;
  }

  async function moduleAccess(viewer: Viewer, space: SpaceRef): Promise<SpaceAccess | undefined> {
    const modules = (await requirements.get()).q1Modules;
    if (!modules.includes(space.ref)) return undefined;
    if (isAdmin(viewer) || isTrainer(viewer)) return { space, title: space.ref, moderator: true };
    const [p] = await deps.progress.progressFor(viewer.id, [space.ref]);
    return p && p.status !== 'not-attempted' ? { space, title: space.ref, moderator: false } : undefined;
  }

  async function lotsenAccess(viewer: Viewer, space: SpaceRef): Promise<SpaceAccess | undefined> {
    if (isAdmin(viewer) || isTrainer(viewer)) return { space, title: '', moderator: true };
    if ((await planning.cohortsOfLearner(viewer.id)).length || (await deps.certified.isCertified(viewer.id))) return { space, title: '', moderator: false };
    return undefined;
  }

  async function mentorAccess(viewer: Viewer, space: SpaceRef): Promise<SpaceAccess | undefined> {
    const m = await planning.mentorOf(space.ref);
    if (!m) return undefined;
    return viewer.id === m.learnerId || viewer.id === m.mentorId ? { space, title: '', moderator: false } : undefined;
  }

  async function roomAccess(viewer: Viewer, space: SpaceRef): Promise<SpaceAccess | undefined> {
    if (!deps.rooms) return undefined;
    const role = await deps.rooms.roleIn(space.ref, viewer.id);
    if (role) return { space, title: role.title, moderator: role.lead || isAdmin(viewer) };
    const title = isAdmin(viewer) ? await deps.rooms.titleOf(space.ref) : undefined;
    return title === undefined ? undefined : { space, title, moderator: true };
  }

  const byKind = { cohort: cohortAccess, session: sessionAccess, module: moduleAccess, lotsen: lotsenAccess, mentor: mentorAccess, room: roomAccess };

  async function accessOf(viewer: Viewer, key: string): Promise<SpaceAccess | undefined> {
    const space = parseSpaceKey(key);
    return space ? byKind[space.kind](viewer, space) : undefined;
  }

  return {
    accessOf,
    /** The access of a member; anyone else is refused with the same answer whether the space exists or not. */
    async assertMember(viewer: Viewer, key: string): Promise<SpaceAccess> {
      if (!parseSpaceKey(key)) throw notFound('community:errors.spaceNotFound');
      const access = await accessOf(viewer, key);
      if (!access) throw forbidden('community:errors.notMember');
      return access;
    },
    async assertModerator(viewer: Viewer, key: string): Promise<SpaceAccess> {
      const access = await accessOf(viewer, key);
      if (!access?.moderator) throw forbidden('community:errors.notModerator');
      return access;
    },
    /**
     * The members one can name in a mention, where the space has a short list (Klassenzimmer:
     * learners and trainers; mentor space: the two). Elsewhere the thread's participants are used.
     */
    async memberIdsOf(space: SpaceRef): Promise<string[]> {
      if (space.kind === 'cohort') {
        const c = await planning.cohortOr404(space.ref).catch(() => undefined);
        return c ? [...c.learnerIds, ...c.trainerIds] : [];
      }
      if (space.kind === 'mentor') {
        const m = await planning.mentorOf(space.ref);
        return m ? [m.learnerId, m.mentorId] : [];
      }
      if (space.kind === 'room') return (await deps.rooms?.memberIdsOf(space.ref)) ?? [];
      return [];
    },
    /** Every space the viewer belongs to, for their overview page. */
    async spacesOf(viewer: Viewer): Promise<SpaceAccess[]> {
      const keys = new Set<string>();
      const cohorts = isAdmin(viewer) ? await planning.listCohorts() : await planning.cohortsOfLearner(viewer.id);
      for (const c of cohorts) keys.add(spaceKey('cohort', c.id));
      if (isTrainer(viewer)) {
        const { cohorts: led, sessions } = await planning.trainerOverview(viewer);
        for (const c of led) keys.add(spaceKey('cohort', c.id));
        for (const s of sessions) keys.add(spaceKey('session', s.id));
      }
      const mentees = await planning.menteesOf(viewer.id);
      for (const m of mentees) {
        keys.add(spaceKey('mentor', m.id));
        for (const c of await planning.cohortsOfLearner(m.id)) keys.add(spaceKey('cohort', c.id));
      }
      if (await planning.mentorOf(viewer.id)) keys.add(spaceKey('mentor', viewer.id));
      const sessions = await planning.allSessions();
      const states = await registration.statesOf(
        viewer.id,
        sessions.map((s) => s.id),
      );
      for (const s of sessions) if (states.get(s.id)?.status === 'registered') keys.add(spaceKey('session', s.id));
      for (const slug of (await requirements.get()).q1Modules) keys.add(spaceKey('module', slug));
      keys.add(spaceKey('lotsen'));
      for (const id of (await deps.rooms?.roomIdsOf(viewer.id)) ?? []) keys.add(spaceKey('room', id));
      const all = await Promise.all([...keys].map((k) => accessOf(viewer, k)));
      return all.filter((a): a is SpaceAccess => Boolean(a));
    },
  };
}
export type Membership = ReturnType<typeof createMembership>;
