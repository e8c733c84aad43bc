import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { calculateJwkThumbprint, type JWK } from 'jose';
import type { Logger } from '../shared/logger.ts';
import type { SigningKeyDoc } from './model.ts';
import type { CertificateRepository } from './repository.ts';

/** The key credentials are signed with now. The private half lives only in memory and in its file. */
export interface ActiveSigningKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: JWK;
}

export const DEV_KEY_FILE = 'certificate-signing-key.pem';

/** RS256: the one algorithm every Open Badges 3.0 verifier supports. */
export const SIGNING_ALG = 'RS256';

async function readKey(file: string): Promise<KeyObject> {
  let pem: string;
  try {
    pem = await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`CERT_SIGNING_KEY_FILE: die Datei ${file} kann nicht gelesen werden (${(err as Error).message})`, { cause: err });
  }
  const key = createPrivateKey(pem);
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (key.asymmetricKeyType !== 'rsa' || bits < 2048) {
    throw new Error(`CERT_SIGNING_KEY_FILE: ${file} muss ein privater RSA-Schlüssel mit mindestens 2048 Bit sein (PEM)`);
  }
  return key;
}

/** Reads the development key from DATA_DIR or makes one there (mode 0600); never used when a key is configured. */
async function developmentKey(dataDir: string, logger: Logger): Promise<KeyObject> {
  const file = path.join(dataDir, DEV_KEY_FILE);
  try {
    return await readKey(file);
  } catch {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 3072 });
    await writeFile(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' }).catch(async (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
    });
    logger.warn({ file }, 'no CERT_SIGNING_KEY_FILE configured: certificates are signed with a development key');
    return readKey(file);
  }
}

/**
 * Loads the signing key (configured file, else the development key in DATA_DIR) and records its
 * public half, so the JWKS keeps every key ever used: credentials signed before a rotation still verify.
 */
export async function loadSigningKey(opts: {
  keyFile: string | undefined;
  dataDir: string;
  repo: CertificateRepository;
  logger: Logger;
  now: Date;
}): Promise<ActiveSigningKey> {
  const privateKey = opts.keyFile ? await readKey(opts.keyFile) : await developmentKey(opts.dataDir, opts.logger);
  const { kty, n, e } = createPublicKey(privateKey).export({ format: 'jwk' });
  if (kty !== 'RSA' || !n || !e) throw new Error('signing key: not an RSA key');
  const kid = await calculateJwkThumbprint({ kty, n, e }, 'sha256');
  await opts.repo.addSigningKey({ kid, kty, n, e, source: opts.keyFile ? 'configured' : 'development', firstUsedAt: opts.now });
  return { kid, privateKey, publicJwk: { kty, n, e, kid, alg: SIGNING_ALG, use: 'sig' } };
}

/** The published key set: every key ever used, oldest first (RFC 7517). */
export const toJwks = (keys: SigningKeyDoc[]): { keys: JWK[] } => ({
  keys: keys.map((k) => ({ kty: k.kty, n: k.n, e: k.e, kid: k.kid, alg: SIGNING_ALG, use: 'sig' })),
});
