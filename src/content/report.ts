import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DomainError } from '../shared/errors.ts';
import type { PackageFormat, ReportEntry, Severity, ValidationReport } from './types.ts';

type Messages = Record<string, string>;

/** The report texts come from the same locale files the pages use, so CLI, API and pages agree. */
function loadMessages(lng: 'de' | 'en'): Messages {
  const file = fileURLToPath(new URL(`../i18n/locales/${lng}/content.json`, import.meta.url));
  const json = JSON.parse(readFileSync(file, 'utf8')) as { report?: Messages };
  return json.report ?? {};
}
const MESSAGES = { de: loadMessages('de'), en: loadMessages('en') };

const interpolate = (text: string, params: Record<string, string | number>) =>
  text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, key: string) => String(params[key] ?? ''));

/** The refusal of a package every caller sees: a validation error that carries the report. */
export const refused = (report: ValidationReport) => new DomainError('validation', 'content:errors.refused', { report });

/** The report a refusal carries, when it is a package's refusal (undefined for any other error). */
export const refusalReport = (err: unknown): ValidationReport | undefined =>
  err instanceof DomainError ? (err.details.report as ValidationReport | undefined) : undefined;

/** At most this many entries per severity: a hostile package must not produce a huge report. */
const MAX_ENTRIES = 200;

/** Collects errors and warnings while a package is checked. */
export class ReportBuilder {
  private readonly errors: ReportEntry[] = [];
  private readonly warnings: ReportEntry[] = [];
  format: PackageFormat | undefined;

  add(severity: Severity, code: string, params: Record<string, string | number> = {}, where?: string, rule?: string): void {
    const list = severity === 'error' ? this.errors : this.warnings;
    if (list.length >= MAX_ENTRIES) return;
    list.push({
      severity,
      code,
      message: interpolate(MESSAGES.de[code] ?? code, params),
      messageEn: interpolate(MESSAGES.en[code] ?? code, params),
      ...(where ? { where } : {}),
      ...(rule ? { rule } : {}),
      params,
    });
  }
  error(code: string, params: Record<string, string | number> = {}, where?: string, rule?: string): void {
    this.add('error', code, params, where, rule);
  }
  warn(code: string, params: Record<string, string | number> = {}, where?: string, rule?: string): void {
    this.add('warning', code, params, where, rule);
  }
  get hasErrors(): boolean {
    return this.errors.length > 0;
  }
  build(): ValidationReport {
    return { ok: this.errors.length === 0, format: this.format, errors: [...this.errors], warnings: [...this.warnings] };
  }
}
