import type { Clock } from '../../shared/clock.ts';
import { notFound, validationError } from '../../shared/errors.ts';
import { isVisible, statementReadFilter } from '../access.ts';
import type { Credential, StatementQuery } from '../types.ts';
import { isPlainObject, timestampMillis } from '../validation/formats.ts';
import { formatStatement } from './format.ts';
import { ifiKey } from './identity.ts';
import type { PageCursor, StatementFilter, StatementRepository } from './repository.ts';

/** Largest page over HTTP; the app's own reads may ask for more (MAX_INTERNAL_PAGE). */
export const MAX_PAGE = 100;
export const MAX_INTERNAL_PAGE = 1000;

export interface StatementPage {
  statements: Record<string, unknown>[];
  /** Opaque token for the next page; '' when this was the last. */
  more: string;
  /** sha2 of attachments the statements carry (for attachments=true). */
  attachmentHashes: string[];
  lastModified: Date | undefined;
}

interface MoreToken {
  q: StatementQuery;
  c: PageCursor;
}

const encodeMore = (t: MoreToken) => Buffer.from(JSON.stringify(t)).toString('base64url');
function decodeMore(token: string): MoreToken {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as MoreToken;
    if (typeof t.c?.stored === 'number' && typeof t.c.id === 'string' && typeof t.q === 'object') return t;
  } catch {
    /* falls through */
  }
  throw validationError('lrs:errors.badMore', [{ field: 'more', message: 'lrs:errors.badMore' }]);
}

/** GET /statements (Communication §2.1.3): single statements, and pages of queries with `more` tokens. */
export function createReadStatements(deps: { repo: StatementRepository; clock: Clock }) {
  const { repo } = deps;
  return {
    /**
     * The contents of the attachments `page` or `one` named (attachments=true, Communication
     * §2.1.3), with the content type the statements declare for each; those not stored are left out.
     */
    async attachments(hashes: string[], statements: Record<string, unknown>[]): Promise<Array<{ sha2: string; contentType: string; content: Buffer }>> {
      const types = new Map<string, string>();
      for (const s of statements) {
        const lists = [s.attachments, isPlainObject(s.object) ? s.object.attachments : undefined];
        for (const list of lists)
          if (Array.isArray(list)) for (const a of list as Array<{ sha2: string; contentType: string }>) types.set(a.sha2.toLowerCase(), a.contentType);
      }
      const out = [];
      for (const sha2 of hashes) {
        const content = await repo.getAttachment(sha2);
        if (content) out.push({ sha2, contentType: types.get(sha2) ?? 'application/octet-stream', content });
      }
      return out;
    },

    /** A statement by id; voided ones only by voidedStatementId (Data §2.3.2). */
    async one(id: string, voided: boolean, credential: Credential, format: StatementQuery['format'], languages: string[]) {
      statementReadFilter(credential);
      const row = await repo.findOne(id);
      if (!row || row.voided !== voided || !isVisible(row, credential)) {
        throw notFound(voided ? 'lrs:errors.noVoidedStatement' : 'lrs:errors.noStatement');
      }
      return {
        statement: formatStatement(JSON.parse(row.raw) as Record<string, unknown>, format ?? 'exact', languages),
        attachmentHashes: row.attachmentHashes,
        lastModified: row.stored,
      };
    },

    /** One page of a query; `more` continues after the last statement so new arrivals never shift pages. */
    async page(query: StatementQuery | { more: string }, credential: Credential, languages: string[], maxPage = MAX_PAGE): Promise<StatementPage> {
      const visibleToCredential = statementReadFilter(credential);
      let q: StatementQuery;
      let after: PageCursor | undefined;
      if ('more' in query) {
        const t = decodeMore(query.more);
        q = t.q;
        after = t.c;
      } else q = query;
      const agentKey = q.agent ? ifiKey(q.agent) : undefined;
      if (q.agent && !agentKey) throw validationError('lrs:errors.badAgent', [{ field: 'agent', message: 'lrs:errors.badAgent' }]);
      const filter: StatementFilter = {
        agentKey,
        relatedAgents: q.relatedAgents,
        verb: q.verb,
        activity: q.activity,
        relatedActivities: q.relatedActivities,
        registration: q.registration,
        since: q.since ? new Date(timestampMillis(q.since)) : undefined,
        until: q.until ? new Date(timestampMillis(q.until)) : undefined,
        ...visibleToCredential,
      };
      const limit = !q.limit || q.limit > maxPage ? maxPage : q.limit;
      const rows = await repo.page(filter, { ascending: Boolean(q.ascending), limit, after });
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      const more = rows.length > limit && last ? encodeMore({ q, c: { stored: last.stored.getTime(), id: last.statementId } }) : '';
      const lastModified = page.reduce<Date | undefined>((m, r) => (!m || r.stored > m ? r.stored : m), undefined);
      return {
        statements: page.map((r) => formatStatement(JSON.parse(r.raw) as Record<string, unknown>, q.format ?? 'exact', languages)),
        more,
        attachmentHashes: [...new Set(page.flatMap((r) => r.attachmentHashes))],
        lastModified,
      };
    },
  };
}
export type ReadStatements = ReturnType<typeof createReadStatements>;
