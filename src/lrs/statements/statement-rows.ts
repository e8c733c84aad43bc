import type { StatementDoc } from '../model.ts';
import type { QueryFields, RefFields } from './query-fields.ts';
import { hourOf, REFERENCED_KEY, type MatchFields } from './statement-keys.ts';

/** The rows the statement repository reads and writes, and the helpers its reads and writes share. */

export interface NewStatementRow extends QueryFields, RefFields {
  statementId: string;
  raw: string;
  stored: Date;
  authorityKey: string;
  attachmentHashes: string[];
}

export interface StoredRow {
  statementId: string;
  raw: string;
  stored: Date;
  voided: boolean;
  voidTarget: string | null;
  attachmentHashes: string[];
  authorityKey: string;
  registration: string | null;
  agents: string[];
}

/** A statement that targets another with a StatementRef. */
export interface RefRow {
  source: string;
  target: string;
  voiding: boolean;
}

export type RowDoc = Pick<StatementDoc, '_id' | 'raw' | 'stored' | 'voided' | 'voidTarget' | 'attachmentHashes' | 'authorityKey' | 'registration' | 'agents'>;
export const ROW = { raw: 1, stored: 1, voided: 1, voidTarget: 1, attachmentHashes: 1, authorityKey: 1, registration: 1, agents: 1 };
export const toRow = ({ _id, raw, stored, voided, voidTarget, attachmentHashes, authorityKey, registration, agents }: RowDoc): StoredRow => ({
  statementId: _id,
  raw,
  stored,
  voided,
  voidTarget,
  attachmentHashes,
  authorityKey,
  registration,
  agents,
});
/** What matchesFilter reads, besides the row. */
export const MATCH = {
  ...ROW,
  hour: 1,
  relatedAgents: 1,
  verbId: 1,
  activities: 1,
  relatedActivities: 1,
  refAgents: 1,
  refRelatedAgents: 1,
  refVerbId: 1,
  refActivities: 1,
  refRelatedActivities: 1,
  refRegistration: 1,
};
export type MatchDoc = RowDoc & MatchFields & { hour?: string };
/** The most values one `$in` carries (patch 03 pushes down up to 1000). */
export const CHUNK = 1000;
export const chunks = <T>(xs: T[], n = CHUNK): T[][] => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, (i + 1) * n));
export const toDoc = ({ statementId, ...rest }: NewStatementRow) => ({ _id: statementId, ...rest, hour: hourOf(rest.stored.getTime()), voided: false });

type WriteErrors = Array<{ code?: number; err?: { code?: number }; index?: number }>;

/** A retried insert of the same rows is fine: duplicate keys are ignored, anything else is thrown. */
export function ignoreDuplicates(err: unknown): void {
  duplicateIndexes(err);
}

/** The indexes of the documents an unordered insert found already there; anything else is thrown. */
export function duplicateIndexes(err: unknown): number[] {
  const e = err as { code?: number; writeErrors?: WriteErrors };
  const writeErrors = e.writeErrors ?? (e.code === 11000 ? [{ code: 11000, index: 0 }] : undefined);
  if (!writeErrors || writeErrors.some((w) => (w.code ?? w.err?.code) !== 11000)) throw err;
  return writeErrors.map((w) => w.index ?? -1);
}

export const referencedId = (statementId: string) => `${statementId}|${REFERENCED_KEY}`;
