import { randomBytes } from 'node:crypto';
import type { Clock } from '../../shared/clock.ts';
import { DomainError, conflict, forbidden, notFound } from '../../shared/errors.ts';
import type { Logger } from '../../shared/logger.ts';
import type { PrivacyMails } from '../mails.ts';
import { subjectOf, type AuditPort, type PeoplePort } from '../ports.ts';
import type { Erasure, PrivacyRepository } from '../repository.ts';
import type { PrivacySettings } from '../settings.ts';
import type { RunErasure, RunOutcome } from './run-erasure.ts';

/** Who acts, as routes hand it over (src/http/current-user.ts). */
export interface Actor {
  id: string;
  roles: string[];
}

const DAY = 24 * 60 * 60_000;
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** "L-" and 8 Crockford characters (40 random bits): unique by index, short enough to read out. */
const newReference = () => `L-${Array.from(randomBytes(8), (b) => CROCKFORD[b % 32]).join('')}`;
const isAdmin = (a: Actor) => a.roles.includes('admin');

/**
 * Erasure requests (Art. 17 DSGVO): the person (or an admin on their behalf) asks; an admin
 * confirms, or the request runs by itself after the cooling-off period; the person may withdraw it
 * until it runs. Running is runErasure's (run-erasure.ts); this service decides who may do what.
 */
export function createErasureService(deps: {
  repo: PrivacyRepository;
  people: PeoplePort;
  run: RunErasure;
  audit: AuditPort;
  mails: PrivacyMails;
  clock: Clock;
  logger: Logger;
  settings: PrivacySettings;
  publicUrl: () => string;
}) {
  const { repo, clock } = deps;
  const running = new Set<Promise<unknown>>();

  /** Runs in the background of the request that confirmed it; the scheduled job picks up what is left. */
  function runSoon(id: string): void {
    const p = deps
      .run(id)
      .catch((err: unknown) => deps.logger.error({ err }, 'erasure run failed'))
      .finally(() => running.delete(p));
    running.add(p);
  }

  async function own(actor: Actor, id: string): Promise<Erasure> {
    const e = await repo.findErasure(id);
    if (!e || (!isAdmin(actor) && e.subject?.id !== actor.id)) throw notFound('privacy:errors.erasureNotFound');
    return e;
  }

  return {
    /** The person's open request, if any (the profile page). */
    openRequestOf: (userId: string) => repo.openErasureOf(userId),
    list: (limit = 100) => repo.listErasures(limit),

    async request(actor: Actor, userId: string, cause: 'request' | 'retention' = 'request'): Promise<Erasure> {
      if (actor.id !== userId && !isAdmin(actor) && cause !== 'retention') throw forbidden();
      const person = await deps.people.findUser(userId);
      if (!person) throw notFound('privacy:errors.personNotFound');
      const now = clock.now();
      const inserted = await repo.insertErasure({
        reference: newReference(),
        openKey: `open:${userId}`,
        subject: subjectOf(person, deps.publicUrl()),
        state: cause === 'retention' ? 'confirmed' : 'requested',
        requestedAt: now,
        requestedBy: actor.id,
        dueAt: new Date(now.getTime() + (cause === 'retention' ? 0 : deps.settings.erasureCoolOffDays * DAY)),
        confirmedBy: cause === 'retention' ? 'retention' : null,
        confirmedAt: cause === 'retention' ? now : null,
        doneSteps: [],
        leaseUntil: null,
        attempts: 0,
        lastError: null,
        doneAt: null,
        cause,
      });
      if (inserted === 'duplicate') throw conflict('privacy:errors.erasureOpen');
      if (actor.id !== userId && cause === 'request') await deps.audit.record({ actorId: actor.id, action: 'erasure-request', targetId: inserted.reference });
      if (cause === 'request') {
        await deps.mails.erasureRequested(person, inserted.reference, inserted.dueAt);
      } else runSoon(inserted.id);
      return inserted;
    },

    /** Withdraws an open request (the person or an admin), as long as it has not begun. */
    async cancel(actor: Actor, id: string): Promise<void> {
      const e = await own(actor, id);
      // once a step ran (a failed run goes back to 'confirmed'), the erasure must finish
      if (e.doneSteps.length) throw new DomainError('conflict', 'privacy:errors.erasureRunning');
      const cancelled = await repo.updateErasure(
        id,
        { state: { $in: ['requested', 'confirmed'] } },
        { state: 'cancelled', openKey: `closed:${e.reference}`, subject: null },
      );
      if (!cancelled) throw new DomainError('conflict', 'privacy:errors.erasureRunning');
    },

    /** An admin confirms: the erasure runs now (in the background), without waiting for the cooling-off. */
    async confirm(admin: Actor, id: string): Promise<Erasure> {
      if (!isAdmin(admin)) throw forbidden();
      const e = await repo.updateErasure(id, { state: 'requested' }, { state: 'confirmed', confirmedBy: admin.id, confirmedAt: clock.now() });
      if (!e) throw conflict('privacy:errors.erasureNotOpen');
      await deps.audit.record({ actorId: admin.id, action: 'erasure-confirm', targetId: e.reference });
      runSoon(id);
      return e;
    },

    /** Runs every request that may run now (the scheduled job; tests call it directly). */
    async runDue(): Promise<RunOutcome[]> {
      const out: RunOutcome[] = [];
      for (const id of await repo.runnableErasures(clock.now())) out.push(await deps.run(id));
      return out;
    },

    /** Waits for background runs (tests, shutdown). */
    async settle(): Promise<void> {
      await Promise.allSettled([...running]);
    },
  };
}
export type ErasureService = ReturnType<typeof createErasureService>;
