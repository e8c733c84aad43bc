import type { Texts } from '../i18n/i18n.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import type { Mailer } from '../shared/mailer.ts';
import type { NotificationKind } from './model.ts';
import type { PeoplePort, Viewer } from './ports.ts';
import type { CommunityRepository, Notification } from './repository.ts';

export interface NewNotification {
  userId: string;
  kind: NotificationKind;
  actorId: string;
  title: string;
  link: string;
}

/** Mentions and mentor messages go out by mail at once (if switched on); everything else in the daily digest. */
const IMMEDIATE: NotificationKind[] = ['mention', 'mentor'];

/**
 * In-app notifications (badge and list) and their mails. German mail texts (ctx.texts); each person
 * switches the immediate mails and the digest on or off. A notification is mailed once: at once, or
 * by the next digest, which also closes what waits for someone who switched the digest off.
 */
export function createNotifications(deps: {
  repo: CommunityRepository;
  people: PeoplePort;
  mailer: Mailer;
  texts: Texts;
  clock: Clock;
  logger: Logger;
  publicUrl: () => string;
}) {
  const { repo, people, clock, texts: t } = deps;
  const line = (n: Notification, names: Map<string, string>) =>
    t(`community:notifications.kinds.${n.kind}`, { name: names.get(n.actorId) ?? t('community:formerMember'), title: n.title });

  async function mailNow(list: Notification[]): Promise<void> {
    const contacts = await people.contactsOf([...new Set(list.map((n) => n.userId))]);
    const names = await people.namesOf([...new Set(list.map((n) => n.actorId))]);
    for (const c of contacts) {
      if (!(await repo.settingsOf(c.id)).immediate) continue;
      const mine = list.filter((n) => n.userId === c.id);
      for (const n of mine) {
        await deps.mailer.send({
          to: c.email,
          subject: line(n, names),
          text: `${t('community:mail.greeting', { name: c.name })}\n\n${line(n, names)}\n${deps.publicUrl()}${n.link}\n\n${t('community:mail.switch', { url: `${deps.publicUrl()}/profile` })}\n`,
        });
      }
      await repo.markMailed(
        mine.map((n) => n.id),
        clock.now(),
      );
    }
  }

  return {
    /** Stores the notifications (never to the person who acted, one per person and kind) and mails the immediate ones. */
    async notify(list: NewNotification[]): Promise<void> {
      const seen = new Set<string>();
      const fresh = list.filter((n) => n.userId && n.userId !== n.actorId && !seen.has(n.userId) && seen.add(n.userId));
      const stored = await repo.insertNotifications(fresh.map((n) => ({ ...n, createdAt: clock.now(), readAt: null, mailedAt: null })));
      await mailNow(stored.filter((n) => IMMEDIATE.includes(n.kind))).catch((err: unknown) => deps.logger.warn({ err }, 'community: notification mail failed'));
    },
    async list(viewer: Viewer) {
      const list = await repo.notificationsOf(viewer.id, 100);
      const names = await people.namesOf([...new Set(list.map((n) => n.actorId))]);
      return list.map((n) => ({ id: n.id, text: line(n, names), link: n.link, createdAt: n.createdAt, unread: !n.readAt }));
    },
    unread: (viewer: Viewer) => repo.countUnread(viewer.id),
    markAllRead: (viewer: Viewer) => repo.markRead(viewer.id, clock.now()),
    settings: (viewer: Viewer) => repo.settingsOf(viewer.id),
    saveSettings: (viewer: Viewer, s: { immediate: boolean; digest: boolean }) => repo.putSettings(viewer.id, s),
    /** The daily digest: one mail per person with what has not gone out yet. Returns how many mails were sent. */
    async sendDigest(): Promise<number> {
      const waiting = await repo.unmailed(5000);
      const byUser = new Map<string, Notification[]>();
      for (const n of waiting) byUser.set(n.userId, [...(byUser.get(n.userId) ?? []), n]);
      const contacts = await people.contactsOf([...byUser.keys()]);
      const names = await people.namesOf([...new Set(waiting.map((n) => n.actorId))]);
      let sent = 0;
      for (const c of contacts) {
        const mine = byUser.get(c.id) ?? [];
        if ((await repo.settingsOf(c.id)).digest) {
          const lines = mine.map((n) => `- ${line(n, names)}: ${deps.publicUrl()}${n.link}`).join('\n');
          await deps.mailer.send({
            to: c.email,
            subject: t('community:mail.digestSubject', { count: mine.length }),
            text: `${t('community:mail.greeting', { name: c.name })}\n\n${t('community:mail.digestLead')}\n\n${lines}\n\n${t('community:mail.switch', { url: `${deps.publicUrl()}/profile` })}\n`,
          });
          sent += 1;
        }
        await repo.markMailed(
          mine.map((n) => n.id),
          clock.now(),
        );
      }
      // notifications of erased accounts: nobody to mail
      const known = new Set(contacts.map((c) => c.id));
      await repo.markMailed(
        waiting.filter((n) => !known.has(n.userId)).map((n) => n.id),
        clock.now(),
      );
      return sent;
    },
  };
}
export type Notifications = ReturnType<typeof createNotifications>;
