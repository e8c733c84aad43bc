import type { Model } from 'mongoose';
import { distinct } from '../shared/batch.ts';

/**
 * How many documents each value of `field` has, among `values`, in one grouped query ($match with
 * $in on an indexed field, then $group with $sum: FerretDB and MongoDB both run it). Values without
 * documents are 0.
 */
export async function countGrouped<T>(model: Model<T>, field: string, values: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>(values.map((v) => [v, 0]));
  if (!values.length) return out;
  const rows = await model.aggregate<{ _id: string; n: number }>([
    { $match: { [field]: { $in: distinct(values) } } },
    { $group: { _id: `$${field}`, n: { $sum: 1 } } },
  ]);
  for (const r of rows) out.set(String(r._id), r.n);
  return out;
}
