import { mongo, type Connection } from 'mongoose';
import { lrsModels, type DocumentDoc, type StatementDoc } from './model.ts';
import { ifiKey } from './statements/identity.ts';
import { queryFields } from './statements/query-fields.ts';
import { hourOf, statementKeys } from './statements/statement-keys.ts';
import type { Statement } from './types.ts';

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const ATTACHMENTS = 'lrs_attachments';

/**
 * Which xAPI identifier keys (statements/identity.ts ifiKey) are the person's: the platform account
 * under any homePage (it follows PUBLIC_URL, which may have changed since a statement was stored)
 * and the mailbox. `source` is the same as a regular expression, unanchored, for the database.
 */
export interface PersonKeys {
  source: string;
  test(key: string): boolean;
}
export function personKeys(p: { id: string; email: string; agentKeys: string[] }): PersonKeys {
  const source = `(?:account:[^|]*\\|${escapeRegex(p.id)}|mbox:mailto:${escapeRegex(p.email.toLowerCase())}${p.agentKeys.map((k) => `|${escapeRegex(k)}`).join('')})`;
  const whole = new RegExp(`^${source}$`);
  return { source, test: (key) => whole.test(key) };
}

export type PersonStatement = Pick<StatementDoc, '_id' | 'raw' | 'stored' | 'agents' | 'refAgents' | 'refRelatedAgents' | 'attachmentHashes'>;

/**
 * Replaces every agent of the statement whose identifier is one of `keys` by `anonymous`, in place,
 * wherever xAPI allows an agent (actor, object, context instructor/team/agents/groups, a Group's
 * members, a SubStatement, authority). Returns whether anything changed.
 */
function replaceAgents(node: unknown, keys: PersonKeys, anonymous: object): boolean {
  if (!node || typeof node !== 'object') return false;
  let changed = false;
  if (Array.isArray(node)) {
    node.forEach((item, i) => {
      const k = ifiKey(item as Parameters<typeof ifiKey>[0]);
      if (k && keys.test(k)) {
        node[i] = { ...anonymous };
        changed = true;
      } else changed = replaceAgents(item, keys, anonymous) || changed;
    });
    return changed;
  }
  const obj = node as Record<string, unknown>;
  for (const [field, value] of Object.entries(obj)) {
    if (field === 'extensions' || field === 'definition' || field === 'result') continue; // free-form JSON, not agents
    const k = value && typeof value === 'object' && !Array.isArray(value) ? ifiKey(value as Parameters<typeof ifiKey>[0]) : undefined;
    if (k && keys.test(k)) {
      obj[field] = { ...anonymous, ...((value as { objectType?: string }).objectType === 'Group' ? { objectType: 'Group' } : {}) };
      changed = true;
    } else changed = replaceAgents(value, keys, anonymous) || changed;
  }
  return changed;
}

/**
 * What the LRS's privacy entry (privacy.ts) reads and changes. A person's statements are found
 * through the key rows: `k` is "agent:<key>@<hour>" or "related-agent:<key>@<hour>"; MongoDB answers
 * the regular expression from the {k} index alone (keys only, no documents fetched), which is fine
 * for an erasure or an export, both rare. The rows of one statement go by the `_id` prefix "<sid>|".
 */
export function createLrsPrivacyRepository(connection: Connection) {
  const { Statement, StatementKey, StatementRef, Document, Client } = lrsModels(connection);
  const bucket = () => new mongo.GridFSBucket(connection.db!, { bucketName: ATTACHMENTS });
  const keyPattern = (keys: PersonKeys) => `^(?:agent|related-agent):${keys.source}@`;
  const whole = (keys: PersonKeys) => ({ $regex: `^${keys.source}$` });

  return {
    /** The ids of every statement naming one of the keys (own, related, or through a StatementRef). */
    async statementIds(keys: PersonKeys): Promise<string[]> {
      const rows = await StatementKey.find({ k: { $regex: keyPattern(keys) } }, { sid: 1 }).lean<Array<{ sid: string }>>();
      return [...new Set(rows.map((r) => r.sid))];
    },
    async statements(ids: string[]): Promise<PersonStatement[]> {
      if (!ids.length) return [];
      return Statement.find({ _id: { $in: ids } }, { raw: 1, stored: 1, agents: 1, refAgents: 1, refRelatedAgents: 1, attachmentHashes: 1 })
        .sort({ stored: 1 })
        .lean<PersonStatement[]>();
    },
    /** Deletes statements with their key rows, reference row and attachments nobody else uses. Safe to repeat. */
    async deleteStatements(ids: string[], attachmentHashes: string[]): Promise<void> {
      for (const id of ids) {
        // the statement first, its key rows after: a re-run after a crash still finds the rows
        await Statement.deleteOne({ _id: id });
        await StatementRef.deleteOne({ _id: id });
        await StatementKey.deleteMany({ _id: { $regex: `^${escapeRegex(id)}\\|` } });
      }
      for (const hash of new Set(attachmentHashes)) {
        // content-addressed and shared: only when no remaining statement names it (rare, so a scan is fine)
        if (await Statement.exists({ attachmentHashes: hash })) continue;
        for (const f of await bucket().find({ filename: hash }).toArray())
          await bucket()
            .delete(f._id)
            .catch(() => {});
      }
    },
    /**
     * Keeps a statement that is someone else's record (the person was instructor, or a StatementRef
     * target's actor) and puts `anonymous` where the person stood: the JSON, its query fields and
     * its key rows are written anew.
     */
    async anonymiseStatement(
      s: PersonStatement,
      keys: PersonKeys,
      anonymous: { objectType: 'Agent'; name: string; account: { homePage: string; name: string } },
    ): Promise<void> {
      const statement = JSON.parse(s.raw) as Statement;
      replaceAgents(statement, keys, anonymous);
      const anonKey = ifiKey(anonymous)!;
      const swap = (xs: string[] | undefined) => [...new Set((xs ?? []).map((k) => (keys.test(k) ? anonKey : k)))];
      const full = await Statement.findById(s._id).lean<StatementDoc>();
      if (!full) return;
      const fields = { ...queryFields(statement), refAgents: swap(full.refAgents), refRelatedAgents: swap(full.refRelatedAgents) };
      await Statement.updateOne(
        { _id: s._id },
        {
          $set: {
            raw: JSON.stringify(statement),
            agents: fields.agents,
            relatedAgents: fields.relatedAgents,
            refAgents: fields.refAgents,
            refRelatedAgents: fields.refRelatedAgents,
          },
        },
      );
      await StatementKey.deleteMany({ _id: { $regex: `^${escapeRegex(s._id)}\\|` } });
      const hour = hourOf(full.stored.getTime());
      const rows = statementKeys({ ...full, ...fields }).map((key) => ({ _id: `${s._id}|${key}`, k: `${key}@${hour}`, s: full.stored, sid: s._id }));
      if (rows.length) await StatementKey.insertMany(rows, { ordered: false }).catch(() => {}); // a re-run finds them written
    },
    async documents(keys: PersonKeys): Promise<DocumentDoc[]> {
      return Document.find({ agentKey: whole(keys) }).lean<DocumentDoc[]>();
    },
    async deleteDocuments(keys: PersonKeys): Promise<void> {
      await Document.deleteMany({ agentKey: whole(keys) });
    },
    /** Launch credentials minted for the person (their limit names them). */
    async credentials(keys: PersonKeys) {
      return Client.find(
        { limitActorKey: whole(keys) },
        { _id: 0, key: 1, name: 1, scopes: 1, createdAt: 1, expiresAt: 1, revokedAt: 1, limitRegistration: 1 },
      ).lean();
    },
    async deleteCredentials(keys: PersonKeys): Promise<void> {
      await Client.deleteMany({ limitActorKey: whole(keys) });
    },
  };
}
export type LrsPrivacyRepository = ReturnType<typeof createLrsPrivacyRepository>;
