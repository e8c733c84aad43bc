import type { FieldProblem } from '../../shared/errors.ts';
import { isIri, isLanguageTag, isPlainObject } from './formats.ts';

/** Small checks the statement validator is built from; each records a problem naming the field. */
export type Problems = FieldProblem[];

/**
 * Records a problem of `field`; `rule` is a key under lrs:validation (lrs.json), which the error
 * mapper turns into the visitor's language (the field is named beside it, in `field`).
 */
export function add(p: Problems, field: string, rule: string): false {
  p.push({ field, message: `lrs:validation.${rule}` });
  return false;
}

export function onlyKeys(p: Problems, path: string, value: Record<string, unknown>, allowed: string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) add(p, join(path, key), 'unknownProperty');
  }
}

export const join = (path: string, key: string | number) => (typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key);

export function object(p: Problems, path: string, v: unknown): v is Record<string, unknown> {
  return isPlainObject(v) || add(p, path, 'object');
}

export function str(p: Problems, path: string, v: unknown): v is string {
  return typeof v === 'string' || add(p, path, 'string');
}

export function iri(p: Problems, path: string, v: unknown): boolean {
  return isIri(v) || add(p, path, 'iri');
}

export function languageMap(p: Problems, path: string, v: unknown): void {
  if (!object(p, path, v)) return;
  for (const [tag, text] of Object.entries(v)) {
    if (!isLanguageTag(tag)) add(p, join(path, tag), 'badLanguageTag');
    else if (typeof text !== 'string') add(p, join(path, tag), 'string');
  }
}

export function extensions(p: Problems, path: string, v: unknown): void {
  if (!object(p, path, v)) return;
  for (const key of Object.keys(v)) if (!isIri(key)) add(p, join(path, key), 'extensionKey');
}
