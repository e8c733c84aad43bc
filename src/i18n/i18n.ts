import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import i18next, { type i18n } from 'i18next';
import { LanguageDetector, handle } from 'i18next-http-middleware';
import type { RequestHandler } from 'express';

export const LANGUAGES = ['de', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const localesDir = fileURLToPath(new URL('./locales/', import.meta.url));

/** Each component owns one namespace file per language: locales/<lng>/<component>.json. */
function loadResources(): Record<string, Record<string, Record<string, unknown>>> {
  const resources: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const lng of LANGUAGES) {
    resources[lng] = {};
    for (const file of readdirSync(path.join(localesDir, lng)).filter((f) => f.endsWith('.json'))) {
      resources[lng][path.basename(file, '.json')] = JSON.parse(readFileSync(path.join(localesDir, lng, file), 'utf8'));
    }
  }
  return resources;
}

/**
 * German first: a visitor sees German unless they chose English (?lng=en, remembered in a cookie).
 * i18next does the plurals, interpolation and fallbacks; we only supply the texts.
 */
/** A translation function as components take it: a key (`ns:key`) and its values. */
export type Texts = (key: string, values?: object) => string;

/** The German texts for what leaves the platform outside a request (mails, background jobs). */
export const germanTexts = (instance: i18n): Texts => {
  const t = instance.getFixedT('de');
  return (key, values) => t(key, (values ?? {}) as Record<string, unknown>);
};

export async function createI18n(): Promise<{ i18n: i18n; middleware: RequestHandler }> {
  const instance = i18next.createInstance();
  const resources = loadResources();
  await instance.use(LanguageDetector).init({
    resources,
    ns: Object.keys(resources.de ?? {}),
    defaultNS: 'common',
    fallbackLng: 'de',
    supportedLngs: [...LANGUAGES],
    interpolation: { escapeValue: false }, // pug escapes on output
    detection: {
      order: ['querystring', 'cookie'],
      lookupQuerystring: 'lng',
      lookupCookie: 'lng',
      caches: ['cookie'],
      cookieSameSite: 'lax',
    },
  });
  return { i18n: instance, middleware: requestLanguage(instance) };
}

/**
 * The texts of a request that passed no language middleware (the xAPI endpoint): the language the
 * detector would choose from `?lng=` or the `lng` cookie, without cloning the instance for it.
 */
export function textsForRequest(instance: i18n): (req: { url: string; headers: { cookie?: string } }) => Texts {
  const fixed = new Map(LANGUAGES.map((lng) => [lng, instance.getFixedT(lng)]));
  const pick = (v: string | null | undefined) => LANGUAGES.find((l) => l === v);
  return (req) => {
    const query = req.url.includes('lng=') ? new URL(req.url, 'http://x').searchParams.get('lng') : undefined;
    const cookie = /(?:^|;\s*)lng=([a-z]{2})/.exec(req.headers.cookie ?? '')?.[1];
    const t = fixed.get(pick(query) ?? pick(cookie) ?? 'de')!;
    return (key, values) => t(key, (values ?? {}) as Record<string, unknown>);
  };
}

/** Each request's language and `req.t` (i18next-http-middleware). */
export const requestLanguage = (instance: i18n): RequestHandler => handle(instance) as RequestHandler;
