import { pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { ZipArchive } from 'archiver';
import type { DataSubject, ExportSink } from '../contract.ts';
import type { PrivacyRegistry } from '../registry.ts';

interface ZipEntry {
  name: string;
  content: Buffer | string;
}

/** The folder of a component in the zip (German, as the README names them). */
const FOLDER: Record<string, string> = {
  accounts: 'konto',
  lrs: 'lernaktivitaeten-xapi',
  player: 'lernmodule',
  qualification: 'qualifizierung',
  certificates: 'zertifikate',
  content: 'inhalte',
  privacy: 'datenschutz',
};
export const folderOf = (component: string) => FOLDER[component] ?? component;

/** The German README at the top of the zip: what each folder holds and why it was stored. */
function readme(subject: DataSubject, registry: PrivacyRegistry, files: string[], createdAt: Date): string {
  const lines = [
    '# Ihre Daten in der GeZu Lotse Academy',
    '',
    `Auskunft nach Art. 15 und Art. 20 DSGVO für ${subject.name} <${subject.email}>, erstellt am ${createdAt.toLocaleString('de-DE', { timeZone: 'Europe/Berlin' })}.`,
    '',
    'Die Dateien sind maschinenlesbar (JSON, UTF-8). Zeitangaben sind in UTC (ISO 8601).',
    'Lernaktivitäten stehen als xAPI-Anweisungen (xAPI 1.0.3) in lernaktivitaeten-xapi/xapi-anweisungen.json;',
    'Anweisungen anderer Personen, in denen Sie genannt sind (z. B. als Trainerin oder Trainer), stehen nur mit Kennung,',
    'Verb und Zeit in lernaktivitaeten-xapi/xapi-erwaehnungen.json: ihr Inhalt sind Daten dieser Personen.',
    'Zertifikate liegen als PDF und als signierter Nachweis (JWT, Verifiable Credential) bei.',
    '',
    '## Was wir wozu speichern',
    '',
  ];
  for (const e of registry.entries) {
    if (!e.collections.length) continue;
    lines.push(`### ${folderOf(e.component)}/`, '');
    for (const c of e.collections) lines.push(`- ${c.purpose}${c.kept ? ` (nach einer Löschung: ${c.kept})` : ''}`);
    lines.push('');
  }
  lines.push('## Dateien in diesem Archiv', '', ...files.map((f) => `- ${f}`), '');
  lines.push('Fragen zu Ihren Daten richten Sie bitte an die auf /datenschutz genannte Stelle.', '');
  return lines.join('\n');
}

/**
 * Asks every component's exporter for its part and writes one zip into `out`: README.md, then
 * <folder>/<file> per component. The exporters only read; a failing one fails the whole export
 * (a partial answer to Art. 15 would look complete).
 */
export async function buildExport(opts: { subject: DataSubject; registry: PrivacyRegistry; out: Writable; now: Date }): Promise<void> {
  const entries: ZipEntry[] = [];
  for (const e of opts.registry.entries) {
    const folder = folderOf(e.component);
    const sink: ExportSink = {
      json: (file, value) => entries.push({ name: `${folder}/${file}`, content: JSON.stringify(value ?? null, null, 2) }),
      file: (path, content) => entries.push({ name: `${folder}/${path}`, content }),
    };
    await e.export(opts.subject, sink);
  }
  const zip = new ZipArchive({ zlib: { level: 6 } });
  const done = pipeline(zip, opts.out);
  zip.append(
    readme(
      opts.subject,
      opts.registry,
      entries.map((e) => e.name),
      opts.now,
    ),
    { name: 'README.md' },
  );
  for (const e of entries) zip.append(e.content, { name: e.name });
  await zip.finalize();
  await done;
}
