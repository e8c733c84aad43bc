import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import type { Mailer } from '../shared/mailer.ts';
import { attentionReason } from './tables.ts';
import type { CohortDashboardService } from './cohort-dashboard.ts';
import type { QualificationPort } from './ports.ts';
import type { InsightRepository } from './repository.ts';

type T = (key: string, opts?: Record<string, unknown>) => string;
const DAY = 24 * 3600_000;

/**
 * The weekly mail to each trainer (issue #19 §8): who needs attention in their cohorts, evidence
 * waiting for a check, the next Q2 sessions (two weeks) and their registrations. Trainers who opted
 * out get none; one whose cohorts and sessions give nothing to say gets none either.
 */
export function createWeeklyDigest(deps: {
  qualification: QualificationPort;
  dashboard: CohortDashboardService;
  repo: InsightRepository;
  mailer: Mailer;
  clock: Clock;
  logger: Logger;
  publicUrl: () => string;
  t: T;
}) {
  const { qualification: q, t } = deps;
  const fmt = (d: Date) => new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Berlin' }).format(d);

  async function digestFor(trainer: { id: string; roles: string[] }): Promise<string | undefined> {
    const viewer = { id: trainer.id, roles: trainer.roles };
    const [overview, pending] = await Promise.all([q.planning.trainerOverview(viewer), q.prerequisites.pending(viewer)]);
    const lines: string[] = [];
    for (const c of overview.cohorts) {
      const d = await deps.dashboard.forCohort(viewer, c.id);
      if (!d.attention.length) continue;
      lines.push(t('insight:digest.cohort', { name: c.name, count: d.attention.length }));
      for (const a of d.attention) lines.push(`  – ${a.name}: ${attentionReason(a, t)}`);
      lines.push(`  ${deps.publicUrl()}/trainer/insight/cohorts/${c.id}`, '');
    }
    const waiting = pending.flatMap((p) =>
      (['authorisation', 'workshop'] as const)
        .filter((k) => p[k].state === 'pending')
        .map((k) => `  – ${p.person?.name ?? p.learnerId}: ${t(`insight:prerequisites.${k}`)}`),
    );
    if (waiting.length) lines.push(t('insight:digest.evidence', { count: waiting.length }), ...waiting, `  ${deps.publicUrl()}/trainer/verifications`, '');
    const now = deps.clock.now().getTime();
    const next = overview.sessions
      .filter((s) => s.startsAt.getTime() >= now && s.startsAt.getTime() < now + 14 * DAY)
      .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
    if (next.length) {
      const counts = await q.registration.countsOf(next.map((s) => s.id));
      lines.push(t('insight:digest.sessions'));
      for (const s of next) {
        const c = counts.get(s.id) ?? { participants: 0, waiting: 0 };
        lines.push(
          `  – ${fmt(s.startsAt)} ${s.title}: ${t('insight:digest.seats', { participants: c.participants, capacity: s.capacity, waiting: c.waiting })}`,
        );
      }
      lines.push('');
    }
    return lines.length ? lines.join('\n') : undefined;
  }

  return {
    digestFor,
    /** Sends this week's digests; returns how many mails went out. */
    async sendAll(): Promise<number> {
      let sent = 0;
      for (const trainer of await q.directory.listByRole('trainer')) {
        if (await deps.repo.isOptedOut(trainer.id)) continue;
        const body = await digestFor(trainer).catch((err: unknown) => {
          deps.logger.warn({ err, trainer: trainer.id }, 'weekly digest failed for one trainer');
          return undefined;
        });
        if (!body) continue;
        const text = `${t('insight:digest.greeting', { name: trainer.name })}\n\n${body}\n${t('insight:digest.optOut', { url: `${deps.publicUrl()}/trainer/insight/digest` })}\n`;
        await deps.mailer.send({ to: trainer.email, subject: t('insight:digest.subject'), text });
        sent += 1;
      }
      return sent;
    },
  };
}
export type WeeklyDigest = ReturnType<typeof createWeeklyDigest>;
