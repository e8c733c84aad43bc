import { compactVerify, decodeProtectedHeader, importX509 } from 'jose';
import { validationError } from '../../shared/errors.ts';
import { isPlainObject } from '../validation/formats.ts';
import { forComparison, jsonEqual } from './compare.ts';

export const SIGNATURE_USAGE = 'http://adlnet.gov/expapi/attachments/signature';
const ALGORITHMS = ['RS256', 'RS384', 'RS512'];

/** A refusal naming the signature attachment; `reason` is a key under lrs:errors.signature (lrs.json). */
const refuse = (field: string, reason: string) => {
  const message = `lrs:errors.signature.${reason}`;
  return validationError(message, [{ field, message }]);
};

/**
 * Checks a signed statement (Data §2.6): the signature attachment is a JWS with RS256/384/512 whose
 * payload is this statement (without attachments and the LRS's own properties). With an x5c header
 * the signature itself is verified against the certificate it names.
 */
export async function verifySignature(statement: Record<string, unknown>, jws: string, field: string): Promise<void> {
  const parts = jws.trim().split('.');
  if (parts.length !== 3) throw refuse(field, 'notCompactJws');
  let header: Record<string, unknown>;
  let payload: unknown;
  try {
    header = decodeProtectedHeader(jws.trim()) as Record<string, unknown>;
    payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
  } catch {
    throw refuse(field, 'unreadable');
  }
  if (typeof header.alg !== 'string' || !ALGORITHMS.includes(header.alg)) throw refuse(field, 'algorithm');
  if (!isPlainObject(payload)) throw refuse(field, 'payloadNotStatement');
  const strip = (s: Record<string, unknown>, dropId: boolean) => {
    const { attachments: _a, authority: _au, stored: _s, version: _v, id, ...rest } = s;
    return dropId ? rest : { ...rest, id };
  };
  const dropId = payload.id === undefined;
  if (!jsonEqual(forComparison(strip(payload, dropId)), forComparison(strip(statement, dropId)))) throw refuse(field, 'payloadMismatch');
  const x5c = header.x5c;
  if (Array.isArray(x5c) && typeof x5c[0] === 'string') {
    try {
      const pem = `-----BEGIN CERTIFICATE-----\n${x5c[0]}\n-----END CERTIFICATE-----`;
      await compactVerify(jws.trim(), await importX509(pem, header.alg));
    } catch {
      throw refuse(field, 'certificate');
    }
  }
}
