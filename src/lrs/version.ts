import { DomainError } from '../shared/errors.ts';

/**
 * Version negotiation, in one place. Every request names the version it speaks in
 * X-Experience-API-Version (xAPI 1.0.3 Communication §3.3; IEEE 9274.1.1 §4.1.2 "Headers" and the
 * Versioning clause); every response carries the version we answer in. One endpoint speaks both
 * dialects: 1.0.x and 2.0.0 (IEEE 9274.1.1-2023). What differs between them is listed here as rules,
 * so that validators and resources ask "does this dialect want X" instead of comparing version strings.
 * Reads are the same in both: a statement is returned as stored, with the version it was stored with,
 * whichever dialect asks (1.0.3 Communication §3.3: an LRS does not convert statements between
 * versions; 9274.1.1 §4.2.4.3: statements retain the version they were accepted with) — so a 1.0.3
 * client sees a 2.0 statement's contextAgents, and a 2.0 client a 1.0 statement unchanged.
 */
export interface XapiVersion {
  /** The version written into responses (X-Experience-API-Version). */
  answer: string;
  /** Versions of statements this dialect accepts in their `version` property. */
  statementVersion: RegExp;
  /** Shown in the message when a statement's version is refused. */
  statementVersionText: string;
  /** Written into statements that carry no `version` (1.0.3 Data §2.4.10; 9274.1.1 §4.2.4.3: "2.0.0"). */
  defaultStatementVersion: string;
  /** Listed by the About resource. */
  advertised: string[];
  /**
   * 9274.1.1 §4.2.2.5: context.contextAgents / context.contextGroups exist (and are indexed for
   * related_agents). 1.0.3 knows neither and refuses them as unknown properties.
   */
  contextAgents: boolean;
  /** 1.0.3 Communication §1.3 alternate request syntax; removed from 9274.1.1 (refused with 400). */
  alternateSyntax: boolean;
  /**
   * 9274.1.1 §4.1.4 Concurrency: the State resource joins the profiles — a PUT over an existing
   * document without If-Match/If-None-Match is a 409 there too. 1.0.3 §3.1 asks it of profiles only.
   */
  statePrecondition: boolean;
  /**
   * 9274.1.1 §4.2.7 (Timestamps, RFC 3339 §5.6): a timestamp names its offset; a bare local time
   * ("2024-01-01T12:00:00") is refused. 1.0.3 Data §4.5 allowed any ISO 8601 date-time.
   */
  timestampNeedsZone: boolean;
}

const V1_0_3: XapiVersion = {
  answer: '1.0.3',
  statementVersion: /^1\.0(\.\d+)?$/,
  statementVersionText: '1.0.x',
  defaultStatementVersion: '1.0.0',
  advertised: ['1.0.0', '1.0.1', '1.0.2', '1.0.3'],
  contextAgents: false,
  alternateSyntax: true,
  statePrecondition: false,
  timestampNeedsZone: false,
};

/**
 * 9274.1.1 §4.2.4.3 Version: an LRS accepts statements whose version starts with "1.0." or "2.0."
 * and stores them with the version they came with ("Statements returned by an LRS shall retain the
 * version property they are accepted with").
 */
const V2_0_0: XapiVersion = {
  answer: '2.0.0',
  statementVersion: /^(1\.0|2\.0)(\.\d+)?$/,
  statementVersionText: '1.0.x, 2.0.x',
  defaultStatementVersion: '2.0.0',
  advertised: ['2.0.0'],
  contextAgents: true,
  alternateSyntax: false,
  statePrecondition: true,
  timestampNeedsZone: true,
};

const DIALECTS: Array<{ header: RegExp; version: XapiVersion }> = [
  { header: /^1\.0(\.[0-9]+)?$/, version: V1_0_3 },
  { header: /^2\.0(\.[0-9]+)?$/, version: V2_0_0 },
];

export const VERSION_HEADER = 'X-Experience-API-Version';
/** What the app's own writes speak, and what a response says before a request's version is known. */
export const DEFAULT_VERSION = V1_0_3;
export const XAPI_2_0 = V2_0_0;

/** Every version we can speak, for the About resource. */
export const advertisedVersions = (): string[] => DIALECTS.flatMap((d) => d.version.advertised);

/** The dialect a header names, or undefined (no header, or a version we do not speak). */
export function dialectOf(header: string | undefined): XapiVersion | undefined {
  if (!header) return undefined;
  return DIALECTS.find((d) => d.header.test(header.trim()))?.version;
}

/** The dialect for a request's X-Experience-API-Version header; 400 when missing or unsupported. */
export function negotiateVersion(header: string | undefined): XapiVersion {
  if (!header) throw new DomainError('validation', 'lrs:errors.versionMissing', { fields: [{ field: VERSION_HEADER, message: 'lrs:errors.versionMissing' }] });
  const match = dialectOf(header);
  if (!match)
    throw new DomainError('validation', 'lrs:errors.versionUnsupported', {
      fields: [{ field: VERSION_HEADER, message: 'lrs:errors.versionUnsupported' }],
      version: header,
    });
  return match;
}
