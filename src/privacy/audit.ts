import type { Clock } from '../shared/clock.ts';
import type { AuditDoc } from './model.ts';
import type { AuditPort } from './ports.ts';
import type { PrivacyRepository } from './repository.ts';

const CSV_HEADER = ['Zeitpunkt (UTC)', 'Handelnde Person (ID)', 'Aktion', 'Betroffen (ID)', 'Details'];

/** A CSV cell: quoted when needed; a leading = + - @ is defused so a spreadsheet never runs it as a formula. */
function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[";\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The audit trail of staff actions: recorded by the components, read and exported by admins. */
export function createAuditTrail(deps: { repo: PrivacyRepository; clock: Clock }) {
  const record: AuditPort['record'] = async (e) => {
    await deps.repo.insertAudit({
      at: deps.clock.now(),
      actorId: e.actorId,
      action: e.action,
      targetId: e.targetId ?? '',
      details: e.details ? JSON.stringify(e.details) : '',
    });
  };
  return {
    record,
    list: (q: { before?: Date; action?: string; limit?: number }) => deps.repo.listAudit({ ...q, limit: q.limit ?? 100 }),
    /** Every entry, newest first, as CSV (semicolons, as German spreadsheets open them; UTF-8 with BOM). */
    async csv(): Promise<string> {
      // bounded by the retention schedule (PRIVACY_AUDIT_YEARS), so one read is fine
      const rows: AuditDoc[] = await deps.repo.listAudit({ limit: 1_000_000 });
      const lines = [CSV_HEADER, ...rows.map((r) => [r.at.toISOString(), r.actorId, r.action, r.targetId, r.details])].map((l) => l.map(cell).join(';'));
      return `\uFEFF${lines.join('\r\n')}\r\n`;
    },
  };
}
export type AuditTrail = ReturnType<typeof createAuditTrail>;
