import type { Readable } from 'node:stream';
import type { Clock } from '../../shared/clock.ts';
import { DomainError, conflict, forbidden, notFound } from '../../shared/errors.ts';
import type { Logger } from '../../shared/logger.ts';
import type { PrivacyMails } from '../mails.ts';
import { randomToken, sha256Hex } from '../../shared/random.ts';
import { subjectOf, type AuditPort, type PeoplePort } from '../ports.ts';
import type { PrivacyRegistry } from '../registry.ts';
import type { ExportJob, PrivacyRepository } from '../repository.ts';
import type { PrivacySettings } from '../settings.ts';
import type { Actor } from '../erasure/erasure-service.ts';
import { buildExport } from './build-export.ts';

const LEASE_MS = 15 * 60_000;
const isAdmin = (a: Actor) => a.roles.includes('admin');

/**
 * Data exports (Art. 15, 20 DSGVO). A request queues a job; the job is built in the background (in
 * the requesting process at once, else by the scheduled job after a restart), stored as a zip, and
 * its one-time link (valid PRIVACY_EXPORT_LINK_HOURS) is mailed to the person. Only they can use it:
 * the link works only while signed in as its owner, and once.
 */
export function createExportService(deps: {
  repo: PrivacyRepository;
  registry: PrivacyRegistry;
  people: PeoplePort;
  audit: AuditPort;
  mails: PrivacyMails;
  clock: Clock;
  logger: Logger;
  settings: PrivacySettings;
  publicUrl: () => string;
}) {
  const { repo, clock } = deps;
  const running = new Set<Promise<unknown>>();

  async function build(id: string): Promise<ExportJob | undefined> {
    const now = clock.now();
    const job = await repo.updateExport(
      id,
      { $or: [{ state: 'queued' }, { state: 'running', leaseUntil: { $lt: now } }] },
      { state: 'running', leaseUntil: new Date(now.getTime() + LEASE_MS) },
    );
    if (!job) return undefined;
    try {
      const person = await deps.people.findUser(job.userId);
      if (!person) throw new Error('person not found');
      const upload = repo.openFileUpload(`auskunft-${job.id}.zip`);
      await buildExport({ subject: subjectOf(person, deps.publicUrl()), registry: deps.registry, out: upload, now });
      const token = randomToken(32);
      const expiresAt = new Date(clock.now().getTime() + deps.settings.exportLinkHours * 3600_000);
      const ready = await repo.updateExport(
        id,
        {},
        { state: 'ready', readyAt: clock.now(), expiresAt, tokenHash: sha256Hex(token), fileId: upload.id.toString(), bytes: upload.length, leaseUntil: null },
      );
      await deps.mails.exportReady(person, token, expiresAt);
      return ready;
    } catch (err) {
      deps.logger.error({ err, exportId: id }, 'export failed');
      await repo.updateExport(id, {}, { state: 'failed', leaseUntil: null, lastError: (err instanceof Error ? err.message : String(err)).slice(0, 500) });
      return undefined;
    }
  }

  function buildSoon(id: string): void {
    const p = build(id).finally(() => running.delete(p));
    running.add(p);
  }

  return {
    exportsOf: (userId: string) => repo.exportsOf(userId),

    /** Queues an export for `userId` (the person, or an admin on their behalf). One at a time. */
    async request(actor: Actor, userId: string): Promise<ExportJob> {
      if (actor.id !== userId && !isAdmin(actor)) throw forbidden();
      if (!(await deps.people.findUser(userId))) throw notFound('privacy:errors.personNotFound');
      const pending = (await repo.exportsOf(userId, 5)).find((e) => e.state === 'queued' || e.state === 'running');
      if (pending) throw conflict('privacy:errors.exportPending');
      const job = await repo.insertExport({
        userId,
        requestedBy: actor.id,
        state: 'queued',
        createdAt: clock.now(),
        readyAt: null,
        expiresAt: null,
        tokenHash: null,
        fileId: null,
        bytes: 0,
        leaseUntil: null,
        lastError: null,
      });
      if (actor.id !== userId) await deps.audit.record({ actorId: actor.id, action: 'export', targetId: userId });
      buildSoon(job.id);
      return job;
    },

    /** The zip behind a link, once, for its owner; the file is deleted when the stream ends. */
    async download(actor: Actor, token: string): Promise<{ stream: Readable; bytes: number; fileName: string }> {
      const taken = await repo.takeExport(sha256Hex(token), actor.id, clock.now());
      if (taken === 'spent') throw new DomainError('gone', 'privacy:errors.exportSpent');
      if (!taken?.fileId) throw notFound('privacy:errors.exportNotFound');
      const fileId = taken.fileId;
      const stream = repo.openFile(fileId);
      stream.once('end', () => void repo.deleteFile(fileId).then(() => repo.updateExport(taken.id, {}, { fileId: null })));
      return { stream, bytes: taken.bytes, fileName: `gezu-lotse-auskunft-${taken.createdAt.toISOString().slice(0, 10)}.zip` };
    },

    /** Builds what is queued (after a restart) and removes zips whose link ran out. */
    async runDue(): Promise<void> {
      for (const id of await repo.queuedExports(clock.now())) await build(id);
      for (const e of await repo.expiredExports(clock.now())) {
        if (e.fileId) await repo.deleteFile(e.fileId);
        await repo.updateExport(e.id, {}, { state: e.state === 'ready' ? 'expired' : e.state, fileId: null });
      }
    },

    async settle(): Promise<void> {
      await Promise.allSettled([...running]);
    },
  };
}
export type ExportService = ReturnType<typeof createExportService>;
