import { ISSUER_NAME, QUALIFICATION_NAME, type IssuerUrls } from './issuer.ts';
import type { Certificate } from './repository.ts';
import type { PracticeLine } from './ports.ts';
import { formatCode } from './verification-code.ts';

/** What the public sees for a code: never the e-mail. */
export interface PublicVerification {
  status: 'valid' | 'revoked' | 'unknown';
  code: string;
  holderName?: string;
  qualification?: string;
  issuedAt?: Date;
  revokedAt?: Date;
  issuer?: { name: string; id: string; url: string };
  verifyUrl?: string;
  /** The holder's Experimentierräume, only where they opted in (src/results). */
  practice?: PracticeLine[];
}

/** The certificate as its holder's pages show it. */
export function holderView(c: Certificate, urls: IssuerUrls) {
  const code = formatCode(c.code);
  return {
    id: c.id,
    code,
    holderName: c.holderName,
    issuedAt: c.issuedAt,
    revokedAt: c.revokedAt,
    revocationReason: c.revocationReason,
    replacedBy: c.replacedBy,
    modules: c.modules,
    sessions: c.sessions,
    shareUrl: urls.verifyPage(code),
  };
}
export type HolderView = ReturnType<typeof holderView>;

/** A code look-up's answer for the public: the holder's name, never the e-mail; `typed` for an unknown code. */
export function publicView(c: Certificate | undefined, typed: string, urls: IssuerUrls): PublicVerification {
  if (!c) return { status: 'unknown', code: typed };
  const code = formatCode(c.code);
  return {
    status: c.revokedAt ? 'revoked' : 'valid',
    code,
    holderName: c.holderName,
    qualification: QUALIFICATION_NAME,
    issuedAt: c.issuedAt,
    ...(c.revokedAt ? { revokedAt: c.revokedAt } : {}),
    issuer: { name: ISSUER_NAME, id: urls.issuer, url: urls.base },
    verifyUrl: urls.verifyPage(code),
  };
}
