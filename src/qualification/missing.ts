import type { Texts } from '../i18n/i18n.ts';
import { formatDateTime } from './format.ts';
import type { MissingItem, PrerequisiteState } from './ports.ts';
import type { PrerequisiteItem } from './model.ts';

/**
 * The reasons a learner is refused or not yet eligible, each with a sentence and the page where it
 * is fixed. One place, so the eligibility port, the API and the pages say the same thing.
 */
export const FIX_URLS = {
  authorisation: '/path/prerequisites#authorisation',
  workshop: '/path/prerequisites#workshop',
  q1: '/dashboard',
  sessions: '/sessions',
} as const;

/**
 * The reasons as sentences from the locale files (German: what the eligibility port and the API
 * carry in `message`; pages in English translate by `code`).
 */
export function createMissingReasons(texts: Texts) {
  const t = (key: string, values?: Record<string, unknown>) => texts(`qualification:reasons.${key}`, values);
  const notVerified = (state: PrerequisiteState, what: string, reason?: string) =>
    state === 'rejected' ? t(reason ? 'rejectedWithReason' : 'rejected', { what, reason }) : t('pending', { what });
  return {
    /** What is missing about the two admission prerequisites (empty when both are verified). */
    prerequisiteGaps(p: { authorisation: PrerequisiteItem; workshop: PrerequisiteItem }): MissingItem[] {
      const out: MissingItem[] = [];
      if (p.authorisation.state === 'missing') {
        out.push({ code: 'authorisation-missing', message: t('authorisationMissing'), fixUrl: FIX_URLS.authorisation });
      } else if (p.authorisation.state !== 'verified') {
        out.push({
          code: 'authorisation-not-verified',
          message: notVerified(p.authorisation.state, t('authorisationWhat'), p.authorisation.reason),
          fixUrl: FIX_URLS.authorisation,
        });
      }
      if (p.workshop.state === 'missing') {
        out.push({ code: 'workshop-missing', message: t('workshopMissing'), fixUrl: FIX_URLS.workshop });
      } else if (p.workshop.state !== 'verified') {
        out.push({ code: 'workshop-not-verified', message: notVerified(p.workshop.state, t('workshopWhat'), p.workshop.reason), fixUrl: FIX_URLS.workshop });
      }
      return out;
    },
    q1Incomplete: (openModules: string[], forSession: boolean): MissingItem => ({
      code: 'q1-incomplete',
      message: t(forSession ? 'q1ForSession' : 'q1Open', { modules: openModules.join(', ') }),
      fixUrl: FIX_URLS.q1,
    }),
    q2TopicMissing: (topic: { key: string; title: string }): MissingItem => ({
      code: 'q2-topic-missing',
      message: t('q2Topic', { title: topic.title }),
      fixUrl: `${FIX_URLS.sessions}?topic=${encodeURIComponent(topic.key)}`,
    }),
    registrationClosed: (deadline: Date): MissingItem => ({
      code: 'registration-closed',
      message: t('registrationClosed', { deadline: formatDateTime(deadline) }),
      fixUrl: FIX_URLS.sessions,
    }),
    alreadyRegistered: (sessionId: string, waiting: boolean): MissingItem => ({
      code: 'already-registered',
      message: t(waiting ? 'alreadyWaiting' : 'alreadyRegistered'),
      fixUrl: `${FIX_URLS.sessions}/${sessionId}`,
    }),
  };
}
export type MissingReasons = ReturnType<typeof createMissingReasons>;
