import type { Clock } from '../shared/clock.ts';
import type { QualificationService } from './service.ts';

const DAY = 24 * 3600_000;

/**
 * On a fresh development database: one cohort for the demo trainer with the demo learner, and one
 * upcoming Q2 session per default topic, so the path, registration and roster can be tried at once.
 */
export async function seedDemoQualification(q: QualificationService, clock: Clock): Promise<void> {
  if ((await q.planning.allSessions()).length > 0) return;
  const trainer = await q.directory.findByEmail('trainer@demo.gezu-lotse.de');
  const learner = await q.directory.findByEmail('lernende@demo.gezu-lotse.de');
  if (!trainer) return;
  const cohort = await q.planning.createCohort({
    name: 'Durchgang Demo 2026',
    region: 'baden-wuerttemberg',
    trainerIds: [trainer.id],
    learnerIds: learner ? [learner.id] : [],
  });
  const now = clock.now().getTime();
  const requirements = await q.requirements.get();
  let offset = 21;
  for (const topic of requirements.q2Topics) {
    const startsAt = new Date(Math.floor((now + offset * DAY) / DAY) * DAY + 8 * 3600_000);
    const virtual = topic.key === 'netzwerk-community';
    await q.planning.createSession({
      title: topic.title,
      topic: topic.key,
      format: virtual ? 'virtuell' : 'praesenz',
      startsAt,
      endsAt: new Date(startsAt.getTime() + 7 * 3600_000),
      place: virtual ? '' : 'Stuttgart, Haus der Wirtschaft',
      meetingLink: virtual ? 'https://meet.example.org/gezu-demo-netzwerk' : '',
      region: 'baden-wuerttemberg',
      trainerIds: [trainer.id],
      cohortId: cohort.id,
      capacity: 12,
      registrationDeadline: new Date(startsAt.getTime() - 7 * DAY),
      cancellationDeadline: new Date(startsAt.getTime() - 3 * DAY),
    });
    offset += 14;
  }
}
