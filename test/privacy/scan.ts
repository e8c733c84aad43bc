import { mongo, type Connection } from 'mongoose';
import yauzl from 'yauzl';

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

/** The entries of a zip: name → content. */
export function unzip(buf: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('no zip'));
      const out = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            out.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

export async function streamToBuffer(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}
