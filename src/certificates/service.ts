import { randomUUID } from 'node:crypto';
import { noAudit, type AuditPort } from '../privacy/ports.ts';
import { indexBy } from '../shared/batch.ts';
import type { Clock } from '../shared/clock.ts';
import { DomainError, forbidden, notFound } from '../shared/errors.ts';
import { holderView, publicView, type PublicVerification } from './certificate-views.ts';
import { checkCredential, envelope, type CredentialCheck } from './check-credential.ts';
import { buildCredential, signCredential, signStatusList } from './credential.ts';
import { ISSUER_NAME, QUALIFICATION, achievementProfile, issuerProfile, type IssuerUrls } from './issuer.ts';
import type { IssueMode, ModuleLine, SessionLine } from './model.ts';
import { renderCertificatePdf } from './pdf.ts';
import type { Eligibility, EligibilityPort, LearnerScopePort, PeoplePort, PracticePort } from './ports.ts';
import type { Certificate, CertificateRepository } from './repository.ts';
import type { ActiveSigningKey } from './signing-keys.ts';
import { toJwks } from './signing-keys.ts';
import { CURRENT_STATUS_LIST, STATUS_LIST_SIZE, encodeStatusList, randomStatusIndex } from './status-list.ts';
import { formatCode, newVerificationCode, normalizeCode } from './verification-code.ts';
import type { VerifyThrottle } from './verify-throttle.ts';

export interface CertificatesDeps {
  repo: CertificateRepository;
  clock: Clock;
  throttle: VerifyThrottle;
  people: PeoplePort;
  /** The qualification: whether a learner may be certified, on what evidence. */
  eligibility: EligibilityPort;
  /** The qualification's cohorts: which learners a trainer handles. */
  learnerScope: LearnerScopePort;
  signingKey: () => ActiveSigningKey;
  urls: () => IssuerUrls;
  /** Issue and revocation are recorded in the privacy component's audit trail (issue #18). */
  audit?: AuditPort;
  /** The holder's practice (Experimentierräume) where they opted in to show it; none without. */
  practice?: PracticePort;
}

/** Who asks, as the routes know it. */
export interface Actor {
  id: string;
  roles: string[];
}

const DEFAULT_ISSUE_MODE: IssueMode = 'approval';
const ISSUE_ATTEMPTS = 5;

/** Issuing, signing, verifying and revoking the OM-GeZu Lotse certificate. */
export function createCertificateService(deps: CertificatesDeps) {
  const audit = deps.audit ?? noAudit;
  const { repo, clock, throttle, people } = deps;

  const notEligible = (e: Eligibility) =>
    new DomainError('conflict', 'certificates:errors.notEligible', { missing: e.missing.map(({ code, message, fixUrl }) => ({ code, message, fixUrl })) });

  const evidenceOf = (e: Eligibility): { modules: ModuleLine[]; sessions: SessionLine[] } => ({
    modules: e.q1.map((m) => ({ moduleSlug: m.moduleSlug, title: m.title, status: m.status, ...(m.score !== undefined ? { score: m.score } : {}) })),
    sessions: e.q2
      .filter((s) => s.attended)
      .map((s) => ({ topic: s.topic, title: s.title, ...(s.sessionTitle ? { sessionTitle: s.sessionTitle } : {}), ...(s.date ? { date: s.date } : {}) })),
  });

  const scopeOf = (actor: Actor) => deps.learnerScope.learnerScope(actor);
  /** 403 unless the actor handles this learner's certificate as staff (admin, or trainer of their cohort). */
  async function assertHandles(actor: Actor, learnerId: string): Promise<void> {
    if (!(await scopeOf(actor)).includes(learnerId)) throw forbidden('certificates:errors.notYourLearner');
  }

  const service = {
    async issueMode(): Promise<IssueMode> {
      return (await repo.issueMode()) ?? DEFAULT_ISSUE_MODE;
    },
    async setIssueMode(mode: IssueMode, by: string): Promise<void> {
      await repo.setIssueMode(mode, by, clock.now());
    },

    /** The holder's page: current certificate, earlier ones, what is missing, a pending request. */
    async overview(learnerId: string) {
      const [eligibility, certificates, request, mode] = await Promise.all([
        deps.eligibility.eligibility(learnerId),
        repo.listForLearner(learnerId),
        repo.findRequest(learnerId, QUALIFICATION),
        service.issueMode(),
      ]);
      const urls = deps.urls();
      const current = certificates.find((c) => !c.revokedAt);
      return {
        eligibility,
        mode,
        request: request?.state === 'pending' || request?.state === 'rejected' ? request : undefined,
        current: current ? holderView(current, urls) : undefined,
        earlier: certificates.filter((c) => c !== current).map((c) => holderView(c, urls)),
      };
    },

    /**
     * The learner asks for the certificate: refused with what is missing; issued at once in mode
     * "automatic"; otherwise waits for a trainer.
     */
    async request(learnerId: string): Promise<{ outcome: 'issued'; certificate: Certificate } | { outcome: 'pending' }> {
      const eligibility = await deps.eligibility.eligibility(learnerId);
      if (!eligibility.eligible) throw notEligible(eligibility);
      if ((await service.issueMode()) === 'automatic') {
        return { outcome: 'issued', certificate: await service.issue(learnerId, 'system', eligibility) };
      }
      await repo.upsertRequest(learnerId, QUALIFICATION, clock.now());
      return { outcome: 'pending' };
    },

    /** The requests of the learners the actor handles. */
    async pendingRequests(actor: Actor) {
      const scope = await scopeOf(actor);
      const requests = (await repo.pendingRequests(200)).filter((r) => scope.includes(r.learnerId));
      const users = indexBy(await people.findUsers(requests.map((r) => r.learnerId)), (u) => u.id);
      return requests.map((r) => ({ ...r, learnerName: users.get(r.learnerId)?.name ?? '–' }));
    },

    /** A trainer approves: eligibility is checked again (it may have changed since the request). */
    async approve(trainer: Actor, learnerId: string): Promise<Certificate> {
      await assertHandles(trainer, learnerId);
      const certificate = await service.issue(learnerId, trainer.id);
      await repo.decideRequest(learnerId, QUALIFICATION, { state: 'approved', by: trainer.id, at: clock.now() });
      return certificate;
    },
    async reject(trainer: Actor, learnerId: string, reason: string): Promise<void> {
      await assertHandles(trainer, learnerId);
      const request = await repo.findRequest(learnerId, QUALIFICATION);
      if (!request || request.state !== 'pending') throw notFound('certificates:errors.noRequest');
      await repo.decideRequest(learnerId, QUALIFICATION, { state: 'rejected', by: trainer.id, at: clock.now(), reason });
    },

    /**
     * Issues (or re-issues) the certificate: checks eligibility, signs the credential, stores it, and
     * makes it the current one; a previous certificate is revoked as replaced. Each step is safe on
     * its own (no transactions): the new one is stored first under a private key, then the old one
     * revoked, then the new one activated.
     */
    async issue(learnerId: string, issuedBy: string, known?: Eligibility): Promise<Certificate> {
      const eligibility = known ?? (await deps.eligibility.eligibility(learnerId));
      if (!eligibility.eligible) throw notEligible(eligibility);
      const holder = await people.findUser(learnerId);
      if (!holder) throw notFound('certificates:errors.noLearner');
      const { modules, sessions } = evidenceOf(eligibility);
      const issuedAt = new Date(Math.floor(clock.now().getTime() / 1000) * 1000);
      const key = deps.signingKey();
      let created: Certificate | undefined;
      for (let attempt = 0; attempt < ISSUE_ATTEMPTS && !created; attempt++) {
        const credentialId = `urn:uuid:${randomUUID()}`;
        const subjectId = `urn:uuid:${randomUUID()}`;
        const statusListIndex = randomStatusIndex();
        const credential = buildCredential(
          {
            credentialId,
            subjectId,
            holderName: holder.name,
            holderEmail: holder.email,
            issuedAt,
            modules,
            sessions,
            statusListId: CURRENT_STATUS_LIST,
            statusListIndex,
          },
          deps.urls(),
        );
        const jwt = await signCredential(credential, key);
        const result = await repo.insertCertificate({
          credentialId,
          learnerId,
          qualification: QUALIFICATION,
          code: newVerificationCode(),
          activeKey: `pending:${credentialId}`,
          holderName: holder.name,
          subjectId,
          issuedAt,
          issuedBy,
          kid: key.kid,
          jwt,
          statusListId: CURRENT_STATUS_LIST,
          statusListIndex,
          modules,
          sessions,
        });
        // a taken status index or code: draw again
        if (result !== 'duplicate') created = result;
      }
      if (!created) throw new Error('no free status list index or code after several attempts');
      const activeKey = `${learnerId}:${QUALIFICATION}`;
      for (let attempt = 0; attempt < ISSUE_ATTEMPTS; attempt++) {
        const previous = await repo.findActive(learnerId, QUALIFICATION);
        if (previous) {
          await repo.revoke(previous.id, { at: issuedAt, by: issuedBy, reason: 'certificates:revocation.replaced', replacedBy: created.id });
        }
        if ((await repo.activate(created.id, activeKey)) === 'ok') {
          await audit.record({ actorId: issuedBy, action: 'certificate-issue', targetId: learnerId, details: { certificateId: created.id } });
          return (await repo.findById(created.id))!;
        }
      }
      throw new Error('could not make the new certificate the current one');
    },

    /** Revocation by an admin: the page, the API, the upload check and the status list show it at once. */
    async revoke(adminId: string, certificateId: string, reason: string): Promise<Certificate> {
      const c = await repo.findById(certificateId);
      if (!c) throw notFound('certificates:errors.notFound');
      if (c.revokedAt) throw new DomainError('conflict', 'certificates:errors.alreadyRevoked');
      const revoked = (await repo.revoke(c.id, { at: clock.now(), by: adminId, reason }))!;
      // the reason is free text the admin typed: it stays with the certificate, not in the trail
      await audit.record({ actorId: adminId, action: 'certificate-revoke', targetId: c.learnerId, details: { certificateId: c.id } });
      return revoked;
    },

    async recent(limit = 100) {
      const urls = deps.urls();
      return (await repo.listRecent(limit)).map((c) => holderView(c, urls));
    },
    /** The admin's page: the issue mode and the latest certificates. */
    async adminOverview() {
      const [issueMode, certificates] = await Promise.all([service.issueMode(), service.recent()]);
      return { issueMode, certificates };
    },

    /** A code look-up by a visitor; misses count against the client's address (429 when too many). */
    async verifyCode(typed: string, client: string): Promise<PublicVerification> {
      await throttle.assertNotLocked(client);
      const code = normalizeCode(typed);
      const c = code ? await repo.findByCode(code) : undefined;
      if (!c) await throttle.recordFailure(client);
      const view = publicView(c, typed.slice(0, 40), deps.urls());
      // only a valid certificate vouches for its holder's practice
      const practice = c && view.status === 'valid' && deps.practice ? await deps.practice.publicPracticeOf(c.learnerId) : [];
      return practice.length ? { ...view, practice } : view;
    },

    /** The certificate its holder, an admin or a trainer of the holder's cohort may download. */
    async forDownload(certificateId: string, actor: Actor): Promise<Certificate> {
      const c = await repo.findById(certificateId);
      if (!c) throw notFound('certificates:errors.notFound');
      if (c.learnerId !== actor.id && !(await scopeOf(actor)).includes(c.learnerId)) throw forbidden('certificates:errors.notYours');
      return c;
    },
    async pdf(certificateId: string, actor: Actor): Promise<{ certificate: Certificate; pdf: Buffer }> {
      const c = await service.forDownload(certificateId, actor);
      const code = formatCode(c.code);
      const pdf = await renderCertificatePdf({
        holderName: c.holderName,
        issuedAt: c.issuedAt,
        code,
        verifyUrl: deps.urls().verifyPage(code),
        modules: c.modules,
        sessions: c.sessions,
        revokedAt: c.revokedAt,
      });
      return { certificate: c, pdf };
    },
    envelope,

    /** Every public key ever used (rotation keeps old credentials verifiable). */
    async jwks() {
      return toJwks(await repo.signingKeys());
    },
    issuerProfile: () => issuerProfile(deps.urls()),
    achievement: () => achievementProfile(deps.urls()),
    /** What the public pages link to: the key set and the issuer id partners compare against. */
    publicInfo() {
      const urls = deps.urls();
      return { jwksUrl: urls.jwks, issuerId: urls.issuer, issuerName: ISSUER_NAME };
    },

    /** The encoded list, built from the revoked certificates at the moment of asking. */
    async encodedStatusList(listId: number): Promise<string | undefined> {
      if (listId !== CURRENT_STATUS_LIST) return undefined;
      return encodeStatusList(await repo.revokedIndexes(listId), STATUS_LIST_SIZE);
    },
    async statusListCredential(listId: number): Promise<string | undefined> {
      const encodedList = await service.encodedStatusList(listId);
      if (!encodedList) return undefined;
      return signStatusList({ urls: deps.urls(), listId, encodedList, now: clock.now(), key: deps.signingKey() });
    },

    /** The partner's upload check: signature, issuer and status, with our published keys and list. */
    async checkCredential(text: string): Promise<CredentialCheck> {
      const urls = deps.urls();
      return checkCredential(text, {
        urls,
        jwks: () => service.jwks(),
        statusBit: async (listUrl, index) => {
          const m = /\/credentials\/status\/(\d+)$/.exec(listUrl);
          if (!listUrl.startsWith(urls.base) || !m) return undefined;
          const revoked = await repo.revokedIndexes(Number(m[1]));
          return revoked.includes(index);
        },
        revokedAt: async (credentialId) => (await repo.findByCredentialId(credentialId))?.revokedAt ?? undefined,
      });
    },
  };
  return service;
}
export type CertificateService = ReturnType<typeof createCertificateService>;
