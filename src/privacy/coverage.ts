import type { Connection } from 'mongoose';
import type { PrivacyRegistry } from './registry.ts';

/**
 * The collections on the connection that no entry of the register declares: the models every
 * component has defined, and whatever the database holds (GridFS buckets, sessions). A collection
 * named here may hold personal data nobody can export or erase; the coverage test fails on it and
 * the start-up warns.
 */
export async function undeclaredCollections(connection: Connection, registry: PrivacyRegistry): Promise<string[]> {
  const declared = registry.declaredCollections();
  const models = Object.values(connection.models).map((m) => m.collection.collectionName);
  const stored = (await connection.db!.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => !n.startsWith('system.'));
  return [...new Set([...models, ...stored])].filter((n) => !declared.has(n)).sort();
}
