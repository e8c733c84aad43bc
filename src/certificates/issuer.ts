/**
 * Who issues, and the stable URLs everything else points to. All are absolute URLs under PUBLIC_URL:
 * a credential names them for life, so PUBLIC_URL must not change once certificates are issued.
 */
export const QUALIFICATION = 'om-gezu-lotse';
export const QUALIFICATION_NAME = 'OM-GeZu Lotse / Quartiersmanager';
export const QUALIFICATION_DESCRIPTION =
  'Qualifizierung zum OM-GeZu Lotsen / Quartiersmanager im Projekt GeZu 4.0 der Offensive Mittelstand: ' +
  'Lotsen begleiten kleine und mittlere Unternehmen im Quartier zu gesunder, zukunftsfähiger Arbeit ' +
  'und vermitteln passende Unterstützungsangebote.';
export const ISSUER_NAME = 'GeZu Lotse Academy · Offensive Mittelstand';

export interface IssuerUrls {
  base: string;
  issuer: string;
  achievement: string;
  statusList: (listId: number) => string;
  verifyPage: (formattedCode: string) => string;
  jwks: string;
}

export function issuerUrls(base: string): IssuerUrls {
  return {
    base,
    issuer: `${base}/issuer`,
    achievement: `${base}/achievements/${QUALIFICATION}`,
    statusList: (listId) => `${base}/credentials/status/${listId}`,
    verifyPage: (code) => `${base}/verify/${code}`,
    jwks: `${base}/.well-known/jwks.json`,
  };
}

export const OB3_CONTEXT = ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'];

/** The issuer profile (Open Badges 3.0 §B.1.x Profile), published at its own id. */
export function issuerProfile(urls: IssuerUrls) {
  return {
    '@context': OB3_CONTEXT,
    id: urls.issuer,
    type: ['Profile'],
    name: ISSUER_NAME,
    url: urls.base,
    description: 'Stellt die Zertifikate der Qualifizierung OM-GeZu Lotse / Quartiersmanager aus. Prüfschlüssel: ' + urls.jwks,
  };
}

/** The achievement as published at its own id (the criteria in general; each credential lists the holder's own). */
export function achievementProfile(urls: IssuerUrls) {
  const issuer = issuerProfile(urls);
  return {
    id: urls.achievement,
    type: ['Achievement'],
    achievementType: 'Certificate',
    name: QUALIFICATION_NAME,
    description: QUALIFICATION_DESCRIPTION,
    criteria: {
      narrative:
        'Beide Zulassungsvoraussetzungen nachgewiesen (Autorisierung und Workshop), alle Q1-Online-Module ' +
        'bestanden oder abgeschlossen, an allen geforderten Q2-Präsenzterminen teilgenommen.',
    },
    inLanguage: 'de',
    creator: { id: issuer.id, type: issuer.type, name: issuer.name },
  };
}
