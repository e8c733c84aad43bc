// Turns German heading text into stable, ASCII-only HTML ids ("Führung & Kultur" -> "fuehrung-kultur").
// The ids double as resume locations stored in the LMS, so they must not change between builds.

const UMLAUTS: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss', Ä: 'ae', Ö: 'oe', Ü: 'ue' };

export function slugify(value: string): string {
  const slug = value
    .replace(/[äöüßÄÖÜ]/g, (ch) => UMLAUTS[ch] ?? ch)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug.length > 0 ? slug : 'abschnitt';
}

/** Returns a slugger that appends -2, -3 … to repeated ids within one page. */
export function createSlugger(): (value: string) => string {
  const used = new Map<string, number>();
  return (value) => {
    const base = slugify(value);
    const count = (used.get(base) ?? 0) + 1;
    used.set(base, count);
    return count === 1 ? base : `${base}-${count}`;
  };
}
