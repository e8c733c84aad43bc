import type { Logger } from '../shared/logger.ts';
import type { Mailer } from '../shared/mailer.ts';
import { formatDateTime } from './format.ts';
import type { DirectoryPort } from './ports.ts';
import type { PrerequisiteKind } from './prerequisite-repository.ts';
import type { Q2Session } from './session-repository.ts';

const KIND_LABEL: Record<PrerequisiteKind, string> = {
  authorisation: 'Ihre Autorisierung als OM-Beraterin bzw. OM-Berater',
  workshop: 'Ihre Teilnahme am Workshop „Gemeinsames Beratungsverständnis“',
};

/** The e-mails of the qualification (outbox in development): registration, promotion, verification decision. */
export function createRegistrationMails(deps: { mailer: Mailer; directory: DirectoryPort; publicUrl: () => string; logger: Logger }) {
  async function send(learnerId: string, subject: string, lines: (name: string) => string[]) {
    const [person] = await deps.directory.findUsers([learnerId]);
    if (!person) return;
    await deps.mailer.send({ to: person.email, subject: `GeZu Lotse Academy: ${subject}`, text: [`Guten Tag ${person.name},`, '', ...lines(person.name)].join('\n') });
  }
  const sessionLines = (s: Q2Session) => [
    `„${s.title}“`,
    `${formatDateTime(s.startsAt)} bis ${formatDateTime(s.endsAt)} (${s.format === 'virtuell' ? 'virtuell' : `Präsenz, ${s.place}`})`,
    `${deps.publicUrl()}/sessions/${s.id}`,
  ];
  return {
    registered: (learnerId: string, s: Q2Session, r: { status: 'registered' } | { status: 'waiting'; position: number }) =>
      send(learnerId, r.status === 'registered' ? `Anmeldung bestätigt – ${s.title}` : `Warteliste – ${s.title}`, () => [
        r.status === 'registered'
          ? 'Ihre Anmeldung zu diesem Q2-Termin ist bestätigt:'
          : `Der Termin ist ausgebucht. Sie stehen auf Platz ${r.position} der Warteliste und werden automatisch nachgerückt, sobald ein Platz frei wird:`,
        '',
        ...sessionLines(s),
        '',
        r.status === 'registered' ? 'Auf der Terminseite finden Sie den Kalendereintrag (.ics) und – bei virtuellen Terminen – den Zugangslink.' : '',
      ]),
    promoted: (learnerId: string, s: Q2Session) =>
      send(learnerId, `Sie sind nachgerückt – ${s.title}`, () => [
        'Ein Platz ist frei geworden: Sie sind von der Warteliste nachgerückt und für diesen Q2-Termin angemeldet.',
        '',
        ...sessionLines(s),
      ]),
    decided: (learnerId: string, kind: PrerequisiteKind, decision: 'verified' | 'rejected', reason?: string) =>
      send(learnerId, decision === 'verified' ? 'Nachweis bestätigt' : 'Nachweis nicht anerkannt', () => [
        decision === 'verified' ? `${KIND_LABEL[kind]} wurde bestätigt.` : `${KIND_LABEL[kind]} wurde nicht anerkannt.`,
        ...(reason ? ['', `Begründung: ${reason}`] : []),
        '',
        `Ihr Weg zur Qualifizierung: ${deps.publicUrl()}/path`,
      ]),
  };
}
export type RegistrationMails = ReturnType<typeof createRegistrationMails>;
