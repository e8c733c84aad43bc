import { hash, verify } from '@node-rs/argon2';

/** Algorithm.Argon2id of @node-rs/argon2 (an ambient const enum, which isolated modules cannot import). */
const ARGON2ID = 2;

/**
 * argon2id with the OWASP-recommended minimum (19 MiB, 2 iterations). @node-rs/argon2 ships prebuilt
 * binaries as optional packages, so a clean `npm ci` needs no install script and no compiler.
 */
export const hashPassword = (password: string): Promise<string> => hash(password, { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 });

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;
/** Verifying against a dummy hash when the account is unknown keeps the response time the same (no enumeration). */
export const dummyPasswordHash = (): Promise<string> => (dummyHash ??= hashPassword('no-such-account'));
