/**
 * Q1 for most learners of `npm run bench:scale`, copied from a few "story" learners who went through
 * the real services (scale-data.ts). Why: one learner's Q1 through the services is about 2,500
 * database commands (24 launches, ~50 SCORM commits and cmi5 sessions, ~100 statements and their
 * projection updates); on FerretDB 1.x, which scans for nearly every query, that is ~9 s per learner
 * on an empty database and grows with every collection, so 1,000 learners would take many hours.
 *
 * A story's documents (attempts, items with their CMI data, launches, progress records, state
 * documents) are copied with every id of its own replaced by a fresh one (ObjectIds, UUIDs such as
 * registrations, session and statement ids, token hashes), its name replaced, and every timestamp
 * moved to the copy's time; shared ids (modules, versions) stay. The statements go through the LRS's
 * own store use case (validation, normalisation, query fields, activity definitions: the rows POST
 * writes), one call per batch the story stored together, stored at the moved time, but without the
 * after-store hooks: their result, the progress projection, is what the copied player documents are.
 * Insight's projections (src/insight) are not copied: its hook gets each batch as stored, after the
 * player documents it reads (whose registration is whose) are in place.
 * Minted LRS credentials are not copied: in production they expire after 12 h and are deleted.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { BSON, ObjectId } from 'mongodb';
import type { Running } from '../../src/boot.ts';
import { createStatementRepository } from '../../src/lrs/statements/repository.ts';
import { createStoreStatements } from '../../src/lrs/statements/store-statements.ts';
import type { Agent, Credential, StoredStatement } from '../../src/lrs/types.ts';
import { DEFAULT_VERSION } from '../../src/lrs/version.ts';

/** The collections a learner's Q1 writes besides the statements, and how to find one learner's documents. */
const COPIED = ['player_attempts', 'player_items', 'player_launches', 'player_progress', 'lrs_documents'] as const;
type Copied = (typeof COPIED)[number];

export interface Story {
  learner: { id: string; name: string };
  /** The app it was made in: its base URL (in actors and activity ids) and its module and version ids. */
  baseUrl: string;
  modules: Array<{ id: string; versionId: string }>;
  /** EJSON of each collection's documents (document contents as text, see textContent). */
  docs: Record<Copied, string>;
  /** The statements as stored (raw JSON), in groups that were stored together, with their stored time. */
  batches: Array<{ stored: number; raws: string[] }>;
}

const ISO = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z/g;
const OBJECT_ID = /\b[0-9a-f]{24}\b/g;
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const HASH = /\b[0-9a-f]{64}\b/g;
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Reads a story learner's Q1 documents and statements after they went through the services. */
export async function captureStory(running: Running, learner: { id: string; name: string }, modules: Story['modules']): Promise<Story> {
  const db = running.connection.db!;
  const attempts = await db.collection('player_attempts').find({ learnerId: learner.id }).toArray();
  const attemptIds = attempts.map((a) => a._id.toString());
  const registrations = attempts.map((a) => String(a.registration));
  const found: Record<Copied, unknown[]> = {
    player_attempts: attempts,
    player_items: await db
      .collection('player_items')
      .find({ attemptId: { $in: attemptIds } })
      .toArray(),
    player_launches: await db.collection('player_launches').find({ learnerId: learner.id }).toArray(),
    player_progress: await db.collection('player_progress').find({ learnerId: learner.id }).toArray(),
    // state documents' contents are JSON text: as text, so the ids inside them are replaced too
    lrs_documents: (
      await db
        .collection('lrs_documents')
        .find({ registration: { $in: registrations } })
        .toArray()
    ).map((d) => ({ ...d, content: { text: Buffer.from(d.content.buffer).toString('utf8') } })),
  };
  const docs = Object.fromEntries(COPIED.map((c) => [c, BSON.EJSON.stringify(found[c], { relaxed: true })])) as Record<Copied, string>;
  const rows = await db
    .collection('lrs_statements')
    .find({ registration: { $in: registrations } }, { projection: { raw: 1, stored: 1 } })
    .sort({ stored: 1, _id: 1 })
    .toArray();
  const batches = new Map<number, string[]>();
  for (const r of rows) {
    const at = (r.stored as Date).getTime();
    batches.set(at, [...(batches.get(at) ?? []), r.raw as string]);
  }
  return { learner, baseUrl: running.ctx.publicUrl(), modules, docs, batches: [...batches].map(([stored, raws]) => ({ stored, raws })) };
}

/**
 * Replaces a story's own ids, name and times in text (EJSON or statement JSON); module and version
 * ids become those of the target app (`shared`: story's id → target's), and so does the base URL.
 */
function remapper(story: Story, target: { id: string; name: string }, offsetMs: number, shared: Map<string, string>, baseUrl: string) {
  const ids = new Map<string, string>([[story.learner.id, target.id], ...shared]);
  const fresh = (old: string, make: () => string) => {
    let next = ids.get(old.toLowerCase());
    if (!next) ids.set(old.toLowerCase(), (next = make()));
    return next;
  };
  const name = new RegExp(`(\\\\?")${escapeRegExp(story.learner.name)}(\\\\?")`, 'g');
  const url = new RegExp(escapeRegExp(story.baseUrl), 'g');
  return (text: string) =>
    text
      .replace(url, baseUrl)
      .replace(ISO, (iso) => new Date(new Date(iso).getTime() + offsetMs).toISOString())
      .replace(HASH, (h) => fresh(h, () => randomBytes(32).toString('hex')))
      .replace(OBJECT_ID, (id) => fresh(id, () => new ObjectId().toHexString()))
      .replace(UUID, (u) => fresh(u, () => randomUUID()))
      .replace(name, (_m, a: string, b: string) => `${a}${target.name}${b}`);
}

/**
 * Writes one copy of a story for `target`, moved by `offsetMs`: the player's and the LRS's documents
 * by insertMany, the statements through the LRS's store use case (see the file comment). A story may
 * come from another app with the same modules in the same order (`modules`: this app's).
 */
export function createCloner(running: Running, modules: Story['modules']) {
  const db = running.connection.db!;
  let storedAt = Date.now();
  const store = createStoreStatements({
    repo: createStatementRepository(running.connection),
    clock: { now: () => new Date(storedAt) },
    logger: running.ctx.logger,
    guards: [],
    hooks: [],
  });
  return async function cloneStory(story: Story, target: { id: string; name: string }, offsetMs: number): Promise<number> {
    const shared = new Map(
      story.modules.flatMap(
        (m, i) =>
          [
            [m.id, modules[i]!.id],
            [m.versionId, modules[i]!.versionId],
          ] as Array<[string, string]>,
      ),
    );
    const remap = remapper(story, target, offsetMs, shared, running.ctx.publicUrl());
    for (const collection of COPIED) {
      const docs = BSON.EJSON.parse(remap(story.docs[collection]), { relaxed: true }) as Array<Record<string, unknown>>;
      if (collection === 'lrs_documents') for (const d of docs) d.content = Buffer.from((d.content as { text: string }).text, 'utf8');
      if (docs.length) await db.collection(collection).insertMany(docs);
    }
    let stored = 0;
    for (const batch of story.batches) {
      const statements = batch.raws.map((raw) => {
        const { stored: _s, authority, version: _v, ...statement } = JSON.parse(remap(raw)) as Record<string, unknown> & { authority: Agent };
        return { statement, authority };
      });
      const credential: Credential = { key: 'system', name: 'GeZu Lotse Academy', scopes: ['all'], authority: statements[0]!.authority };
      storedAt = batch.stored + offsetMs;
      await store(
        statements.map((s) => s.statement),
        credential,
        { version: DEFAULT_VERSION, batch: statements.length !== 1 },
      );
      await running.app.insight.projection.onStatementsStored(batch.raws.map((raw) => JSON.parse(remap(raw)) as StoredStatement));
      stored += statements.length;
    }
    return stored;
  };
}
