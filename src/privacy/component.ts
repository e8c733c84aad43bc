import path from 'node:path';
import type { AppContext } from '../app-context.ts';
import { undeclaredCollections } from './coverage.ts';
import type { PersonalDataEntry } from './contract.ts';
import type { PrivacyFoundation } from './foundation.ts';
import { createErasureRunner } from './erasure/run-erasure.ts';
import { createPrivacyMails } from './mails.ts';
import { createErasureService } from './erasure/erasure-service.ts';
import { createExportService } from './export/export-service.ts';
import type { PeoplePort } from './ports.ts';
import { platformEntry, privacyOwnEntry } from './privacy-entry.ts';
import { createPrivacyRegistry } from './registry.ts';
import { createRetention } from './retention.ts';
import { privacyRoutes } from './routes.ts';
import { createPrivacyService } from './service.ts';
import type { PrivacySettings } from './settings.ts';

export interface PrivacyComponentDeps {
  /** Made first by the composition root (foundation.ts): the audit trail the other components already hold. */
  foundation: PrivacyFoundation;
  people: PeoplePort;
  /** Every other component's entry (entries.ts componentPrivacyEntries). */
  entries: PersonalDataEntry[];
  settings: PrivacySettings;
}

/**
 * Wires the privacy component: register → export, erasure, retention, audit trail, consent → routes.
 * The audit trail and the consent record come from the foundation the other components got first.
 */
export function createPrivacyComponent(ctx: AppContext, deps: PrivacyComponentDeps) {
  const { clock, logger } = ctx;
  const mails = createPrivacyMails({ mailer: ctx.mailer, texts: ctx.texts, publicUrl: ctx.publicUrl });
  const { settings } = deps;
  const { repo, audit } = deps.foundation;
  const registry = createPrivacyRegistry([...deps.entries, privacyOwnEntry(repo), platformEntry()]);
  const common = { repo, people: deps.people, audit, mails, clock, logger, settings, publicUrl: ctx.publicUrl };
  const run = createErasureRunner({
    repo,
    registry,
    clock,
    logger,
    lock: (id) => deps.people.lock(id),
    onDone: async (e) => {
      await audit.record({ actorId: e.confirmedBy ?? 'system', action: 'erasure-done', targetId: e.reference });
      if (e.subject) {
        await mails.erasureDone(e.subject, e.reference);
      }
    },
  });
  const erasures = createErasureService({ ...common, run });
  const exports = createExportService({ ...common, registry });
  const retention = createRetention({ ...common, erasures, exports, outboxDir: path.join(ctx.config.dataDir, 'outbox') });
  const service = createPrivacyService({
    repo,
    consent: deps.foundation.consent,
    activity: deps.foundation.activity,
    people: deps.people,
    registry,
    exports,
    erasures,
    audit,
    settings,
  });

  ctx.jobs.every('privacy-erasures', 15 * 60_000, async () => {
    await erasures.runDue();
  });
  ctx.jobs.every('privacy-exports', 5 * 60_000, () => exports.runDue());
  ctx.jobs.every('privacy-retention', 24 * 60 * 60_000, async () => {
    await retention.run();
  });

  return {
    service,
    audit,
    registry,
    retention,
    run,
    webRouter: privacyRoutes(service),
    async start() {
      await repo.init();
      const undeclared = await undeclaredCollections(ctx.connection, registry);
      if (undeclared.length) logger.warn({ undeclared }, 'Datenschutz: Sammlungen ohne Eintrag im Verzeichnis (src/privacy/entries.ts)');
    },
    async close() {
      await Promise.all([exports.settle(), erasures.settle()]);
    },
  };
}
export type PrivacyComponent = ReturnType<typeof createPrivacyComponent>;
