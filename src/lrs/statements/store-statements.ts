import { randomUUID } from 'node:crypto';
import type { Clock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';
import { DomainError, conflict, validationError, type FieldProblem } from '../../shared/errors.ts';
import { checkStatementLimit, requireAccess } from '../access.ts';
import type { Credential, Statement, StoredStatement } from '../types.ts';
import { isPlainObject } from '../validation/formats.ts';
import { VOIDED_VERB, validateStatement } from '../validation/validate-statement.ts';
import type { XapiVersion } from '../version.ts';
import { createActivityDefinitions, type ActivityDefinitions } from './activity-definitions.ts';
import { attachmentProblems, storedHashes, type AttachmentPart } from './attachments.ts';
import { sameStatement } from './compare.ts';
import { normalizeStatement } from './normalize.ts';
import { NO_REF, queryFields, refFieldsOf, type RefFields } from './query-fields.ts';
import type { NewStatementRow, RefRow, StatementRepository } from './repository.ts';
import { prepareStoredHooks, runStoredHooks, type NamedHook } from './stored-hooks.ts';

export type { AttachmentPart } from './attachments.ts';
export type { NamedHook, StoredHook } from './stored-hooks.ts';

/**
 * Runs before a statement is stored; `sent` is the statement as the client sent it, before the LRS
 * filled in id and timestamp (cmi5 9.1.0.0-1 and 9.7.0.0-1 refuse AU statements without them).
 */
export type StatementGuard = (statement: StoredStatement, ctx: { credential: Credential; sent: Readonly<Record<string, unknown>> }) => Promise<void> | void;

export interface StoreDeps {
  repo: StatementRepository;
  clock: Clock;
  logger: Logger;
  guards: StatementGuard[];
  hooks: NamedHook[];
  /** The Activities resource's definitions; one instance per process keeps one cache (component.ts). */
  definitions?: ActivityDefinitions;
}

export interface StoreOptions {
  version: XapiVersion;
  parts?: AttachmentPart[];
  batch?: boolean;
  /** PUT ?statementId= (Communication §2.1.1): the statement takes this id; one it carries must agree. */
  statementId?: string;
}

type Sent = Statement & Record<string, unknown>;
type Full = StoredStatement & Record<string, unknown>;

/**
 * A refusal of statements that break the rules; the summary names the fields of the first problems
 * (each problem's rule is an i18n key in `fields`, translated by the error mapper).
 */
function refuse(problems: FieldProblem[]): DomainError {
  const summary = [...new Set(problems.slice(0, 3).map((p) => p.field))].join(', ');
  return new DomainError('validation', 'lrs:errors.invalidStatement', { fields: problems, summary });
}

/** Statement ids are UUIDs, the same in any case (Data §2.4.1): they are kept and compared lower-cased. */
const lowerId = (s: unknown): unknown => (isPlainObject(s) && typeof s.id === 'string' ? { ...s, id: s.id.toLowerCase() } : s);

/** Step 1, validate: every statement by the dialect's rules (Data §2.4), each id once per request. */
function validate(input: unknown[], opts: StoreOptions): Sent[] {
  if (opts.statementId !== undefined) {
    const body = input[0] as Record<string, unknown>;
    if (body.id !== undefined && String(body.id).toLowerCase() !== opts.statementId) {
      throw validationError('lrs:errors.idMismatch', [{ field: 'id', message: 'lrs:errors.idMismatch' }]);
    }
    input = [{ ...body, id: opts.statementId }];
  }
  const batch = opts.batch ?? input.length !== 1;
  const problems = input.flatMap((s, i) => validateStatement(s, opts.version, batch ? `[${i}]` : ''));
  if (problems.length) throw refuse(problems);
  const statements = input.map(lowerId) as Sent[];
  const ids = new Set<string>();
  for (const [i, s] of statements.entries()) {
    if (!s.id) continue;
    if (ids.has(s.id)) throw refuse([{ field: `[${i}].id`, message: 'lrs:errors.repeatedId' }]);
    ids.add(s.id);
  }
  return statements;
}

/** The ids the voiding statements among these void (Data §2.3.2). */
const voidTargetsOf = (statements: Sent[]): string[] =>
  statements.filter((s) => s.verb.id === VOIDED_VERB).map((s) => (s.object as { id: string }).id.toLowerCase());

/** Step 2, normalise: what the LRS adds (id, timestamp, stored, authority, version; Data §2.4.7–9). */
function normalise(statements: Sent[], credential: Credential, version: XapiVersion, now: Date): Full[] {
  const stored = now.toISOString();
  return statements.map((s) => ({
    ...normalizeStatement(s),
    id: s.id ?? randomUUID(),
    timestamp: s.timestamp ?? stored,
    stored,
    authority: credential.authority,
    version: s.version ?? version.defaultStatementVersion,
  }));
}

/**
 * Stores statements as POST and PUT do (Communication §2.1.1–2), in named steps: access, validate,
 * the credential's limits, attachments and signatures, normalise, the guards, then insert and check
 * conflicts (same id + same content is accepted unchanged, different content refuses the request),
 * store the attachment contents, settle voiding and references, run the hooks. Returns the ids in
 * the order given.
 */
export function createStoreStatements(deps: StoreDeps) {
  const { repo, clock, logger } = deps;
  const definitions = deps.definitions ?? createActivityDefinitions({ repo, clock });

  /**
   * The rows to insert: a statement's query fields, and those of its StatementRef target
   * (Communication §2.1.3). `unresolved`: targets outside the request that are not stored yet.
   */
  async function rowsOf(unique: Full[], credential: Credential, parts: AttachmentPart[], now: Date) {
    const fields = unique.map((s) => queryFields(s));
    const inBatch = new Map(unique.map((s, i) => [s.id, refFieldsOf(fields[i]!)]));
    // read only for targets outside this request: none for statements without a StatementRef
    const outside = fields.map((f) => f.refTarget).filter((t): t is string => Boolean(t) && !inBatch.has(t!));
    const targets = await repo.refFieldsFor(outside);
    const rows: NewStatementRow[] = unique.map((s, i) => {
      const f = fields[i]!;
      const ref = (f.refTarget && (inBatch.get(f.refTarget) ?? targets.get(f.refTarget))) || NO_REF;
      return { statementId: s.id, raw: JSON.stringify(s), stored: now, authorityKey: credential.key, attachmentHashes: storedHashes(s, parts), ...f, ...ref };
    });
    return { rows, inBatch, unresolved: new Set(outside.filter((t) => !targets.has(t))) };
  }

  /**
   * Insert first and let the unique _id find ids seen before: no read of the statements collection on
   * the usual path. Same id + same content is accepted unchanged; different content refuses the whole
   * request, so what this request inserted is taken out again (no transactions, database.md).
   * Returns the rows inserted now and those of them that statements stored earlier target.
   */
  async function insertAndCheckConflicts(
    rows: NewStatementRow[],
    sentById: Map<string, Sent>,
    now: Date,
  ): Promise<{ inserted: NewStatementRow[]; referenced: string[] }> {
    const { seenBefore, referenced } = await repo.insert(rows);
    if (!seenBefore.length) return { inserted: rows, referenced };
    const seen = new Set(seenBefore);
    const inserted = rows.filter((r) => !seen.has(r.statementId));
    const old = await repo.findByIds(seenBefore);
    const clash = old.find((o) => !sameStatement(JSON.parse(o.raw) as Record<string, unknown>, sentById.get(o.statementId)!));
    await repo.settleSeenBefore(
      rows.filter((r) => seen.has(r.statementId)),
      now,
    );
    if (clash) {
      await repo.removeInserted(inserted);
      throw conflict('lrs:errors.idConflict', { statementId: clash.statementId });
    }
    return { inserted, referenced };
  }

  /**
   * Targets not stored yet are marked (statement-keys.ts, REFERENCED_KEY): when they come, they look
   * for the statements that target them. A target stored meanwhile (its marker row is its own
   * already) is linked now instead. A target that a concurrent request is storing at this moment may
   * be missed either way: the same window as before, when the target looked for its referencing
   * statements while they were being stored.
   */
  async function markUnresolved(inserted: NewStatementRow[], unresolved: Set<string>, now: Date): Promise<void> {
    const waiting = inserted.filter((r) => r.refTarget && unresolved.has(r.refTarget));
    if (!waiting.length) return;
    const meanwhile = await repo.markReferenced(
      waiting.map((r) => r.refTarget!),
      now,
    );
    if (!meanwhile.length) return;
    const found = await repo.refFieldsFor(meanwhile);
    await linkEarlierReferences(
      waiting.filter((r) => found.has(r.refTarget!)).map((r) => ({ source: r.statementId, target: r.refTarget!, voiding: Boolean(r.voidTarget) })),
      found,
    );
  }

  /**
   * Statements stored earlier may target these ones: they learn their fields, and a voiding
   * statement that arrived before its target voids it now.
   */
  async function linkEarlierReferences(earlier: RefRow[], fields: Map<string, RefFields>): Promise<void> {
    if (!earlier.length) return;
    for (const ref of earlier) await repo.passOnRefFields([ref.source], fields.get(ref.target)!);
    await repo.markVoided(earlier.filter((r) => r.voiding).map((r) => r.target));
  }

  return async function storeStatements(input: unknown[], credential: Credential, opts: StoreOptions): Promise<string[]> {
    const parts = opts.parts ?? [];
    requireAccess(credential, 'statements:write');
    // An empty set stores nothing and answers the ids of what it stored: none (xAPI 1.0.3 Communication
    // §2.1.2 POST Statements: "Stores a Statement, or a set of Statements", 200 with
    // "Array of Statement id(s) … in the same order"). cmi5 AUs (CATAPULT's among them) flush an empty
    // queue on exit; refusing it with 400 made their exit look like a failure. The ADL conformance suite
    // has no case for it (adlnet/lrs-conformance-test-suite#274, which reads the spec the same way).
    if (!input.length) return [];
    const statements = validate(input, opts);
    if (credential.limit) await checkStatementLimit(credential, statements, voidTargetsOf(statements), (ids) => repo.findByIds(ids));
    const attachments = await attachmentProblems(statements, parts);
    if (attachments.length) throw refuse(attachments);

    const now = clock.now();
    const full = normalise(statements, credential, opts.version, now);
    for (const [i, s] of full.entries()) for (const guard of deps.guards) await guard(s, { credential, sent: statements[i]! });

    const unique = full.filter((s, i) => full.findIndex((o) => o.id === s.id) === i);
    const { rows, inBatch, unresolved } = await rowsOf(unique, credential, parts, now);
    // the activities' definitions are looked up while the insert runs (it reads nothing they write)
    const knownDefinitions = definitions.read(unique);
    knownDefinitions.catch(() => {});
    // and what the hooks will read (the player's attempts of these registrations): no round trip after the write
    const prepared = prepareStoredHooks(deps.hooks, unique);
    const sentById = new Map(full.map((s, i) => [s.id, statements[i]!]));
    const { inserted: insertedRows, referenced } = await insertAndCheckConflicts(rows, sentById, now);

    // the contents only once the statements are accepted: a refused request leaves none behind
    for (const part of parts) await repo.putAttachment(part.sha2, part.contentType, part.content);
    if (!insertedRows.length) return full.map((s) => s.id);

    const insertedIds = new Set(insertedRows.map((r) => r.statementId));
    const inserted = unique.filter((s) => insertedIds.has(s.id));
    // the definitions go their own way (nothing below reads them); voiding and references first,
    // so that hooks see the statements as queries will. Statements stored earlier that target these
    // are looked for only where one marked its target (markUnresolved): rarely.
    const written = knownDefinitions.then((known) => definitions.write(inserted, known));
    written.catch(() => {});
    await Promise.all([
      repo.markVoided(insertedRows.filter((r) => r.voidTarget).map((r) => r.voidTarget!)),
      repo.findReferencing(referenced).then((earlier) => linkEarlierReferences(earlier, inBatch)),
      markUnresolved(insertedRows, unresolved, now),
    ]);
    await runStoredHooks(deps.hooks, inserted, { failures: repo.hookFailures, logger, clock }, prepared);
    await written;
    return full.map((s) => s.id);
  };
}
export type StoreStatements = ReturnType<typeof createStoreStatements>;
