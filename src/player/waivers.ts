import { DomainError } from '../shared/errors.ts';
import { noAudit, type AuditPort } from '../privacy/ports.ts';
import type { Cmi5Launcher } from './cmi5.ts';
import { versionItems } from './launchable-settings.ts';
import type { Learner } from './activity-iris.ts';
import type { ContentPort, PeoplePort } from './ports.ts';
import type { Attempt, PlayerRepository } from './repository.ts';

export interface WaiveModuleOption {
  id: string;
  title: string;
  aus: Array<{ id: string; title: string }>;
}

/** A problem the admin fixes in one field of the waiver form. */
const fieldError = (field: string, key: string) => new DomainError('validation', key, { fields: [{ field, message: key }] });

/**
 * The admin's waiver form (cmi5 §9.3.7 "waived"): the learner is named by e-mail, the AU by module.
 * The waiver goes into the learner's current attempt; a learner who never started the module gets a
 * new registration first, as the LMS may waive AUs before any launch.
 */
export function createWaivers(deps: {
  repo: PlayerRepository;
  content: ContentPort;
  people: PeoplePort | undefined;
  cmi5: Cmi5Launcher;
  startModule: (learner: Learner, moduleId: string, mode: 'resume') => Promise<Attempt>;
  /** A waiver is a staff action: it goes into the audit trail (issue #18). */
  audit?: AuditPort;
}) {
  const { content } = deps;
  const audit = deps.audit ?? noAudit;
  return {
    /** Modules whose published version is a cmi5 course, with their AUs (for the form's pick lists). */
    async options(): Promise<WaiveModuleOption[]> {
      return (await content.listPublishedVersions())
        .filter(({ version }) => version.format === 'cmi5')
        .map(({ module: m, version }) => ({
          id: m.id,
          title: typeof m.title === 'string' ? m.title : m.slug,
          aus: versionItems(version).map((i) => ({ id: i.id, title: i.title })),
        }));
    },

    async waive(
      admin: { id: string },
      input: { email: string; moduleId: string; itemId: string; reason: string },
    ): Promise<{ learnerName: string; attemptId: string }> {
      if (!deps.people) throw new DomainError('unavailable', 'player:waive.noDirectory');
      const person = await deps.people.findByEmail(input.email);
      if (!person) throw fieldError('email', 'player:waive.learnerNotFound');
      const module = await content.getModule(input.moduleId);
      const published = module ? await content.getPublishedVersion(module.id) : undefined;
      if (!module || published?.format !== 'cmi5') throw fieldError('moduleId', 'player:waive.notCmi5');
      const running = await deps.repo.findResumableAttempt(person.id, module.id);
      // a running attempt may be on an older version whose AUs differ from the published one; checked
      // before a new registration is made, so a refused form leaves nothing behind
      const version = running ? await content.getVersion(running.versionId) : published;
      if (!version || !versionItems(version).some((i) => i.id === input.itemId)) throw fieldError('itemId', 'player:waive.auNotInAttempt');
      const attempt = running ?? (await deps.startModule({ id: person.id, name: person.name }, module.id, 'resume'));
      await deps.cmi5.waive(admin, attempt.id, input.itemId, input.reason);
      await audit.record({ actorId: admin.id, action: 'waiver', targetId: person.id, details: { moduleId: module.id, itemId: input.itemId } });
      return { learnerName: person.name, attemptId: attempt.id };
    },

    /** A waiver of one AU in a named attempt (automation and older callers). */
    async waiveAttemptItem(admin: { id: string }, attemptId: string, itemId: string, reason: string): Promise<void> {
      await deps.cmi5.waive(admin, attemptId, itemId, reason);
      const attempt = await deps.repo.findAttempt(attemptId);
      await audit.record({ actorId: admin.id, action: 'waiver', targetId: attempt?.learnerId ?? '', details: { attemptId, itemId } });
    },

    /** The cmi5 test suite's waiver: the AU by its place in cmi5.xml, in the attempt of a registration. */
    async waiveByIndex(admin: { id: string }, input: { registration: string; auIndex: number; reason: string }): Promise<void> {
      const attempt = await deps.repo.findAttemptByRegistration(input.registration);
      const version = attempt ? await content.getVersion(attempt.versionId) : undefined;
      const item = version ? versionItems(version)[input.auIndex] : undefined;
      if (!attempt || !item) throw new DomainError('not-found', 'player:errors.attemptNotFound');
      await deps.cmi5.waive(admin, attempt.id, item.id, input.reason);
      await audit.record({ actorId: admin.id, action: 'waiver', targetId: attempt.learnerId, details: { registration: input.registration, itemId: item.id } });
    },
  };
}
export type Waivers = ReturnType<typeof createWaivers>;
