import { DomainError } from '../shared/errors.ts';

/**
 * Version negotiation, in one place (xAPI 1.0.3 Communication §3.3). Every request names the version
 * it speaks in X-Experience-API-Version; every response carries the version we answer in. xAPI 2.0
 * joins here as a second entry whose `answer` is "2.0.0" and whose validator/formatters differ.
 */
export interface XapiVersion {
  /** The version written into responses and into statements that carry none. */
  answer: string;
  /** Versions of statements this dialect accepts. */
  statementVersion: RegExp;
  /** Listed by the About resource. */
  advertised: string[];
}

const V1_0_3: XapiVersion = {
  answer: '1.0.3',
  statementVersion: /^1\.0(\.\d+)?$/,
  advertised: ['1.0.0', '1.0.1', '1.0.2', '1.0.3'],
};

const DIALECTS: Array<{ header: RegExp; version: XapiVersion }> = [{ header: /^1\.0(\.[0-9]+)?$/, version: V1_0_3 }];

export const VERSION_HEADER = 'X-Experience-API-Version';
export const DEFAULT_VERSION = V1_0_3;

/** Every version we can speak, for the About resource. */
export const advertisedVersions = (): string[] => DIALECTS.flatMap((d) => d.version.advertised);

/** The dialect for a request's X-Experience-API-Version header; 400 when missing or unsupported. */
export function negotiateVersion(header: string | undefined): XapiVersion {
  if (!header) throw new DomainError('validation', 'lrs:errors.versionMissing', { fields: [{ field: VERSION_HEADER, message: 'lrs:errors.versionMissing' }] });
  const match = DIALECTS.find((d) => d.header.test(header.trim()));
  if (!match) throw new DomainError('validation', 'lrs:errors.versionUnsupported', { fields: [{ field: VERSION_HEADER, message: 'lrs:errors.versionUnsupported' }], version: header });
  return match.version;
}
