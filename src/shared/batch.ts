/**
 * Joining in code: list pages read their rows with one query and the related records with one
 * `$in` query each (FerretDB has no $lookup), then put them together with these.
 */

import { isObjectId } from './object-id.ts';

/** The items under their key; every key of `keys` is present, with [] when nothing matched. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string, keys: readonly string[] = []): Map<string, T[]> {
  const out = new Map<string, T[]>(keys.map((k) => [k, []]));
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/** The items by their (unique) key; a later item with the same key wins. */
export function indexBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T> {
  return new Map(items.map((item) => [key(item), item]));
}

/** The distinct values, in first-seen order: what an `$in` list should hold. */
export const distinct = (values: readonly string[]): string[] => [...new Set(values)];

/** The distinct ids that can be ObjectIds (24 hex digits); anything else cannot match an `_id` anyway. */
export const objectIdsIn = (ids: readonly string[]): string[] => distinct(ids.filter(isObjectId));
