/**
 * The period a summary names: the year(s) or the month(s) the room met, never the dates (a date
 * and a region can point at one workshop). Stored as 'YYYY' or 'YYYY-MM'.
 */
export type PeriodPrecision = 'year' | 'month';

const BERLIN = 'Europe/Berlin';

function parts(d: Date): { year: string; month: string } {
  const f = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', timeZone: BERLIN }).formatToParts(d);
  return { year: f.find((p) => p.type === 'year')!.value, month: f.find((p) => p.type === 'month')!.value };
}

/** The stored period for a room held from..until, at the precision the Lotse chose. */
export function periodOf(from: Date | undefined, until: Date | undefined, precision: PeriodPrecision): { from: string; until: string } | null {
  const start = from ?? until;
  const end = until ?? from;
  if (!start || !end) return null;
  const a = parts(start);
  const b = parts(end);
  return precision === 'year' ? { from: a.year, until: b.year } : { from: `${a.year}-${a.month}`, until: `${b.year}-${b.month}` };
}

/** The period for people: "2026", "2025–2026", "März 2026", "März–Mai 2026", in the page's language. */
export function formatPeriod(from: string | null, until: string | null, lang: string): string {
  if (!from) return '';
  const to = until ?? from;
  const locale = lang === 'en' ? 'en-GB' : 'de-DE';
  if (from.length === 4) return from === to ? from : `${from}–${to}`;
  const date = (s: string) => new Date(`${s}-15T12:00:00Z`);
  const month = (s: string) => new Intl.DateTimeFormat(locale, { month: 'long', timeZone: 'UTC' }).format(date(s));
  const monthYear = (s: string) => new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date(s));
  if (from === to) return monthYear(from);
  if (from.slice(0, 4) === to.slice(0, 4)) return `${month(from)}–${monthYear(to)}`;
  return `${monthYear(from)} – ${monthYear(to)}`;
}
