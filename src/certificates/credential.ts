import { createHash, randomBytes, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { OB3_CONTEXT, QUALIFICATION_NAME, achievementProfile, issuerProfile, type IssuerUrls } from './issuer.ts';
import type { ModuleLine, SessionLine } from './model.ts';
import { SIGNING_ALG, type ActiveSigningKey } from './signing-keys.ts';

export interface CredentialInput {
  credentialId: string;
  subjectId: string;
  holderName: string;
  holderEmail: string;
  /** Whole seconds: nbf must equal validFrom. */
  issuedAt: Date;
  modules: ModuleLine[];
  sessions: SessionLine[];
  statusListId: number;
  statusListIndex: number;
}

const isoSeconds = (d: Date) => new Date(Math.floor(d.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
const germanDate = (d: Date) => d.toLocaleDateString('de-DE', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'Europe/Berlin' });

/** Open Badges 3.0 IdentityHash: "sha256$" + hex(SHA-256(value + salt)); the e-mail never appears. */
export function identityHash(email: string, salt: string): string {
  return `sha256$${createHash('sha256')
    .update(email.trim().toLowerCase() + salt)
    .digest('hex')}`;
}

/** The criteria in words: which modules and which sessions this holder completed. */
export function criteriaNarrative(modules: ModuleLine[], sessions: SessionLine[]): string {
  const lines = ['Beide Zulassungsvoraussetzungen nachgewiesen (Autorisierung und Workshop).', '', 'Q1 – Online-Module (bestanden oder abgeschlossen):'];
  for (const m of modules) lines.push(`- ${m.title}${m.score !== undefined ? ` (${m.score} %)` : ''}`);
  lines.push('', 'Q2 – Präsenztermine (teilgenommen):');
  for (const s of sessions) lines.push(`- ${s.title}${s.sessionTitle ? `: ${s.sessionTitle}` : ''}${s.date ? ` am ${germanDate(s.date)}` : ''}`);
  return lines.join('\n');
}

/** The OpenBadgeCredential (OB 3.0, VC data model 2.0) before it is signed. */
export function buildCredential(input: CredentialInput, urls: IssuerUrls) {
  const salt = randomBytes(16).toString('hex');
  const issuer = issuerProfile(urls);
  return {
    '@context': OB3_CONTEXT,
    id: input.credentialId,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: { id: issuer.id, type: issuer.type, name: issuer.name, url: issuer.url },
    validFrom: isoSeconds(input.issuedAt),
    name: QUALIFICATION_NAME,
    credentialSubject: {
      id: input.subjectId,
      type: ['AchievementSubject'],
      identifier: [
        { type: 'IdentityObject', identityType: 'emailAddress', hashed: true, identityHash: identityHash(input.holderEmail, salt), salt },
        // the name is printed on the certificate anyway; partners compare it with an ID document
        { type: 'IdentityObject', identityType: 'name', hashed: false, identityHash: input.holderName },
      ],
      // the published achievement, with the criteria this holder met
      achievement: { ...achievementProfile(urls), criteria: { narrative: criteriaNarrative(input.modules, input.sessions) } },
    },
    credentialStatus: {
      id: `${urls.statusList(input.statusListId)}#${input.statusListIndex}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(input.statusListIndex),
      statusListCredential: urls.statusList(input.statusListId),
    },
  };
}
export type OpenBadgeCredential = ReturnType<typeof buildCredential>;

/**
 * VC-JWT as Open Badges 3.0 §8.2 describes it: header alg, kid, typ "JWT"; the credential is the
 * claim set, with iss, jti, sub and nbf (= validFrom) mirrored as registered claims.
 */
export async function signCredential(
  credential: Record<string, unknown> & { id: string; validFrom: string; issuer: { id: string } | string; credentialSubject?: { id?: string } },
  key: ActiveSigningKey,
): Promise<string> {
  const nbf = Math.floor(Date.parse(credential.validFrom) / 1000);
  const jwt = new SignJWT(credential)
    .setProtectedHeader({ alg: SIGNING_ALG, kid: key.kid, typ: 'JWT' })
    .setIssuer(typeof credential.issuer === 'string' ? credential.issuer : credential.issuer.id)
    .setJti(credential.id)
    .setNotBefore(nbf)
    .setIssuedAt(nbf);
  if (credential.credentialSubject?.id) jwt.setSubject(credential.credentialSubject.id);
  return jwt.sign(key.privateKey as KeyObject);
}

/** The signed Bitstring Status List credential (W3C Bitstring Status List v1.0 §2.2). */
export async function signStatusList(opts: { urls: IssuerUrls; listId: number; encodedList: string; now: Date; key: ActiveSigningKey }): Promise<string> {
  const url = opts.urls.statusList(opts.listId);
  const credential = {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id: url,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: opts.urls.issuer,
    validFrom: isoSeconds(opts.now),
    credentialSubject: { id: `${url}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList: opts.encodedList },
  };
  return signCredential(credential, opts.key);
}

export { isoSeconds };
