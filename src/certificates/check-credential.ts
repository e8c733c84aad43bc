import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWK, type JWTPayload } from 'jose';
import type { IssuerUrls } from './issuer.ts';
import { SIGNING_ALG } from './signing-keys.ts';

/** What a partner learns from an uploaded credential, step by step. */
export interface CredentialCheck {
  format: 'jwt' | 'json' | 'unreadable';
  /** valid: signed by one of our published keys; missing: JSON without a proof we can check. */
  signature: 'valid' | 'invalid' | 'missing';
  signatureProblem?: string;
  kid?: string;
  issuer: 'ours' | 'foreign' | 'unknown';
  issuerId?: string;
  status: 'valid' | 'revoked' | 'unknown';
  revokedAt?: Date;
  holderName?: string;
  qualification?: string;
  validFrom?: string;
  credentialId?: string;
  /** Everything above together: only 'valid' means the partner can rely on it. */
  overall: 'valid' | 'revoked' | 'invalid';
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const ENVELOPE_PREFIX = 'data:application/vc+jwt,';

/** Finds the JWT in what was pasted: the compact JWT itself, or a VC 2.0 EnvelopedVerifiableCredential. */
export function extractCredential(
  text: string,
): { format: 'jwt'; jwt: string } | { format: 'json'; credential: Record<string, unknown>; jwt?: string } | { format: 'unreadable' } {
  const trimmed = text.trim();
  if (JWT_SHAPE.test(trimmed)) return { format: 'jwt', jwt: trimmed };
  if (!trimmed.startsWith('{')) return { format: 'unreadable' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return { format: 'unreadable' };
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { format: 'unreadable' };
  const credential = parsed as Record<string, unknown>;
  const id = typeof credential.id === 'string' ? credential.id : '';
  if (id.startsWith(ENVELOPE_PREFIX) && JWT_SHAPE.test(id.slice(ENVELOPE_PREFIX.length))) {
    return { format: 'json', credential, jwt: id.slice(ENVELOPE_PREFIX.length) };
  }
  return { format: 'json', credential };
}

/** The VC 2.0 JSON form of a VC-JWT (§4.13 enveloped credentials): what the holder downloads as .json. */
export const envelope = (jwt: string) => ({
  '@context': ['https://www.w3.org/ns/credentials/v2'],
  id: `${ENVELOPE_PREFIX}${jwt}`,
  type: 'EnvelopedVerifiableCredential',
});

interface ClaimedCredential {
  id?: unknown;
  issuer?: unknown;
  validFrom?: unknown;
  type?: unknown;
  credentialSubject?: { identifier?: Array<{ identityType?: string; hashed?: boolean; identityHash?: string }>; achievement?: { name?: string } };
  credentialStatus?: { statusListCredential?: unknown; statusListIndex?: unknown };
}

const issuerIdOf = (c: ClaimedCredential) =>
  typeof c.issuer === 'string' ? c.issuer : c.issuer && typeof c.issuer === 'object' ? String((c.issuer as { id?: unknown }).id ?? '') : undefined;

/**
 * Checks a credential against our published keys and our status list, the way any verifier would:
 * signature (RS256, keys from the JWKS), issuer (ours), revocation (Bitstring Status List bit).
 */
export async function checkCredential(
  text: string,
  deps: {
    urls: IssuerUrls;
    jwks: () => Promise<{ keys: JWK[] }>;
    /** Whether the bit at this index of our list is set, read from the list partners also read. */
    statusBit: (listUrl: string, index: number) => Promise<boolean | undefined>;
    /** The revocation date our records hold for a credential id. */
    revokedAt: (credentialId: string) => Promise<Date | undefined>;
  },
): Promise<CredentialCheck> {
  const found = extractCredential(text);
  if (found.format === 'unreadable') return { format: 'unreadable', signature: 'missing', issuer: 'unknown', status: 'unknown', overall: 'invalid' };

  let claims: ClaimedCredential;
  let signature: CredentialCheck['signature'] = 'missing';
  let signatureProblem: string | undefined;
  let kid: string | undefined;
  const jwt = found.jwt;
  if (jwt) {
    try {
      kid = decodeProtectedHeader(jwt).kid;
      claims = decodeJwt(jwt) as ClaimedCredential & JWTPayload;
    } catch {
      return { format: found.format, signature: 'invalid', signatureProblem: 'unreadable', issuer: 'unknown', status: 'unknown', overall: 'invalid' };
    }
    try {
      const { payload } = await jwtVerify(jwt, createLocalJWKSet(await deps.jwks()), { algorithms: [SIGNING_ALG], issuer: deps.urls.issuer });
      claims = payload as ClaimedCredential & JWTPayload;
      signature = 'valid';
    } catch (err) {
      signature = 'invalid';
      signatureProblem =
        err instanceof joseErrors.JWKSNoMatchingKey
          ? 'unknownKey'
          : err instanceof joseErrors.JWTClaimValidationFailed && err.claim === 'iss'
            ? 'foreignIssuer'
            : err instanceof joseErrors.JWTClaimValidationFailed && err.claim === 'nbf'
              ? 'notYetValid'
              : 'mismatch';
    }
  } else {
    claims = (found as { credential: ClaimedCredential }).credential; // JSON without an envelope: nothing signed
  }

  const issuerId = issuerIdOf(claims);
  const issuer: CredentialCheck['issuer'] = !issuerId ? 'unknown' : issuerId === deps.urls.issuer ? 'ours' : 'foreign';
  const credentialId = typeof claims.id === 'string' ? claims.id : undefined;
  let status: CredentialCheck['status'] = 'unknown';
  let revokedAt: Date | undefined;
  const entry = claims.credentialStatus;
  const index = Number(entry?.statusListIndex);
  if (typeof entry?.statusListCredential === 'string' && Number.isInteger(index)) {
    const bit = await deps.statusBit(entry.statusListCredential, index);
    if (bit !== undefined) status = bit ? 'revoked' : 'valid';
    if (bit && credentialId) revokedAt = await deps.revokedAt(credentialId);
  }
  const nameEntry = claims.credentialSubject?.identifier?.find((i) => i.identityType === 'name' && i.hashed === false);
  const overall: CredentialCheck['overall'] =
    signature !== 'valid' || issuer !== 'ours' ? 'invalid' : status === 'revoked' ? 'revoked' : status === 'valid' ? 'valid' : 'invalid';
  return {
    format: found.format,
    signature,
    signatureProblem,
    kid,
    issuer,
    issuerId,
    status,
    revokedAt,
    holderName: nameEntry?.identityHash,
    qualification: claims.credentialSubject?.achievement?.name,
    validFrom: typeof claims.validFrom === 'string' ? claims.validFrom : undefined,
    credentialId,
    overall,
  };
}
