import type { Connection } from 'mongoose';
import type { PersonalDataEntry } from '../privacy/contract.ts';
import { createLrsPrivacyRepository, personKeys } from './privacy-repository.ts';

const isText = (contentType: string) => /json|text|xml/i.test(contentType);
/** lean() hands binary fields over as the driver's Binary, not as a Buffer. */
const bytesOf = (content: unknown): Buffer => (Buffer.isBuffer(content) ? content : Buffer.from((content as { buffer: Uint8Array }).buffer));

/**
 * The LRS's entry in the privacy register. Erasure deletes the person's own statements (actor or
 * object) and state/agent-profile documents; where the person only appears in someone else's
 * statement (as instructor of an attendance, or through a StatementRef) that statement stays, with
 * an anonymous account in the person's place ("Gelöschte Person", the erasure's reference).
 */
export function lrsPrivacy(connection: Connection, deps: { publicUrl: () => string }): PersonalDataEntry {
  const repo = createLrsPrivacyRepository(connection);
  return {
    component: 'lrs',
    collections: [
      {
        name: 'lrs_statements',
        fields: ['raw (actor, instructor, team)', 'agents', 'relatedAgents', 'refAgents', 'refRelatedAgents'],
        purpose: 'Lernaktivitäten als xAPI-Anweisungen (Nachweis des Lernfortschritts)',
        kept: 'Anweisungen anderer Personen, in denen die Person z. B. als Trainerin genannt ist, bleiben mit einem anonymen Konto an ihrer Stelle.',
      },
      { name: 'lrs_statement_keys', fields: ['_id', 'k (Kennung im Suchschlüssel)'], purpose: 'Suchschlüssel der Anweisungen' },
      { name: 'lrs_documents', fields: ['_id', 'agentKey', 'content'], purpose: 'Lernstand der Inhalte (xAPI State, Agent Profile)' },
      { name: 'lrs_clients', fields: ['limitActor', 'limitActorKey'], purpose: 'Kurzlebige Zugangsdaten für einen Inhaltsstart' },
      { name: 'lrs_attachments.files', fields: ['Inhalt der Anhänge'], purpose: 'Anhänge von Anweisungen' },
      { name: 'lrs_attachments.chunks', fields: ['Inhalt der Anhänge'], purpose: 'Anhänge von Anweisungen' },
    ],
    withoutPersonalData: [
      { name: 'lrs_statement_refs', why: 'nur Anweisungs-IDs' },
      { name: 'lrs_statement_meta', why: 'Zeitspanne der gespeicherten Anweisungen' },
      { name: 'lrs_activities', why: 'Definitionen der Lernaktivitäten' },
      { name: 'lrs_hook_failures', why: 'nur Anweisungs-IDs und Fehlermeldungen fehlgeschlagener Projektionen' },
    ],
    async export(subject, sink) {
      const keys = personKeys(subject);
      const rows = await repo.statements(await repo.statementIds(keys));
      const own = rows.filter((r) => r.agents.some((k) => keys.test(k)));
      sink.json(
        'xapi-anweisungen.json',
        own.map((r) => JSON.parse(r.raw) as unknown),
      );
      // statements of other people that name the person (as trainer, in a team): they hold those
      // people's data, so the export names them by id, verb and time only (Art. 15(4) DSGVO)
      sink.json(
        'xapi-erwaehnungen.json',
        rows
          .filter((r) => !own.includes(r))
          .map((r) => {
            const st = JSON.parse(r.raw) as { verb?: { id?: string }; timestamp?: string };
            return { id: r._id, verb: st.verb?.id, timestamp: st.timestamp, gespeichert: r.stored };
          }),
      );
      const docs = await repo.documents(keys);
      sink.json(
        'xapi-dokumente.json',
        docs.map((d) => ({
          art: d.kind,
          aktivitaet: d.activityId,
          registrierung: d.registration || undefined,
          id: d.docId,
          contentType: d.contentType,
          geaendert: d.updated,
          inhalt: bytesOf(d.content).toString(isText(d.contentType) ? 'utf8' : 'base64'),
        })),
      );
      sink.json('zugangsdaten.json', await repo.credentials(keys));
    },
    async erase(subject, ctx) {
      const keys = personKeys(subject);
      const anonymous = { objectType: 'Agent' as const, name: 'Gelöschte Person', account: { homePage: deps.publicUrl(), name: `geloescht-${ctx.reference}` } };
      const ids = await repo.statementIds(keys);
      const rows = await repo.statements(ids);
      const own = rows.filter((r) => r.agents.some((k) => keys.test(k)));
      const others = rows.filter((r) => !own.includes(r));
      const found = new Set(rows.map((r) => r._id));
      // ids whose statement is gone already (a re-run after a crash): their key rows go too
      await repo.deleteStatements(
        [...own.map((r) => r._id), ...ids.filter((id) => !found.has(id))],
        own.flatMap((r) => r.attachmentHashes),
      );
      for (const r of others) await repo.anonymiseStatement(r, keys, anonymous);
      await repo.deleteDocuments(keys);
      await repo.deleteCredentials(keys);
    },
  };
}
