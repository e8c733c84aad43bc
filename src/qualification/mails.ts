import type { Logger } from '../shared/logger.ts';
import type { Texts } from '../i18n/i18n.ts';
import type { Mailer } from '../shared/mailer.ts';
import { formatDateTime } from './format.ts';
import type { DirectoryPort } from './ports.ts';
import type { PrerequisiteKind } from './prerequisite-repository.ts';
import type { Q2Session } from './session-repository.ts';

/** The e-mails of the qualification (outbox in development): registration, promotion, verification decision. */
export function createRegistrationMails(deps: { mailer: Mailer; texts: Texts; directory: DirectoryPort; publicUrl: () => string; logger: Logger }) {
  const t = (key: string, values?: Record<string, unknown>) => deps.texts(`qualification:mails.${key}`, values);
  async function send(learnerId: string, subject: string, lines: string[]) {
    const [person] = await deps.directory.findUsers([learnerId]);
    if (!person) return;
    await deps.mailer.send({
      to: person.email,
      subject: t('subjectPrefix', { subject }),
      text: [t('greeting', { name: person.name }), '', ...lines].join('\n'),
    });
  }
  const sessionLines = (s: Q2Session) => [
    t('sessionTitle', { title: s.title }),
    t('sessionWhen', {
      start: formatDateTime(s.startsAt),
      end: formatDateTime(s.endsAt),
      where: s.format === 'virtuell' ? t('virtual') : t('onSite', { place: s.place }),
    }),
    `${deps.publicUrl()}/sessions/${s.id}`,
  ];
  return {
    registered: (learnerId: string, s: Q2Session, r: { status: 'registered' } | { status: 'waiting'; position: number }) =>
      send(learnerId, r.status === 'registered' ? t('registered.subject', { title: s.title }) : t('waiting.subject', { title: s.title }), [
        r.status === 'registered' ? t('registered.intro') : t('waiting.intro', { position: r.position }),
        '',
        ...sessionLines(s),
        '',
        r.status === 'registered' ? t('registered.calendar') : '',
      ]),
    promoted: (learnerId: string, s: Q2Session) => send(learnerId, t('promoted.subject', { title: s.title }), [t('promoted.intro'), '', ...sessionLines(s)]),
    decided: (learnerId: string, kind: PrerequisiteKind, decision: 'verified' | 'rejected', reason?: string) =>
      send(learnerId, t(decision === 'verified' ? 'decided.verifiedSubject' : 'decided.rejectedSubject'), [
        t(decision === 'verified' ? 'decided.verified' : 'decided.rejected', { kind: t(`kind.${kind}`) }),
        ...(reason ? ['', t('decided.reason', { reason })] : []),
        '',
        t('decided.path', { url: `${deps.publicUrl()}/path` }),
      ]),
  };
}
export type RegistrationMails = ReturnType<typeof createRegistrationMails>;
