import type { Connection } from 'mongoose';
import type { PersonalDataEntry } from '../privacy/contract.ts';
import { createCertificatePrivacyRepository } from './privacy-repository.ts';
import { formatCode } from './verification-code.ts';

/**
 * The certificates' entry in the privacy register. `pdf` renders a certificate as its holder gets
 * it (the certificates service); the export holds the PDF and the signed credential of each one.
 */
export function certificatesPrivacy(connection: Connection, deps: { pdf: (certificateId: string, learnerId: string) => Promise<Buffer> }): PersonalDataEntry {
  const repo = createCertificatePrivacyRepository(connection);
  return {
    component: 'certificates',
    collections: [
      {
        name: 'certificates',
        fields: ['learnerId', 'holderName', 'jwt', 'activeKey', 'issuedBy', 'revokedBy'],
        purpose: 'Ausgestellte Zertifikate und ihre Prüfbarkeit (Nachweis der Qualifizierung)',
        kept: 'Der Registereintrag bleibt ohne Namen und Kennung (Code, Ausstellungs- und Widerrufsdatum, Statuslisten-Platz), widerrufen mit dem Grund „gelöscht“: so antwortet die Prüfung eines vorgelegten Zertifikats „widerrufen“ statt „unbekannt“ (Schutz vor Fälschung, Art. 17 Abs. 3 lit. b/e DSGVO).',
      },
      { name: 'certificate_requests', fields: ['learnerId', 'decidedBy'], purpose: 'Anfragen auf Ausstellung (Freigabe durch Trainer)' },
      { name: 'certificate_settings', fields: ['updatedBy'], purpose: 'Einstellungen der Ausstellung (wer sie zuletzt geändert hat)' },
      {
        name: 'certificate_verify_failures',
        fields: ['key (IP-Adresse)'],
        purpose: 'Schutz der öffentlichen Prüfung vor Durchprobieren von Codes',
        kept: 'Keiner Person zugeordnet; nach 15 Minuten gelöscht.',
      },
    ],
    withoutPersonalData: [{ name: 'certificate_signing_keys', why: 'öffentliche Schlüssel der Aussteller' }],
    async export(subject, sink) {
      const certificates = await repo.ofLearner(subject.id);
      sink.json(
        'zertifikate.json',
        certificates.map(({ jwt: _jwt, activeKey: _a, ...c }) => ({ ...c, _id: String(c._id), code: formatCode(c.code) })),
      );
      sink.json('anfragen.json', await repo.requestsOf(subject.id));
      for (const c of certificates) {
        const id = String(c._id);
        sink.file(`zertifikat-${formatCode(c.code)}.pdf`, await deps.pdf(id, subject.id));
        if (c.jwt) sink.file(`zertifikat-${formatCode(c.code)}.jwt`, c.jwt);
      }
    },
    async erase(subject, ctx) {
      await repo.erase(subject.id, ctx);
    },
  };
}
