/**
 * One way of comparing words, used by both the anonymisation check and the public search: lower
 * case, ß as ss, accents off (ü → u), and the umlaut spellings ae/oe/ue onto the same letters, so
 * "Müller", "Mueller", "MULLER" and "muller" all fold to "muller". Applied to both sides of every
 * comparison, so it only has to be consistent, not reversible.
 */
export function fold(text: string): string {
  return text.toLowerCase().replace(/ß/g, 'ss').normalize('NFKD').replace(/\p{M}/gu, '').replace(/ae/g, 'a').replace(/oe/g, 'o').replace(/ue/g, 'u');
}

/** The folded words of a text: letters and digits, split at everything else (spaces, punctuation, Markdown). */
export function foldedWords(text: string): string[] {
  return fold(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

const MAX_TOKENS = 3000;

/**
 * The stored search field of a published summary: its distinct folded words of two letters or more.
 * FerretDB has no text index; a multikey index on this array serves an anchored prefix regex per
 * word the visitor typed (src/results/README.md).
 */
export function searchTokens(...texts: string[]): string[] {
  const set = new Set<string>();
  for (const t of texts) for (const w of foldedWords(t)) if (w.length >= 2) set.add(w);
  return [...set].slice(0, MAX_TOKENS);
}
