import { BSONRegExp, Double, Int32, Long, ObjectId, type Document, type Filter } from 'mongodb';

/**
 * Documents whose field `f` takes every shape a pushed-down filter must not get wrong: a string, arrays
 * holding the value, arrays of documents, missing, null, the same number in three BSON types, nested
 * documents, ObjectIds and a string with the same hex, booleans, a regex whose pattern is the value
 * (stored as the same JSON text as the string) and a string with characters JSON escapes.
 */
export const oid1 = new ObjectId('65a000000000000000000001');
const oid2 = new ObjectId('65a000000000000000000002');
const oid3 = new ObjectId('65a000000000000000000003');
export const special = 'a<b>&"c\\é';

/** The test collections' documents: string _ids, anything else. */
export type Row = Document & { _id: string };

export const documents: Row[] = [
  { _id: 'str', f: 'x', g: 'k', n: 1 },
  { _id: 'arr', f: ['y', 'x'], g: 'k', n: 2 },
  { _id: 'arrDocs', f: [{ f: 'x' }, { g: 'x' }], g: 'j' },
  { _id: 'missing', g: 'k' },
  { _id: 'null', f: null, g: 'k' },
  { _id: 'int', f: new Int32(5) },
  { _id: 'long', f: Long.fromNumber(5) },
  { _id: 'double', f: new Double(5) },
  { _id: 'nested', f: { g: 'x' }, h: { f: 'x' } },
  { _id: 'nestedArr', f: 'z', h: [{ f: 'x' }] },
  { _id: 'oid', f: oid1 },
  { _id: 'oidArr', f: [oid2, oid1] },
  { _id: 'oidHex', f: oid1.toHexString() },
  { _id: 'true', f: true },
  { _id: 'false', f: false },
  { _id: 'boolArr', f: [false, true] },
  { _id: 'special', f: special, g: 'k' },
  { _id: 'regex', f: new BSONRegExp('x') },
  { _id: 'upper', f: 'X', g: 'k' },
  { _id: 'empty', f: [] },
];

export const allIds = documents.map((d) => d._id);

/** A filter and the _ids MongoDB's semantics say it matches (sorted). */
export interface PushdownCase {
  name: string;
  filter: Filter<Row>;
  expected: string[];
}

const not = (ids: string[]) => allIds.filter((id) => !ids.includes(id)).sort();

export const cases: PushdownCase[] = [
  { name: 'a string', filter: { f: 'x' }, expected: ['arr', 'str'] },
  { name: '$eq on a string', filter: { f: { $eq: 'x' } }, expected: ['arr', 'str'] },
  { name: '$in on strings', filter: { f: { $in: ['x', 'z'] } }, expected: ['arr', 'nestedArr', 'str'] },
  { name: '$in with null (not pushed down)', filter: { f: { $in: ['x', null] } }, expected: ['arr', 'missing', 'null', 'str'] },
  { name: '$in of nothing', filter: { f: { $in: [] } }, expected: [] },
  // longer than SQLite takes bound parameters (32766): must be left to the scan, not fail
  { name: 'a $in of 33000 strings', filter: { f: { $in: [...Array.from({ length: 33_000 }, (_, i) => `v${i}`), 'x'] } }, expected: ['arr', 'str'] },
  { name: '$in and $nin', filter: { f: { $in: ['x'], $nin: ['y'] } }, expected: ['str'] },
  { name: 'an ObjectId', filter: { f: oid1 }, expected: ['oid', 'oidArr'] },
  { name: '$in on ObjectIds', filter: { f: { $in: [oid1, oid3] } }, expected: ['oid', 'oidArr'] },
  { name: 'the hex string of an ObjectId', filter: { f: oid1.toHexString() }, expected: ['oidHex'] },
  { name: 'true', filter: { f: true }, expected: ['boolArr', 'true'] },
  { name: 'false', filter: { f: false }, expected: ['boolArr', 'false'] },
  { name: 'two fields', filter: { f: 'x', g: 'k' }, expected: ['arr', 'str'] },
  { name: 'a string JSON escapes', filter: { f: special, g: 'k' }, expected: ['special'] },
  { name: 'a string in another case', filter: { f: 'X' }, expected: ['upper'] },
  { name: '_id', filter: { _id: 'oid' }, expected: ['oid'] },
  { name: '$in on _id', filter: { _id: { $in: ['str', 'null', 'nope'] } }, expected: ['null', 'str'] },
  { name: 'a pushed field and a range', filter: { f: 'x', n: { $gt: 1 } }, expected: ['arr'] },
  { name: 'a pushed field and $or', filter: { f: 'x', $or: [{ g: 'j' }, { n: 1 }] }, expected: ['str'] },
  { name: 'a dotted path (not pushed down)', filter: { 'h.f': 'x' }, expected: ['nested', 'nestedArr'] },
  { name: 'a number in any BSON type (not pushed down)', filter: { f: 5 }, expected: ['double', 'int', 'long'] },
  { name: '$ne (not pushed down)', filter: { f: { $ne: 'x' } }, expected: not(['arr', 'str']) },
];
