import { formatDateTime } from './format.ts';
import type { MissingItem, PrerequisiteState } from './ports.ts';
import type { PrerequisiteItem } from './model.ts';

/**
 * The reasons a learner is refused or not yet eligible, each with a German sentence and the page
 * where it is fixed. One place, so the eligibility port, the API and the pages say the same thing.
 */
export const FIX_URLS = {
  authorisation: '/path/prerequisites#authorisation',
  workshop: '/path/prerequisites#workshop',
  q1: '/dashboard',
  sessions: '/sessions',
} as const;

const notVerified = (state: PrerequisiteState, what: string, reason?: string) =>
  state === 'rejected'
    ? `${what} wurde nicht anerkannt${reason ? `: ${reason}` : ''}. Bitte korrigieren Sie die Angaben oder laden Sie einen neuen Nachweis hoch.`
    : `${what} ist noch nicht bestätigt. Eine Trainerin, ein Trainer oder die Verwaltung prüft Ihre Angaben.`;

/** What is missing about the two admission prerequisites (empty when both are verified). */
export function prerequisiteGaps(p: { authorisation: PrerequisiteItem; workshop: PrerequisiteItem }): MissingItem[] {
  const out: MissingItem[] = [];
  if (p.authorisation.state === 'missing') {
    out.push({ code: 'authorisation-missing', message: 'Die Autorisierung als OM-Beraterin bzw. OM-Berater fehlt. Bitte tragen Sie Nummer, Datum und Partnerorganisation ein.', fixUrl: FIX_URLS.authorisation });
  } else if (p.authorisation.state !== 'verified') {
    out.push({ code: 'authorisation-not-verified', message: notVerified(p.authorisation.state, 'Ihre Autorisierung als OM-Beraterin bzw. OM-Berater', p.authorisation.reason), fixUrl: FIX_URLS.authorisation });
  }
  if (p.workshop.state === 'missing') {
    out.push({ code: 'workshop-missing', message: 'Die Teilnahme am Workshop „Gemeinsames Beratungsverständnis“ fehlt. Bitte tragen Sie Datum und Ort ein.', fixUrl: FIX_URLS.workshop });
  } else if (p.workshop.state !== 'verified') {
    out.push({ code: 'workshop-not-verified', message: notVerified(p.workshop.state, 'Ihre Teilnahme am Workshop „Gemeinsames Beratungsverständnis“', p.workshop.reason), fixUrl: FIX_URLS.workshop });
  }
  return out;
}

export const q1Incomplete = (openModules: string[], forSession: boolean): MissingItem => ({
  code: 'q1-incomplete',
  message: forSession
    ? `Für diesen Termin müssen Sie zuerst alle Q1-Module abschließen. Noch offen: ${openModules.join(', ')}.`
    : `Noch nicht abgeschlossene Q1-Module: ${openModules.join(', ')}.`,
  fixUrl: FIX_URLS.q1,
});

export const q2TopicMissing = (topic: { key: string; title: string }): MissingItem => ({
  code: 'q2-topic-missing',
  message: `Der Q2-Termin „${topic.title}“ ist noch nicht besucht.`,
  fixUrl: `${FIX_URLS.sessions}?topic=${encodeURIComponent(topic.key)}`,
});

export const registrationClosed = (deadline: Date): MissingItem => ({
  code: 'registration-closed',
  message: `Die Anmeldefrist für diesen Termin ist am ${formatDateTime(deadline)} abgelaufen. Bitte wählen Sie einen anderen Termin.`,
  fixUrl: FIX_URLS.sessions,
});

export const alreadyRegistered = (sessionId: string, waiting: boolean): MissingItem => ({
  code: 'already-registered',
  message: waiting ? 'Sie stehen für diesen Termin bereits auf der Warteliste.' : 'Sie sind für diesen Termin bereits angemeldet.',
  fixUrl: `${FIX_URLS.sessions}/${sessionId}`,
});
