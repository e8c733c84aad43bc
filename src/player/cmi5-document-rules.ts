import type { DocumentGuard, DocumentWrite } from '../lrs/types.ts';
import { DomainError } from '../shared/errors.ts';
import type { LrsPort } from './ports.ts';
import type { PlayerRepository } from './repository.ts';

const LAUNCH_DATA = 'LMS.LaunchData';
const LEARNER_PREFERENCES = 'cmi5LearnerPreferences';

// RFC 5646 §2.1 langtag (language[-extlang][-script][-region]*(-variant)*(-extension)[-privateuse]),
// a private-use tag or an "i-" grandfathered one; case does not matter (§2.1.1)
const LANGTAG = new RegExp(
  '^(?:' +
    '(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})' +
    '(?:-[a-z]{4})?' +
    '(?:-(?:[a-z]{2}|[0-9]{3}))?' +
    '(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*' +
    '(?:-[0-9a-wy-z](?:-[a-z0-9]{2,8})+)*' +
    '(?:-x(?:-[a-z0-9]{1,8})+)?' +
    '|x(?:-[a-z0-9]{1,8})+' +
    '|i-[a-z]{2,8}' +
    ')$',
  'i',
);

/** cmi5 §11: "a comma-separated list of RFC 5646 Language Tags". */
export function isLanguagePreference(value: unknown): boolean {
  if (typeof value !== 'string' || value.trim() === '') return false;
  return value.split(',').every((tag) => LANGTAG.test(tag.trim()));
}

/** Why a learner-preferences body breaks cmi5 §11, or undefined when it conforms. */
export function learnerPreferencesProblem(contentType: string | undefined, body: Buffer | undefined): string | undefined {
  if (!/^application\/json\b/i.test(contentType ?? '')) return 'Content-Type is not application/json';
  let doc: unknown;
  try {
    doc = JSON.parse((body ?? Buffer.alloc(0)).toString('utf8'));
  } catch {
    return 'not JSON';
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return 'not a JSON object';
  const prefs = doc as Record<string, unknown>;
  if (!isLanguagePreference(prefs.languagePreference)) return 'languagePreference is not a comma-separated list of RFC 5646 language tags';
  if (prefs.audioPreference !== 'on' && prefs.audioPreference !== 'off') return 'audioPreference is not "on" or "off"';
  return undefined;
}

/** Refuses the write; `reason` says why in the spec's words (shown in the message as {{reason}}). */
const refuse = (message: string, reason: string) => {
  throw new DomainError('forbidden', message, { reason });
};

/** A write that would change or remove LMS.LaunchData: the document itself, or every state of a registration. */
const touchesLaunchData = (w: DocumentWrite) =>
  w.resource === 'state' &&
  (w.params.stateId === LAUNCH_DATA || (w.method === 'DELETE' && w.params.stateId === undefined && w.params.registration !== undefined));

/**
 * The document rules cmi5 gives the LMS, as an LRS document guard:
 * - §10.2.1 (10.2.1.0-5): the AU must not write or delete LMS.LaunchData. Refused for credentials minted
 *   for a cmi5 launch (limited to a registration of a cmi5 attempt); the player writes the document
 *   through the LRS service, whose system credential has no limit. A DELETE of all states of the
 *   registration is refused too, as it would remove LMS.LaunchData.
 * - §11 (4.2.0.0-2, 11.0.0.0-5, 11.1.0.0-1): a cmi5LearnerPreferences agent profile must be a JSON
 *   object with languagePreference (RFC 5646 tags, comma-separated) and audioPreference ("on"/"off").
 *   The document's shape is cmi5's for every writer, so this holds for all credentials; deleting it stays
 *   allowed. A POST is checked like a PUT (its body must be a whole document).
 */
export function createCmi5DocumentRules(deps: { repo: Pick<PlayerRepository, 'findAttemptByRegistration'> }): DocumentGuard {
  return async (write, ctx) => {
    if (touchesLaunchData(write) && ctx.credential.limit) {
      const attempt = await deps.repo.findAttemptByRegistration(ctx.credential.limit.registration);
      if (attempt?.format === 'cmi5') refuse('player:errors.launchDataReadOnly', 'LMS.LaunchData is read-only for the AU');
    }
    if (write.resource === 'agent-profile' && write.params.profileId === LEARNER_PREFERENCES && write.method !== 'DELETE') {
      const problem = learnerPreferencesProblem(write.contentType, write.body);
      if (problem) refuse('player:errors.learnerPreferencesInvalid', problem);
    }
  };
}

/** Registers the rules with the LRS: they run before any document write or delete. */
export function registerCmi5DocumentRules(lrs: Pick<LrsPort, 'registerDocumentGuard'>, repo: Pick<PlayerRepository, 'findAttemptByRegistration'>): void {
  lrs.registerDocumentGuard(createCmi5DocumentRules({ repo }));
}
