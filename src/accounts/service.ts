import type { Clock } from '../shared/clock.ts';
import { DomainError, conflict, notFound, validationError } from '../shared/errors.ts';
import type { Texts } from '../i18n/i18n.ts';
import type { Mailer } from '../shared/mailer.ts';
import { randomPassword, randomToken, sha256Hex } from '../shared/random.ts';
import type { LoginThrottle } from './login-throttle.ts';
import type { ResetThrottle } from './reset-throttle.ts';
import { dummyPasswordHash, hashPassword, verifyPassword } from './password.ts';
import type { AccountRepository } from './repository.ts';
import type { Region, Role, SessionUser } from './roles.ts';
import type { ProfileInput, RegisterInput } from './schemas.ts';
import { noAudit, type AuditPort } from '../privacy/ports.ts';
import type { ActivityPort, ConsentPort } from '../privacy/foundation.ts';

const RESET_TTL_MINUTES = 60;

/** The demo's certified Lotse: the certificates and the rooms give her a certificate and a room at start (src/app.ts). */
export const DEMO_LOTSE_EMAIL = 'lotsin@demo.gezu-lotse.de';

export interface AccountsDeps {
  repo: AccountRepository;
  throttle: LoginThrottle;
  resetThrottle: ResetThrottle;
  mailer: Mailer;
  /** German texts for the mails. */
  texts: Texts;
  clock: Clock;
  /** Base of links in e-mails, e.g. https://lotse.example.de */
  publicUrl: () => string;
  /** Where role changes and (de)activations are recorded (the privacy component's audit trail). */
  audit?: AuditPort;
  /** Records the registration's acknowledgement of the privacy notice, with its version. */
  consent?: ConsentPort;
  /** A sign-in is noted for the retention schedule (accounts unused for years are erased). */
  activity?: ActivityPort;
}

/** Accounts and roles: registration, sign-in, passwords and the admin's user management. */
export function createAccountService(deps: AccountsDeps) {
  const { repo, throttle, resetThrottle, mailer, clock } = deps;
  const audit = deps.audit ?? noAudit;
  return {
    async register(input: RegisterInput): Promise<SessionUser> {
      const created = await repo.insertUser({
        name: input.name,
        email: input.email,
        organisation: input.organisation,
        region: input.region,
        roles: ['learner'],
        passwordHash: await hashPassword(input.password),
      });
      if (created === 'duplicate') {
        throw validationError('accounts:errors.emailTaken', [{ field: 'email', message: 'accounts:errors.emailTaken' }]);
      }
      if (input.privacyNotice === 'yes') await deps.consent?.record(created.id);
      return created;
    },

    /**
     * A light account for a company participant of an Experimentierraum (src/rooms): role guest only,
     * consent recorded like a registration's. The caller has checked the form (consent ticked).
     */
    async registerGuest(input: { name: string; email: string; organisation: string; region: Region; password: string }): Promise<SessionUser> {
      const created = await repo.insertUser({ ...input, roles: ['guest'], passwordHash: await hashPassword(input.password) });
      if (created === 'duplicate') {
        throw validationError('accounts:errors.emailTaken', [{ field: 'email', message: 'accounts:errors.emailTaken' }]);
      }
      await deps.consent?.record(created.id);
      return created;
    },

    /** Checks the password; throttles failures per account and IP; refuses deactivated accounts. */
    async authenticate(email: string, password: string, ip: string): Promise<SessionUser> {
      await throttle.assertNotLocked(email, ip);
      const user = await repo.findByEmailWithHash(email);
      const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
      if (!user || !ok) {
        await throttle.recordFailure(email, ip);
        throw new DomainError('unauthenticated', 'accounts:errors.badCredentials');
      }
      if (!user.active) throw new DomainError('forbidden', 'accounts:errors.inactive');
      await throttle.recordSuccess(email, ip);
      await deps.activity?.seen(user.id);
      const { passwordHash: _omit, ...plain } = user;
      return plain;
    },

    findUser: (id: string) => repo.findById(id),
    findUsers: (ids: string[]) => repo.findByIds(ids),
    findUsersByEmails: (emails: string[]) => repo.findByEmails(emails),

    async updateProfile(userId: string, input: ProfileInput): Promise<SessionUser> {
      const u = await repo.update(userId, input);
      if (!u) throw notFound();
      return u;
    },

    /** A new password ends every other session of the user (sessionVersion). */
    async changePassword(userId: string, current: string, next: string): Promise<SessionUser> {
      const hash = await repo.findHash(userId);
      if (!hash || !(await verifyPassword(hash, current))) {
        throw validationError('accounts:errors.currentPassword', [{ field: 'currentPassword', message: 'accounts:errors.currentPassword' }]);
      }
      const u = await repo.update(userId, { passwordHash: await hashPassword(next) }, true);
      if (!u) throw notFound();
      return u;
    },

    /**
     * Sends a one-time link when the address is known; says nothing either way (no enumeration).
     * Requests are counted per address and per client address, known or not (429 when too many).
     */
    async requestPasswordReset(email: string, client: string): Promise<void> {
      await resetThrottle.count(email, client);
      const user = await repo.findByEmailWithHash(email);
      if (!user || !user.active) return;
      const token = randomToken(32);
      const expiresAt = new Date(clock.now().getTime() + RESET_TTL_MINUTES * 60_000);
      await repo.insertResetToken({ tokenHash: sha256Hex(token), userId: user.id, expiresAt });
      const t = deps.texts;
      await mailer.send({
        to: user.email,
        subject: t('accounts:mails.reset.subject'),
        text: [
          t('accounts:mails.reset.greeting', { name: user.name }),
          '',
          t('accounts:mails.reset.intro', { minutes: RESET_TTL_MINUTES }),
          `${deps.publicUrl()}/password/reset/${token}`,
          '',
          t('accounts:mails.reset.ignore'),
        ].join('\n'),
      });
    },

    /** True when the token can still be used (to show the form or a clear message). */
    async resetTokenUsable(token: string): Promise<boolean> {
      const t = await repo.findResetToken(sha256Hex(token));
      return Boolean(t && !t.usedAt && t.expiresAt > clock.now());
    },

    /** Sets the password with a link; every other link of the user stops working with it. */
    async resetPassword(token: string, password: string): Promise<SessionUser> {
      const userId = await repo.consumeResetToken(sha256Hex(token), clock.now());
      if (!userId) throw new DomainError('not-found', 'accounts:errors.resetInvalid');
      await repo.invalidateResetTokens(userId, clock.now());
      const u = await repo.update(userId, { passwordHash: await hashPassword(password) }, true);
      if (!u) throw notFound();
      return u;
    },

    searchUsers: (q: { q?: string; role?: Role; page: number }, pageSize = 25) =>
      repo.search({ q: q.q, role: q.role, skip: (q.page - 1) * pageSize, limit: pageSize }),

    async setRoles(actorId: string, userId: string, roles: Role[]): Promise<SessionUser> {
      if (actorId === userId && !roles.includes('admin')) throw conflict('accounts:errors.ownAdmin');
      const u = await repo.update(userId, { roles });
      if (!u) throw notFound();
      await audit.record({ actorId, action: 'role-change', targetId: userId, details: { roles } });
      return u;
    },

    /** Deactivation ends the user's sessions at once (their sessionVersion no longer matches). */
    async setActive(actorId: string, userId: string, active: boolean): Promise<SessionUser> {
      if (actorId === userId && !active) throw conflict('accounts:errors.ownDeactivate');
      const u = await repo.update(userId, { active }, !active);
      if (!u) throw notFound();
      await audit.record({ actorId, action: 'account-active', targetId: userId, details: { active } });
      return u;
    },

    /**
     * On an empty database: one account per role with a random password, returned once to print, and
     * the demo Lotse (a learner whom the certificates' and rooms' demo data certify and give a room).
     */
    async createDemoAccounts(): Promise<Array<{ email: string; password: string; roles: Role[] }> | undefined> {
      if ((await repo.countUsers()) > 0) return undefined;
      const people: Array<{ name: string; email: string; roles: Role[] }> = [
        { name: 'Anna Admin', email: 'admin@demo.gezu-lotse.de', roles: ['admin'] },
        { name: 'Tobias Trainer', email: 'trainer@demo.gezu-lotse.de', roles: ['trainer'] },
        { name: 'Aylin Autorin', email: 'autorin@demo.gezu-lotse.de', roles: ['author'] },
        { name: 'Lena Lernende', email: 'lernende@demo.gezu-lotse.de', roles: ['learner'] },
        { name: 'Lara Lotsin', email: DEMO_LOTSE_EMAIL, roles: ['learner'] },
      ];
      const out = [];
      for (const p of people) {
        const password = randomPassword();
        await repo.insertUser({ ...p, organisation: 'Demo-Beratung GmbH', region: 'baden-wuerttemberg', passwordHash: await hashPassword(password) });
        out.push({ email: p.email, password, roles: p.roles });
      }
      return out;
    },
  };
}
export type AccountService = ReturnType<typeof createAccountService>;
