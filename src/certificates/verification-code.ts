import { randomBytes } from 'node:crypto';

/** Crockford's base32: no I, L, O, U, so a code read aloud or typed from paper is hard to get wrong. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 16 characters × 5 bits = 80 random bits (the issue asks for at least 60). */
export const CODE_LENGTH = 16;

/** A fresh random code, 16 characters, stored without dashes. */
export function newVerificationCode(): string {
  // 10 bytes = 80 bits, read 5 bits at a time
  const bytes = randomBytes(10);
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let out = '';
  for (let i = CODE_LENGTH - 1; i >= 0; i--) out += ALPHABET[Number((bits >> BigInt(i * 5)) & 31n)];
  return out;
}

/** Groups of four for reading aloud: 7K3M-Q9TD-XW2E-HB5R. */
export const formatCode = (code: string): string => code.match(/.{1,4}/g)?.join('-') ?? code;

/**
 * What a person typed, normalised as Crockford prescribes: case-insensitive, dashes and spaces
 * ignored, I and L read as 1, O as 0. Undefined when it cannot be a code.
 */
export function normalizeCode(input: string): string | undefined {
  const cleaned = input.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  if (cleaned.length !== CODE_LENGTH) return undefined;
  for (const ch of cleaned) if (!ALPHABET.includes(ch)) return undefined;
  return cleaned;
}
