import { fold, foldedWords } from './fold.ts';

/**
 * The anonymisation guarantee of a published summary (issue #21): nothing that names a person or a
 * company of the room leaves it. A text is refused when it contains
 *  - one of the room's personal terms (names, e-mail addresses, companies), compared word by word
 *    after folding (case, ß, accents, ae/oe/ue: fold.ts); a term of several words is refused as a
 *    whole and by each of its words of three letters or more (also with a genitive s), except legal forms and connectors
 *    ("GmbH", "und") and the room's own trade and topic words ("Bäckerei Schmidt GmbH" refuses
 *    "Schmidt", not "Bäckerei" when Bäckerei is a trade of the room);
 *  - an e-mail address, a phone number (+49 …, 0049 …, 0681 / 12 34 56 …), an @mention;
 *  - a URL to a person: social networks, or paths like /in/, /profile/, /team/, /~name.
 * The check answers with each offending word, so the Lotse can fix exactly those.
 */
export type FindingKind = 'term' | 'email' | 'phone' | 'url' | 'mention';
export interface Finding {
  kind: FindingKind;
  /** As the Lotse should look for it: the term as the room knows it, or the text as typed. */
  word: string;
}

/** Words of a term that do not identify on their own (folded). */
const GENERIC = new Set(
  foldedWords(
    'gmbh mbh ag kg ug ohg gbr ev eg co kgaa se partg partgmbb ek inh inhaber haftungsbeschrankt und & der die das den dem des von vom van de zu zur zum the and of',
  ),
);

export interface PersonalTerms {
  phrases: Array<{ word: string; folded: string }>;
  parts: Array<{ word: string; folded: string }>;
}

/** Prepares the room's personal terms once for checking many texts; `generic` are the room's trade and topic words. */
export function preparePersonalTerms(terms: string[], generic: string[] = []): PersonalTerms {
  const allowed = new Set([...GENERIC, ...generic.flatMap(foldedWords)]);
  const phrases = new Map<string, string>();
  const parts = new Map<string, string>();
  for (const term of terms) {
    const words = foldedWords(term);
    if (!words.length) continue;
    phrases.set(words.join(' '), term.trim());
    // an e-mail address is found as such; its pieces ("de", "info") say nothing
    if (term.includes('@')) continue;
    const original = term
      .trim()
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean);
    for (const [i, w] of words.entries()) {
      if (w.length >= 3 && !allowed.has(w) && !/^\d+$/.test(w)) parts.set(w, original[i] ?? w);
    }
  }
  return {
    phrases: [...phrases].map(([folded, word]) => ({ folded, word })),
    parts: [...parts].map(([folded, word]) => ({ folded, word })),
  };
}

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
const MENTION = /(^|[^\p{L}\p{N}._%+\-@])@([\p{L}\p{N}_][\p{L}\p{N}_.-]*)/gu;
const PHONE = /(?:\+|\b00)\d[\d\s./()-]{5,}\d|\(?\b0\d{2,5}\)?[\s./-]*\d[\d\s./-]{3,}\d/g;
const DATE = /^\d{1,2}\.\d{1,2}\.(?:\d{2}|\d{4})$/;
const URL = /(?:https?:\/\/|www\.)[^\s<>()[\]"']+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\/[^\s<>()[\]"']*/giu;
const PEOPLE_HOSTS = /(?:^|\.)(?:linkedin|xing|facebook|fb|instagram|twitter|x|tiktok|threads|mastodon|youtube|wa|whatsapp|t)\.(?:com|de|me|net|social|org)$/i;
const PEOPLE_PATHS =
  /\/(?:in|pub|profile|profil|profiles|user|users|u|people|person|personen|team|mitarbeiter|mitarbeitende|ansprechpartner|kontakt|author|autor|members?)(?:\/|$|\?|#)|\/~|@/i;

function hostAndPath(url: string): { host: string; rest: string } {
  const bare = url.replace(/^https?:\/\//i, '');
  const cut = bare.search(/[/?#]/);
  return cut === -1 ? { host: bare, rest: '' } : { host: bare.slice(0, cut), rest: bare.slice(cut) };
}

/** Whether a URL leads to a person: a social network's page, or a path that names people. */
export function isPersonalUrl(url: string): boolean {
  const { host, rest } = hostAndPath(url.replace(/[.,;:!?]+$/, ''));
  return PEOPLE_HOSTS.test(host.replace(/^www\./i, '')) || PEOPLE_PATHS.test(rest);
}

/** What in `text` names a person or a company; empty when the text may be published. */
export function personalDataIn(text: string, terms: PersonalTerms): Finding[] {
  const found = new Map<string, Finding>();
  const add = (kind: FindingKind, word: string) => {
    const key = `${kind}:${fold(word)}`;
    if (!found.has(key)) found.set(key, { kind, word });
  };
  let rest = text;
  for (const m of text.matchAll(EMAIL)) add('email', m[0]);
  rest = rest.replace(EMAIL, ' ');
  for (const m of rest.matchAll(URL)) if (isPersonalUrl(m[0])) add('url', m[0].replace(/[.,;:!?]+$/, ''));
  for (const m of rest.matchAll(MENTION)) add('mention', `@${m[2]}`);
  for (const m of rest.matchAll(PHONE)) {
    const candidate = m[0].trim().replace(/[\s./()-]+$/, '');
    if (candidate.replace(/\D/g, '').length >= 6 && !DATE.test(candidate)) add('phone', candidate);
  }
  const words = foldedWords(text);
  // the text as written, and with the genitive s taken off ("Müllers Tabelle" names Müller)
  const variants = [` ${words.join(' ')} `, ` ${words.map((w) => (w.length > 3 && w.endsWith('s') ? w.slice(0, -1) : w)).join(' ')} `];
  const contains = (folded: string) => variants.some((v) => v.includes(` ${folded} `));
  for (const p of terms.phrases) if (contains(p.folded)) add('term', p.word);
  const named = (folded: string) => [...found.values()].some((f) => f.kind === 'term' && fold(f.word).includes(folded));
  for (const p of terms.parts) if (contains(p.folded) && !named(p.folded)) add('term', p.word);
  return [...found.values()];
}
