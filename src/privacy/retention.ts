import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import type { PrivacyMails } from './mails.ts';
import type { ErasureService } from './erasure/erasure-service.ts';
import type { ExportService } from './export/export-service.ts';
import type { PeoplePort } from './ports.ts';
import type { PrivacyRepository } from './repository.ts';
import type { PrivacySettings } from './settings.ts';

const DAY = 24 * 60 * 60_000;
const YEAR = 365 * DAY;
const BATCH = 500;

/**
 * The retention schedule (Art. 5(1)(e) DSGVO), run once a day:
 * - learner accounts unseen for PRIVACY_INACTIVE_YEARS get a mail; unseen for the grace period after
 *   it, they are erased like a request (cause 'retention'); signing in again withdraws the notice;
 * - mails written to DATA_DIR/outbox (no SMTP) go after PRIVACY_MAIL_OUTBOX_DAYS;
 * - audit entries after PRIVACY_AUDIT_YEARS; export zips whose link ran out at once.
 * Login failures, reset requests and reset tokens expire by the accounts' own hourly clean-up;
 * sessions by the session store's. Request logs are written to stdout only: the app keeps none.
 */
export function createRetention(deps: {
  repo: PrivacyRepository;
  people: PeoplePort;
  erasures: ErasureService;
  exports: ExportService;
  mails: PrivacyMails;
  clock: Clock;
  logger: Logger;
  settings: PrivacySettings;
  outboxDir: string;
}) {
  const { repo, clock, settings } = deps;

  async function announceInactive(now: Date): Promise<number> {
    const cutoff = new Date(now.getTime() - settings.inactiveYears * YEAR);
    let announced = 0;
    let after: string | undefined;
    for (;;) {
      const batch = await deps.people.learnersCreatedBefore(cutoff, after, BATCH);
      if (!batch.length) break;
      after = batch[batch.length - 1]!.id;
      const seen = new Map((await repo.activityOf(batch.map((p) => p.id))).map((a) => [a._id, a]));
      for (const p of batch) {
        const a = seen.get(p.id);
        if (a && (a.lastSeenAt >= cutoff || a.announcedAt)) continue;
        await deps.mails.inactive(p, settings.inactiveYears, new Date(now.getTime() + settings.inactiveGraceDays * DAY));
        await repo.announce(p.id, now, a?.lastSeenAt ?? new Date(0));
        announced += 1;
      }
      if (batch.length < BATCH) break;
    }
    return announced;
  }

  async function eraseAfterGrace(now: Date): Promise<number> {
    let started = 0;
    for (const a of await repo.announcedBefore(new Date(now.getTime() - settings.inactiveGraceDays * DAY))) {
      if (await repo.openErasureOf(a._id)) continue;
      if (!(await deps.people.findUser(a._id))) continue;
      await deps.erasures.request({ id: 'retention', roles: [] }, a._id, 'retention');
      started += 1;
    }
    return started;
  }

  async function expireOutbox(now: Date): Promise<void> {
    const before = now.getTime() - settings.mailOutboxDays * DAY;
    const files = await readdir(deps.outboxDir).catch(() => [] as string[]);
    for (const f of files) {
      const file = path.join(deps.outboxDir, f);
      const s = await stat(file).catch(() => undefined);
      if (s?.isFile() && s.mtimeMs < before) await rm(file, { force: true });
    }
  }

  return {
    /** One pass of the schedule; returns what it did (the job logs it, tests check it). */
    async run(): Promise<{ announced: number; erasuresStarted: number }> {
      const now = clock.now();
      // the outbox first: the mails this run writes are not the old ones
      await expireOutbox(now);
      const announced = await announceInactive(now);
      const erasuresStarted = await eraseAfterGrace(now);
      await repo.deleteAuditBefore(new Date(now.getTime() - settings.auditYears * YEAR));
      await deps.exports.runDue();
      if (announced || erasuresStarted) deps.logger.info({ announced, erasuresStarted }, 'privacy retention');
      return { announced, erasuresStarted };
    },
  };
}
