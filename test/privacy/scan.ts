import { mongo, type Connection } from 'mongoose';

/** Every collection of the database, each with the documents whose text contains one of `needles` (any case). */
export async function scanDatabase(connection: Connection, needles: string[]): Promise<Map<string, string[]>> {
  const lower = needles.map((n) => n.toLowerCase());
  const hits = new Map<string, string[]>();
  for (const { name } of await connection.db!.listCollections().toArray()) {
    for await (const doc of connection.db!.collection(name).find({})) {
      // binary fields (documents, GridFS chunks) are read as text, so a name inside them is found too
      const text = JSON.stringify(doc, function (this: Record<string, unknown>, key, value: unknown) {
        const raw = key === '' ? value : this[key];
        return raw instanceof mongo.Binary ? Buffer.from(raw.buffer).toString('utf8') : value;
      }).toLowerCase();
      const found = lower.filter((n) => text.includes(n));
      if (found.length) hits.set(name, [...(hits.get(name) ?? []), `${String(doc._id)}: ${found.join(', ')}`]);
    }
  }
  return hits;
}

export const collectionNames = async (connection: Connection) => (await connection.db!.listCollections().toArray()).map((c) => c.name);

export { unzip } from '../support/unzip.ts';

export async function streamToBuffer(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}
