import { createHash, randomUUID } from 'node:crypto';
import type { Logger } from '../../shared/logger.ts';
import type { Clock } from '../../shared/clock.ts';
import { DomainError, conflict, validationError, type FieldProblem } from '../../shared/errors.ts';
import type { Credential, Statement, StoredStatement } from '../types.ts';
import { validateStatement } from '../validation/validate-statement.ts';
import type { XapiVersion } from '../version.ts';
import { sameStatement } from './compare.ts';
import { checkCredentialLimit } from './credential-limit.ts';
import { normalizeStatement } from './normalize.ts';
import { NO_REF, queryFields, refFieldsOf, type RefFields } from './query-fields.ts';
import { createActivityDefinitions } from './activity-definitions.ts';
import type { NewStatementRow, RefRow, StatementRepository } from './repository.ts';
import { SIGNATURE_USAGE, verifySignature } from './signature.ts';

/** One part of a multipart/mixed request after the statements (Communication §1.5.2). */
export interface AttachmentPart {
  contentType: string;
  /** X-Experience-API-Hash of the part. */
  sha2: string;
  content: Buffer;
}

/**
 * Runs before a statement is stored; `sent` is the statement as the client sent it, before the LRS
 * filled in id and timestamp (cmi5 9.1.0.0-1 and 9.7.0.0-1 refuse AU statements without them).
 */
export type StatementGuard = (statement: StoredStatement, ctx: { credential: Credential; sent: Readonly<Record<string, unknown>> }) => Promise<void> | void;
export type StoredHook = (statements: StoredStatement[]) => Promise<void>;

export interface StoreDeps {
  repo: StatementRepository;
  clock: Clock;
  logger: Logger;
  guards: StatementGuard[];
  hooks: StoredHook[];
}

/** How many hook calls a request's statements are shared among, running at once (runHooks). */
const HOOK_PARALLEL = 8;

const HASHES: Record<number, string> = { 56: 'sha224', 64: 'sha256', 96: 'sha384', 128: 'sha512' };

/** The hash of a part's content in the algorithm its hex length names. */
function hashOf(content: Buffer, hex: string): string | undefined {
  const alg = HASHES[hex.length];
  return alg ? createHash(alg).update(content).digest('hex') : undefined;
}

function refuse(problems: FieldProblem[]): DomainError {
  return validationError(`Die Anweisung ist ungültig: ${problems.slice(0, 3).map((p) => p.message).join('; ')}`, problems);
}

/**
 * Stores statements as POST and PUT do (Communication §2.1.1–2): validate all, check the credential's
 * limits, attachments and signatures, run the guards, then insert; same id + same content is accepted
 * without change, different content is a conflict. Returns the ids in the order given.
 */
export function createStoreStatements(deps: StoreDeps) {
  const { repo, clock, logger } = deps;
  const activityDefinitions = createActivityDefinitions({ repo, clock });

  return async function storeStatements(
    input: unknown[],
    credential: Credential,
    opts: { version: XapiVersion; parts?: AttachmentPart[]; batch?: boolean },
  ): Promise<string[]> {
    const batch = opts.batch ?? input.length !== 1;
    const problems = input.flatMap((s, i) => validateStatement(s, opts.version, batch ? `[${i}]` : ''));
    if (problems.length) throw refuse(problems);
    const statements = input as Array<Statement & Record<string, unknown>>;

    const ids = new Set<string>();
    statements.forEach((s, i) => {
      if (!s.id) return;
      if (ids.has(s.id.toLowerCase())) throw refuse([{ field: `[${i}].id`, message: `[${i}].id: die id kommt in dieser Anfrage mehrfach vor` }]);
      ids.add(s.id.toLowerCase());
    });

    if (credential.limit) await checkCredentialLimit(statements, credential.limit, repo);

    await checkAttachments(statements, opts.parts ?? []);

    const now = clock.now();
    const stored = now.toISOString();
    const full = statements.map((s) => {
      const out: Record<string, unknown> = { ...normalizeStatement(s), id: s.id ?? randomUUID() };
      out.timestamp = s.timestamp ?? stored;
      out.stored = stored;
      out.authority = credential.authority;
      out.version = s.version ?? opts.version.defaultStatementVersion;
      return out as StoredStatement & Record<string, unknown>;
    });

    for (const [i, s] of full.entries()) for (const guard of deps.guards) await guard(s, { credential, sent: statements[i]! });

    for (const part of opts.parts ?? []) await repo.putAttachment(part.sha2, part.contentType, part.content);

    const unique = full.filter((s, i) => full.findIndex((o) => o.id === s.id) === i);
    const fields = unique.map((s) => queryFields(s));
    const inBatch = new Map(unique.map((s, i) => [s.id, refFieldsOf(fields[i]!)]));
    const targets = await repo.refFieldsFor(fields.map((f) => f.refTarget).filter((t): t is string => Boolean(t) && !inBatch.has(t!)));
    const rows: NewStatementRow[] = unique.map((s, i) => {
      const f = fields[i]!;
      return {
        statementId: s.id,
        raw: JSON.stringify(s),
        stored: now,
        authorityKey: credential.key,
        attachmentHashes: (s.attachments ?? []).filter((a) => !a.fileUrl || (opts.parts ?? []).some((p) => p.sha2 === a.sha2)).map((a) => a.sha2),
        ...f,
        ...((f.refTarget && (inBatch.get(f.refTarget) ?? targets.get(f.refTarget))) || NO_REF),
      };
    });
    // insert first and let the unique _id find ids seen before: no read of the statements collection
    // on the usual path. Same id + same content is accepted unchanged; different content refuses the
    // whole batch, so what this request inserted is taken out again (no transactions, database.md).
    // Statements stored earlier that target these ids are looked up while the insert runs (one round
    // trip less). Whether such a referencing statement is seen depends on timing either way: it looks
    // for its target before it is stored itself, and this look-up may run before it is stored.
    const referencing = repo.findReferencing(rows.map((r) => r.statementId));
    referencing.catch(() => {});
    // the Activities resource's definitions are read meanwhile too, and written once the statements are in
    const knownDefinitions = activityDefinitions.read(unique);
    knownDefinitions.catch(() => {});
    const seenBefore = await repo.insert(rows);
    const inserted = unique.filter((s) => !seenBefore.includes(s.id));
    if (seenBefore.length) {
      for (const old of await repo.findByIds(seenBefore)) {
        const sent = statements[full.findIndex((s) => s.id === old.statementId)]!;
        if (!sameStatement(JSON.parse(old.raw) as Record<string, unknown>, sent)) {
          await repo.removeInserted(rows.filter((r) => !seenBefore.includes(r.statementId)));
          throw conflict('lrs:errors.idConflict', { statementId: old.statementId });
        }
      }
      // a retry of a request that stopped between the statement and its key rows completes them
      await repo.ensureKeys(seenBefore);
    }
    if (!inserted.length) return full.map((s) => s.id);
    const insertedRows = rows.filter((r) => !seenBefore.includes(r.statementId));

    // the definitions go their own way (nothing below reads them); voiding and references first,
    // so that hooks see the statements as queries will
    const definitions = knownDefinitions.then((known) => activityDefinitions.write(inserted, known));
    definitions.catch(() => {});
    const insertedIds = new Set(insertedRows.map((r) => r.statementId));
    await Promise.all([
      repo.markVoided(insertedRows.filter((r) => r.voidTarget).map((r) => r.voidTarget!)),
      linkEarlierReferences((await referencing).filter((ref) => insertedIds.has(ref.target)), inBatch),
    ]);
    await runHooks(inserted);
    await definitions;
    return full.map((s) => s.id);
  };

  /**
   * Statements stored earlier may target these ones: they learn their fields, and a voiding
   * statement that arrived before its target voids it now.
   */
  async function linkEarlierReferences(earlier: RefRow[], fields: Map<string, RefFields>): Promise<void> {
    if (!earlier.length) return;
    for (const ref of earlier) await repo.passOnRefFields([ref.source], fields.get(ref.target)!);
    await repo.markVoided(earlier.filter((r) => r.voiding).map((r) => r.target));
  }

  /**
   * The stored-statements hooks. A request's registrations are split into up to HOOK_PARALLEL shares,
   * each share one call with all statements of its registrations (those without one go with the
   * first), in stored order; the shares run side by side. Projections are kept per registration, and
   * hooks already face concurrent calls (parallel requests, several instances): a batch for a whole
   * cohort no longer waits for each registration's look-ups one after the other, and a hook that looks
   * up a call's registrations at once does HOOK_PARALLEL look-ups per request, not one per statement.
   */
  async function runHooks(inserted: StoredStatement[]): Promise<void> {
    if (!inserted.length || !deps.hooks.length) return;
    const registrationOf = (s: StoredStatement) => s.context?.registration?.toLowerCase() ?? '';
    const registrations = [...new Set(inserted.map(registrationOf))];
    const shares = Math.min(HOOK_PARALLEL, registrations.length);
    const shareOf = new Map(registrations.map((r, i) => [r, Math.floor((i * shares) / registrations.length)]));
    const calls: StoredStatement[][] = Array.from({ length: shares }, () => []);
    for (const s of inserted) calls[shareOf.get(registrationOf(s))!]!.push(s);
    await Promise.all(
      calls.map(async (statements) => {
        for (const hook of deps.hooks) await hook(statements).catch((err: unknown) => logger.error({ err }, 'LRS: a stored-statements hook failed'));
      }),
    );
  }

  /** Each attachment without fileUrl has a part with its hash, and each part belongs to an attachment (Communication §1.5.2). */
  async function checkAttachments(statements: Array<Statement & Record<string, unknown>>, parts: AttachmentPart[]): Promise<void> {
    const problems: FieldProblem[] = [];
    const bad = (field: string, message: string) => problems.push({ field, message: `${field}: ${message}` });
    const declared = new Set<string>();
    for (const part of parts) {
      const actual = hashOf(part.content, part.sha2);
      if (actual !== part.sha2.toLowerCase()) bad('X-Experience-API-Hash', `der Inhalt passt nicht zum Hash ${part.sha2}`);
    }
    for (const [i, s] of statements.entries()) {
      const prefix = statements.length > 1 ? `[${i}].` : '';
      for (const [j, a] of (s.attachments ?? []).entries()) {
        declared.add(a.sha2.toLowerCase());
        const part = parts.find((p) => p.sha2.toLowerCase() === a.sha2.toLowerCase());
        const field = `${prefix}attachments[${j}]`;
        if (!part && !a.fileUrl) bad(field, 'der Inhalt fehlt: weder ein Teil mit diesem sha2 noch eine fileUrl');
        if (a.usageType === SIGNATURE_USAGE) {
          if (a.contentType !== 'application/octet-stream') bad(`${field}.contentType`, 'eine Signatur hat den Typ application/octet-stream');
          else if (part) await verifySignature(s, part.content.toString('utf8'), field);
          else bad(field, 'die Signatur muss als Teil der Anfrage gesendet werden');
        }
      }
    }
    for (const part of parts) if (!declared.has(part.sha2.toLowerCase())) bad('X-Experience-API-Hash', `kein Attachment der Anweisungen hat den Hash ${part.sha2}`);
    if (problems.length) throw refuse(problems);
  }
}
export type StoreStatements = ReturnType<typeof createStoreStatements>;
