/** Small statistics for the dashboard's figures, on plain numbers. */

/** The value at quantile q (0–1) of sorted values, interpolated linearly between neighbours (R type 7, what spreadsheets compute). */
export function quantile(sorted: readonly number[], q: number): number {
  if (!sorted.length) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export const median = (values: readonly number[]): number =>
  quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );

/** Minimum, quartiles and maximum (a box plot's five numbers), or null without values. */
export function fiveNumbers(values: readonly number[]): { min: number; q1: number; median: number; q3: number; max: number } | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  return { min: s[0]!, q1: quantile(s, 0.25), median: quantile(s, 0.5), q3: quantile(s, 0.75), max: s.at(-1)! };
}

const DAY = 24 * 3600_000;
/** Whole days between two moments (rounded down). */
export const daysBetween = (from: Date, to: Date): number => Math.floor((to.getTime() - from.getTime()) / DAY);

/** The Monday 00:00 UTC of the week a moment falls in (ISO weeks start on Monday). */
export function weekStart(at: Date): Date {
  const d = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d;
}

/** The Mondays from the week of `from` to the week of `to`, at most `max` (the latest ones). */
export function weeksBetween(from: Date, to: Date, max = 53): Date[] {
  const weeks: Date[] = [];
  for (let w = weekStart(from); w <= to; w = new Date(w.getTime() + 7 * DAY)) weeks.push(w);
  return weeks.slice(-max);
}

/** Rounded to one decimal place (figures for people and for exports alike). */
export const round1 = (n: number): number => Math.round(n * 10) / 10;
