import { randomBytes, createHash } from 'node:crypto';

/** A URL-safe random token with `bytes` bytes of entropy. */
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** SHA-256 hex: we store hashes of one-time tokens, never the tokens themselves. */
export const sha256Hex = (value: string | Buffer): string => createHash('sha256').update(value).digest('hex');

/** A readable random password for demo accounts (no look-alike characters). */
export function randomPassword(length = 16): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(length);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}
