import { createHash } from 'node:crypto';
import type { FieldProblem } from '../../shared/errors.ts';
import type { Statement } from '../types.ts';
import { SIGNATURE_USAGE, verifySignature } from './signature.ts';

/** One part of a multipart/mixed request after the statements (Communication §1.5.2). */
export interface AttachmentPart {
  contentType: string;
  /** X-Experience-API-Hash of the part. */
  sha2: string;
  content: Buffer;
}

const HASHES: Record<number, string> = { 56: 'sha224', 64: 'sha256', 96: 'sha384', 128: 'sha512' };

/** The hash of a part's content in the algorithm its hex length names. */
function hashOf(content: Buffer, hex: string): string | undefined {
  const alg = HASHES[hex.length];
  return alg ? createHash(alg).update(content).digest('hex') : undefined;
}

/**
 * The problems of a request's attachments (Communication §1.5.2, Data §2.4.11): each attachment
 * without fileUrl has a part with its hash, each part's content matches its hash and belongs to an
 * attachment, and signatures (Data §2.6) are parts of type application/octet-stream that verify.
 * Messages are i18n keys (lrs.json); the field names the attachment. A signature that does not
 * verify is refused at once (verifySignature throws).
 */
export async function attachmentProblems(statements: Array<Statement & Record<string, unknown>>, parts: AttachmentPart[]): Promise<FieldProblem[]> {
  const problems: FieldProblem[] = [];
  const bad = (field: string, key: string) => problems.push({ field, message: `lrs:errors.attachment.${key}` });
  const declared = new Set<string>();
  for (const part of parts) if (hashOf(part.content, part.sha2) !== part.sha2.toLowerCase()) bad('X-Experience-API-Hash', 'hashMismatch');
  for (const [i, s] of statements.entries()) {
    const prefix = statements.length > 1 ? `[${i}].` : '';
    for (const [j, a] of (s.attachments ?? []).entries()) {
      declared.add(a.sha2.toLowerCase());
      const part = parts.find((p) => p.sha2.toLowerCase() === a.sha2.toLowerCase());
      const field = `${prefix}attachments[${j}]`;
      if (!part && !a.fileUrl) bad(field, 'contentMissing');
      if (a.usageType === SIGNATURE_USAGE) {
        if (a.contentType !== 'application/octet-stream') bad(`${field}.contentType`, 'signatureType');
        else if (part) await verifySignature(s, part.content.toString('utf8'), field);
        else bad(field, 'signatureNotPart');
      }
    }
  }
  for (const part of parts) if (!declared.has(part.sha2.toLowerCase())) bad('X-Experience-API-Hash', 'partUndeclared');
  return problems;
}

/** The sha2 of a statement's attachments whose content this request or an earlier one brought. */
export const storedHashes = (s: Statement, parts: AttachmentPart[]): string[] =>
  (s.attachments ?? []).filter((a) => !a.fileUrl || parts.some((p) => p.sha2 === a.sha2)).map((a) => a.sha2);
