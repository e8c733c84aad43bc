import type { Texts } from '../i18n/i18n.ts';
import type { Mailer } from '../shared/mailer.ts';
import { formatDate, formatDateTime } from './format.ts';

interface To {
  email: string;
  name: string;
}

/** The privacy component's mails, in German through the i18n texts (ctx.texts), as every mail. */
export function createPrivacyMails(deps: { mailer: Mailer; texts: Texts; publicUrl: () => string }) {
  const t = deps.texts;
  const send = (to: To, kind: string, lines: string[]) =>
    deps.mailer.send({
      to: to.email,
      subject: t(`privacy:mails.${kind}.subject`),
      text: [t('privacy:mails.greeting', { name: to.name }), '', ...lines].join('\n'),
    });
  return {
    erasureRequested: (to: To, reference: string, dueAt: Date) =>
      send(to, 'erasureRequested', [
        t('privacy:mails.erasureRequested.received', { reference }),
        t('privacy:mails.erasureRequested.due', { date: formatDate(dueAt) }),
        t('privacy:mails.erasureRequested.withdraw', { url: `${deps.publicUrl()}/profile/privacy` }),
      ]),
    erasureDone: (to: To, reference: string) =>
      send(to, 'erasureDone', [
        t('privacy:mails.erasureDone.done', { reference }),
        t('privacy:mails.erasureDone.kept', { url: `${deps.publicUrl()}/datenschutz` }),
      ]),
    exportReady: (to: To, token: string, expiresAt: Date) =>
      send(to, 'exportReady', [
        t('privacy:mails.exportReady.ready'),
        t('privacy:mails.exportReady.once', { until: formatDateTime(expiresAt) }),
        `${deps.publicUrl()}/privacy/exports/${token}`,
        '',
        t('privacy:mails.exportReady.notYou', { url: `${deps.publicUrl()}/datenschutz` }),
      ]),
    inactive: (to: To, years: number, deadline: Date) =>
      send(to, 'inactive', [
        t('privacy:mails.inactive.unused', { years }),
        t('privacy:mails.inactive.deadline', { date: formatDate(deadline) }),
        t('privacy:mails.inactive.login', { url: `${deps.publicUrl()}/login` }),
      ]),
  };
}
export type PrivacyMails = ReturnType<typeof createPrivacyMails>;
