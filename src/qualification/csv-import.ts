import { readFile } from 'node:fs/promises';
import type { Clock } from '../shared/clock.ts';
import { DomainError, notFound } from '../shared/errors.ts';
import { parseCsv } from './csv.ts';
import type { DirectoryPort, TempFile } from './ports.ts';
import type { PrerequisiteRepository } from './prerequisite-repository.ts';
import type { Texts } from '../i18n/i18n.ts';

export interface ImportRow {
  /** The line in the file (the header is line 1). */
  line: number;
  email: string;
  number: string;
  date?: Date;
  partner: string;
  learnerId?: string;
  learnerName?: string;
  errors: string[];
}
export interface ImportPreview {
  importId: string;
  fileName: string;
  rows: ImportRow[];
  errorCount: number;
  committedAt?: Date;
  committedRows?: number;
}

const HEADERS: Record<string, 'email' | 'number' | 'date' | 'partner'> = {
  email: 'email',
  'e-mail': 'email',
  nummer: 'number',
  number: 'number',
  autorisierungsnummer: 'number',
  datum: 'date',
  date: 'date',
  autorisierungsdatum: 'date',
  partner: 'partner',
  partnerorganisation: 'partner',
  organisation: 'partner',
};
const MAX_ROWS = 5000;

/** 2024-03-01 or 01.03.2024, a real calendar day, not in the future. */
function parseDay(raw: string, now: Date): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw) ?? /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(raw);
  if (!m) return undefined;
  const [y, mo, d] = raw.includes('-') ? [m[1], m[2], m[3]] : [m[3], m[2], m[1]];
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (date.getUTCMonth() !== Number(mo) - 1 || date.getUTCDate() !== Number(d) || date > now) return undefined;
  return date;
}

/**
 * Import of verified OM-Berater authorisations from a partner's CSV (columns E-Mail; Nummer; Datum;
 * Partnerorganisation). Preview first; the import checks every row again and writes nothing while any
 * row has an error. Each write is an upsert keyed by the unique learnerId, so a retry after a failure
 * part-way completes the import without duplicates.
 */
export function createCsvImport(deps: { repo: PrerequisiteRepository; directory: DirectoryPort; clock: Clock; texts: Texts }) {
  // the rows' problems as the preview shows them (German; the preview is stored as it was checked)
  const problem = (key: string, values: Record<string, unknown>) => deps.texts(`qualification:importRows.${key}`, values);
  async function check(csv: string): Promise<ImportRow[]> {
    const table = parseCsv(csv).filter((r) => r.some((c) => c.trim() !== ''));
    const [header, ...body] = table;
    const columns = (header ?? []).map((h) => HEADERS[h.trim().toLowerCase()]);
    const missing = (['email', 'number', 'date', 'partner'] as const).filter((c) => !columns.includes(c));
    if (!header || missing.length) throw new DomainError('validation', 'qualification:errors.importHeader', { missingColumns: missing });
    if (!body.length) throw new DomainError('validation', 'qualification:errors.importEmpty');
    if (body.length > MAX_ROWS) throw new DomainError('validation', 'qualification:errors.importTooMany', { max: MAX_ROWS });
    const now = deps.clock.now();
    const seen = new Map<string, number>();
    const rows: ImportRow[] = [];
    // line numbers follow the file as the partner sees it: blank lines are skipped but still counted
    const lines = parseCsv(csv)
      .map((r, i) => ({ r, line: i + 1 }))
      .filter(({ r }) => r.some((c) => c.trim() !== ''))
      .slice(1);
    for (const { r, line } of lines) {
      const get = (c: string) => (r[columns.indexOf(c as never)] ?? '').trim();
      const row: ImportRow = { line, email: get('email').toLowerCase(), number: get('number'), partner: get('partner'), errors: [] };
      const rawDate = get('date');
      row.date = parseDay(rawDate, now);
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(row.email)) row.errors.push(problem('badEmail', { line, email: row.email }));
      if (!row.number) row.errors.push(problem('noNumber', { line }));
      if (row.number.length > 60) row.errors.push(problem('longNumber', { line }));
      if (!row.date) row.errors.push(problem('badDate', { line, date: rawDate }));
      if (!row.partner) row.errors.push(problem('noPartner', { line }));
      const earlier = seen.get(row.email);
      if (earlier) row.errors.push(problem('repeated', { line, earlier }));
      seen.set(row.email, line);
      rows.push(row);
    }
    // the accounts of all well-formed rows in one look-up
    const valid = rows.filter((row) => row.errors.length === 0);
    const people = await deps.directory.findByEmails(valid.map((row) => row.email));
    for (const row of valid) {
      const person = people.get(row.email);
      if (person) {
        row.learnerId = person.id;
        row.learnerName = person.name;
      } else row.errors.push(problem('noAccount', { line: row.line, email: row.email }));
    }
    return rows;
  }

  const preview = (importId: string, fileName: string, rows: ImportRow[], extra: { committedAt?: Date; committedRows?: number } = {}): ImportPreview => ({
    importId,
    fileName,
    rows,
    errorCount: rows.reduce((n, r) => n + r.errors.length, 0),
    ...extra,
  });

  const csvImport = {
    /** Keeps the file and returns every row with its problems; nothing is imported yet. */
    async upload(adminId: string, csv: string, fileName: string): Promise<ImportPreview> {
      const rows = await check(csv);
      const importId = await deps.repo.insertImport({ csv, fileName, createdBy: adminId, createdAt: deps.clock.now() });
      return preview(importId, fileName, rows);
    },
    /** The same for an uploaded file (the admin's form); the temp file is removed afterwards. */
    async uploadFile(adminId: string, file: TempFile): Promise<ImportPreview> {
      try {
        return await csvImport.upload(adminId, await readFile(file.path, 'utf8'), file.originalName);
      } finally {
        await file.done();
      }
    },
    async show(importId: string): Promise<ImportPreview> {
      const imp = await deps.repo.findImport(importId);
      if (!imp) throw notFound('qualification:errors.importNotFound');
      return preview(importId, imp.fileName, await check(imp.csv), { committedAt: imp.committedAt, committedRows: imp.committedRows });
    },
    /** All rows or none: any error refuses the whole file, naming each row. */
    async commit(adminId: string, importId: string): Promise<ImportPreview> {
      const imp = await deps.repo.findImport(importId);
      if (!imp) throw notFound('qualification:errors.importNotFound');
      const rows = await check(imp.csv);
      const errors = rows.flatMap((r) => r.errors);
      if (errors.length) throw new DomainError('validation', 'qualification:errors.importHasErrors', { count: errors.length, rowErrors: errors });
      const now = deps.clock.now();
      const existing = await deps.repo.getMany(rows.map((r) => r.learnerId!));
      for (const r of rows) {
        const current = existing.get(r.learnerId!)!;
        await deps.repo.putItem(r.learnerId!, 'authorisation', {
          state: 'verified',
          number: r.number,
          date: r.date,
          partner: r.partner,
          evidenceFileId: current.authorisation.evidenceFileId,
          evidenceName: current.authorisation.evidenceName,
          evidenceType: current.authorisation.evidenceType,
          decidedBy: adminId,
          decidedAt: now,
          source: 'import',
          importId,
          updatedAt: now,
        });
      }
      await deps.repo.markImportCommitted(importId, rows.length, now);
      return preview(importId, imp.fileName, rows, { committedAt: now, committedRows: rows.length });
    },
  };
  return csvImport;
}
export type CsvImport = ReturnType<typeof createCsvImport>;
