import type { TFunction } from 'i18next';

const I18N_KEY = /^[a-z][a-zA-Z0-9-]*:[a-zA-Z0-9_.-]+$/;

/**
 * Domain messages are either i18n keys ("accounts:errors.locked") or finished German sentences
 * (e.g. from a validator); only keys are looked up, so a sentence with a colon is never mangled.
 */
export function translate(t: TFunction | ((key: string, opts?: object) => string), message: string, values: object = {}): string {
  return I18N_KEY.test(message) ? (t as (k: string, o?: object) => string)(message, values) : message;
}
