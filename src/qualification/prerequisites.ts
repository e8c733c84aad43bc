import { noAudit, type AuditPort } from '../privacy/ports.ts';
import { indexBy } from '../shared/batch.ts';
import type { Clock } from '../shared/clock.ts';
import { DomainError, forbidden, notFound } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { sniffEvidenceType } from './evidence-check.ts';
import type { RegistrationMails } from './mails.ts';
import type { PrerequisiteItem } from './model.ts';
import type { LearnerScopes } from './learner-scope.ts';
import type { DirectoryPort, Person, TempFile, Viewer } from './ports.ts';
import type { EvidenceFile, PrerequisiteKind, PrerequisiteRepository, Prerequisites } from './prerequisite-repository.ts';

/** Entry, evidence and verification of the two admission prerequisites. */
export function createPrerequisiteService(deps: {
  repo: PrerequisiteRepository;
  scopes: LearnerScopes;
  directory: DirectoryPort;
  mails: RegistrationMails;
  clock: Clock;
  logger: Logger;
  /** Decisions on evidence are staff actions: they go into the audit trail (issue #18). */
  audit?: AuditPort;
}) {
  const { repo, clock, scopes } = deps;
  const audit = deps.audit ?? noAudit;

  /** A learner's change makes the item pending again, keeping the evidence; a verified item changes only by data. */
  async function save(learnerId: string, kind: PrerequisiteKind, data: Partial<PrerequisiteItem>): Promise<Prerequisites> {
    const current = await repo.get(learnerId);
    const old = current[kind];
    const next: PrerequisiteItem = {
      ...data,
      evidenceFileId: old.evidenceFileId,
      evidenceName: old.evidenceName,
      evidenceType: old.evidenceType,
      state: 'pending',
      source: 'learner',
      updatedAt: clock.now(),
    };
    const unchanged =
      old.state === 'verified' &&
      (['number', 'partner', 'place'] as const).every((k) => (old[k] ?? '') === (data[k] ?? '')) &&
      old.date?.getTime() === data.date?.getTime();
    if (unchanged) return current;
    await repo.putItem(learnerId, kind, next);
    return repo.get(learnerId);
  }

  async function attachEvidence(learnerId: string, kind: PrerequisiteKind, file: TempFile): Promise<Prerequisites> {
    const sniffed = await sniffEvidenceType(file.path);
    if (!sniffed) throw new DomainError('unsupported', 'qualification:errors.evidenceType');
    const current = await repo.get(learnerId);
    const item = current[kind];
    if (item.state === 'missing') throw new DomainError('conflict', 'qualification:errors.evidenceBeforeData');
    const safeName = `${kind}-nachweis.${sniffed.ext}`;
    const fileId = await repo.storeEvidence(file.path, { learnerId, kind, contentType: sniffed.type, fileName: safeName });
    // a decision was about the old file: new evidence asks for a new one, also after a verification
    const { decidedBy: _by, decidedAt: _at, reason: _reason, ...undecided } = item;
    await repo.putItem(learnerId, kind, {
      ...undecided,
      evidenceFileId: fileId,
      evidenceName: file.originalName.slice(0, 200),
      evidenceType: sniffed.type,
      state: 'pending',
      updatedAt: clock.now(),
    });
    if (item.evidenceFileId) await repo.deleteEvidence(item.evidenceFileId);
    return repo.get(learnerId);
  }

  return {
    get: (learnerId: string) => repo.get(learnerId),

    saveAuthorisation: (learnerId: string, input: { number: string; date: Date; partner: string }) => save(learnerId, 'authorisation', input),
    saveWorkshop: (learnerId: string, input: { date: Date; place: string }) => save(learnerId, 'workshop', input),

    /**
     * Stores a checked upload as the evidence of one item (replacing an older file). Refuses anything
     * that is not PDF, PNG or JPEG by its content; the item must have been entered first. The temp
     * file is removed afterwards, stored or refused.
     */
    async attachEvidence(learnerId: string, kind: PrerequisiteKind, file: TempFile): Promise<Prerequisites> {
      try {
        return await attachEvidence(learnerId, kind, file);
      } finally {
        await file.done();
      }
    },

    /** The evidence file, for the learner it belongs to, the trainers of their cohorts and admins only. */
    async evidenceFor(viewer: Viewer, fileId: string): Promise<EvidenceFile> {
      const f = await repo.findEvidence(fileId);
      if (!f) throw notFound('qualification:errors.evidenceNotFound');
      if (f.learnerId !== viewer.id && !(await scopes.of(viewer)).includes(f.learnerId)) throw forbidden('qualification:errors.evidenceForbidden');
      return f;
    },
    openEvidence: (fileId: string) => repo.openEvidence(fileId),

    /** The decision of an admin or a trainer of the learner's cohort; who and when are kept, a rejection needs a reason. */
    async decide(
      decider: Viewer,
      learnerId: string,
      kind: PrerequisiteKind,
      decision: 'verified' | 'rejected',
      reason: string | undefined,
    ): Promise<Prerequisites> {
      await scopes.assertIncludes(decider, learnerId);
      const current = await repo.get(learnerId);
      const item = current[kind];
      if (item.state === 'missing') throw new DomainError('conflict', 'qualification:errors.nothingToDecide');
      if (decision === 'rejected' && !reason?.trim()) {
        throw new DomainError('validation', 'qualification:errors.reasonRequired', {
          fields: [{ field: 'reason', message: 'qualification:errors.reasonRequired' }],
        });
      }
      await repo.putItem(learnerId, kind, {
        ...item,
        state: decision,
        decidedBy: decider.id,
        decidedAt: clock.now(),
        reason: decision === 'rejected' ? reason?.trim() : undefined,
      });
      await audit.record({ actorId: decider.id, action: 'evidence-decision', targetId: learnerId, details: { kind, decision } });
      await deps.mails.decided(learnerId, kind, decision, reason?.trim()).catch((err: unknown) => deps.logger.warn({ err }, 'decision mail failed'));
      return repo.get(learnerId);
    },

    /** Learners the viewer may decide on who wait for a decision, with their names. */
    async pending(viewer: Viewer): Promise<Array<Prerequisites & { person?: Person }>> {
      const scope = await scopes.of(viewer);
      const list = (await repo.listPending()).filter((p) => scope.includes(p.learnerId));
      const people = indexBy(await deps.directory.findUsers(list.map((p) => p.learnerId)), (u) => u.id);
      return list.map((p) => ({ ...p, person: people.get(p.learnerId) }));
    },
  };
}
export type PrerequisiteService = ReturnType<typeof createPrerequisiteService>;
