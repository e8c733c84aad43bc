import type { Request, Response } from 'express';
import { DomainError, validationError } from '../../shared/errors.ts';
import type { Credential } from '../types.ts';
import type { XapiVersion } from '../version.ts';

/**
 * What the LRS pipeline knows about a request once the alternate request syntax is unfolded
 * (Communication §1.3): headers and parameters may have come from a form body, so routes read
 * them from here, never from req.headers/req.query.
 */
export interface XapiRequest {
  /** Whether it came in the alternate request syntax (a form unfolded into method, headers, content). */
  unfolded: boolean;
  method: string;
  params: Record<string, string>;
  header(name: string): string | undefined;
  contentType: string;
  body: Buffer;
  version?: XapiVersion;
  credential?: Credential;
}

export function xapiRequest(res: Response): XapiRequest {
  const x = res.locals.xapi as XapiRequest | undefined;
  if (!x) throw new Error('LRS pipeline did not run');
  return x;
}

export function credentialOf(res: Response): Credential {
  const c = xapiRequest(res).credential;
  if (!c) throw new DomainError('unauthenticated', 'lrs:errors.unauthenticated');
  return c;
}

/** Parameters of a resource, refusing any not in `allowed` (400 naming it). */
export function onlyParams(x: XapiRequest, allowed: string[]): void {
  const extra = Object.keys(x.params).filter((k) => !allowed.includes(k));
  if (extra.length)
    throw validationError(
      'lrs:errors.unknownParam',
      extra.map((f) => ({ field: f, message: 'lrs:errors.unknownParam' })),
    );
}

export function requireParam(x: XapiRequest, name: string): string {
  const v = x.params[name];
  if (v === undefined) throw validationError('lrs:errors.missingParam', [{ field: name, message: 'lrs:errors.missingParam' }]);
  return v;
}

export const badParam = (name: string, message = 'lrs:errors.badParam') => validationError(message, [{ field: name, message }]);

export const isHead = (req: Request) => req.method === 'HEAD';
