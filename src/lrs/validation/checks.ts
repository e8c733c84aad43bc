import type { FieldProblem } from '../../shared/errors.ts';
import { isIri, isLanguageTag, isPlainObject } from './formats.ts';

/** Small checks the statement validator is built from; each records a problem naming the field. */
export type Problems = FieldProblem[];

export function add(p: Problems, field: string, message: string): false {
  p.push({ field, message: `${field}: ${message}` });
  return false;
}

export function onlyKeys(p: Problems, path: string, value: Record<string, unknown>, allowed: string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) add(p, join(path, key), 'ist hier keine erlaubte Eigenschaft');
  }
}

export const join = (path: string, key: string | number) => (typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key);

export function object(p: Problems, path: string, v: unknown): v is Record<string, unknown> {
  return isPlainObject(v) || add(p, path, 'muss ein JSON-Objekt sein');
}

export function str(p: Problems, path: string, v: unknown): v is string {
  return typeof v === 'string' || add(p, path, 'muss eine Zeichenkette sein');
}

export function iri(p: Problems, path: string, v: unknown): boolean {
  return isIri(v) || add(p, path, 'muss eine absolute IRI sein (mit Schema, z. B. https://…)');
}

export function languageMap(p: Problems, path: string, v: unknown): void {
  if (!object(p, path, v)) return;
  for (const [tag, text] of Object.entries(v)) {
    if (!isLanguageTag(tag)) add(p, join(path, tag), 'ist kein gültiges Sprachkürzel nach RFC 5646');
    else if (typeof text !== 'string') add(p, join(path, tag), 'muss eine Zeichenkette sein');
  }
}

export function extensions(p: Problems, path: string, v: unknown): void {
  if (!object(p, path, v)) return;
  for (const key of Object.keys(v)) if (!isIri(key)) add(p, join(path, key), 'Schlüssel einer Erweiterung muss eine IRI sein');
}

