import type { Model } from 'mongoose';

/**
 * How many documents each value of `field` has, among `values`, in one grouped query ($match on an
 * indexed field, then $group with $sum: both FerretDB and MongoDB run it). Values without documents
 * are 0. `match` narrows further (it must be served by the same index).
 */
export async function countGrouped<T>(model: Model<T>, field: string, values: readonly string[], match: Record<string, unknown> = {}): Promise<Map<string, number>> {
  const out = new Map<string, number>(values.map((v) => [v, 0]));
  if (!values.length) return out;
  const rows = await model.aggregate<{ _id: string; n: number }>([
    { $match: { ...match, [field]: { $in: [...new Set(values)] } } },
    { $group: { _id: `$${field}`, n: { $sum: 1 } } },
  ]);
  for (const r of rows) out.set(String(r._id), r.n);
  return out;
}
