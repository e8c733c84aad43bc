import { timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../shared/clock.ts';
import { DomainError, notFound, validationError } from '../../shared/errors.ts';
import { randomToken, sha256Hex } from '../../shared/random.ts';
import { ifiKey } from '../statements/identity.ts';
import { SCOPES, type Agent, type Credential, type Scope } from '../types.ts';
import { isUuid } from '../validation/formats.ts';
import { validateAgent } from '../validation/validate-statement.ts';
import type { ClientRepository, ClientRow } from './repository.ts';
import { noAudit, type AuditPort } from '../../privacy/ports.ts';

/**
 * Secrets are 32 random bytes (256 bits) made by us, so a plain SHA-256 is enough: nobody can guess
 * them, so there is no dictionary to slow down. A slow password hash would instead cost tens of
 * milliseconds on every xAPI request, which content makes by the hundred.
 */
const hashSecret = (secret: string) => sha256Hex(secret);

const CACHE_MS = 10_000;
const TOUCH_MS = 60_000;

export const MINTED_DEFAULT_SCOPES: Scope[] = ['statements/write', 'statements/read/mine', 'state', 'profile'];

export interface NewClient {
  name: string;
  scopes: Scope[];
}

export function createClientService(deps: {
  repo: ClientRepository;
  clock: Clock;
  publicUrl: () => string;
  /** An admin's new or revoked client is a staff action for the audit trail (issue #18). */
  audit?: AuditPort;
}) {
  const { repo, clock } = deps;
  const audit = deps.audit ?? noAudit;
  // recent successful checks, so a burst of requests does not read the client every time
  const cache = new Map<string, { hash: string; credential: Credential; until: number }>();
  const touched = new Map<string, number>();

  const authorityOf = (row: Pick<ClientRow, 'key' | 'name'>): Agent => ({
    objectType: 'Agent',
    name: row.name,
    account: { homePage: `${deps.publicUrl()}/xapi`, name: row.key },
  });

  const toCredential = (row: ClientRow): Credential => {
    const credential: Credential = { key: row.key, name: row.name, scopes: row.scopes as Scope[], authority: authorityOf(row) };
    if (row.limitActor && row.limitActorKey && row.limitRegistration) {
      credential.limit = { actor: JSON.parse(row.limitActor) as Agent, actorKey: row.limitActorKey, registration: row.limitRegistration };
    }
    return credential;
  };

  function checkScopes(scopes: string[]): Scope[] {
    const bad = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
    if (bad.length || !scopes.length) {
      throw validationError('lrs:errors.badScopes', [{ field: 'scopes', message: 'lrs:errors.badScopes' }]);
    }
    return scopes as Scope[];
  }

  return {
    /** A new client; the secret is returned once and only its hash is kept. `by`: the admin, for the audit trail. */
    async create(input: NewClient, by?: string): Promise<{ client: ClientRow; secret: string }> {
      const scopes = checkScopes(input.scopes);
      const key = randomToken(15);
      const secret = randomToken(32);
      const row = await repo.insert({
        key,
        secretHash: hashSecret(secret),
        name: input.name,
        scopes,
        createdAt: clock.now(),
        lastUsedAt: null,
        revokedAt: null,
        expiresAt: null,
        limitActor: null,
        limitActorKey: null,
        limitRegistration: null,
      });
      if (row === 'duplicate') throw new DomainError('conflict', 'lrs:errors.keyTaken');
      if (by) await audit.record({ actorId: by, action: 'lrs-credential-create', targetId: row.id, details: { scopes } });
      return { client: row, secret };
    },

    list: () => repo.listAdminClients(),

    async revoke(id: string, by?: string): Promise<ClientRow> {
      const row = await repo.revoke(id, clock.now());
      if (!row) throw notFound('lrs:errors.noClient');
      cache.delete(row.key);
      if (by) await audit.record({ actorId: by, action: 'lrs-credential-revoke', targetId: row.id });
      return row;
    },

    /** LRS_SEED_KEY/LRS_SEED_SECRET: an all-scoped client with exactly these credentials exists. */
    async ensureSeed(key: string, secret: string): Promise<void> {
      const existing = await repo.findByKey(key);
      if (!existing) {
        const row = await repo.insert({
          key,
          secretHash: hashSecret(secret),
          name: 'Seed client',
          scopes: ['all'],
          createdAt: clock.now(),
          lastUsedAt: null,
          revokedAt: null,
          expiresAt: null,
          limitActor: null,
          limitActorKey: null,
          limitRegistration: null,
        });
        if (row !== 'duplicate') return;
      }
      await repo.update(key, { secretHash: hashSecret(secret), scopes: ['all'], revokedAt: null });
      cache.delete(key);
    },

    /** Short-lived credentials for one learner and one registration (xAPI/cmi5 launches). */
    async mint(input: { actor: Agent; registration: string; ttlSeconds: number; scopes?: Scope[] }) {
      const problems: Array<{ field: string; message: string }> = [];
      validateAgent(problems, 'actor', input.actor);
      if (!isUuid(input.registration)) problems.push({ field: 'registration', message: 'lrs:errors.registrationNotUuid' });
      if (problems.length) throw validationError('lrs:errors.badMint', problems);
      const scopes = checkScopes(input.scopes ?? MINTED_DEFAULT_SCOPES);
      const key = randomToken(15);
      const secret = randomToken(32);
      const expiresAt = new Date(clock.now().getTime() + input.ttlSeconds * 1000);
      const row = await repo.insert({
        key,
        secretHash: hashSecret(secret),
        name: 'Launch',
        scopes,
        createdAt: clock.now(),
        lastUsedAt: null,
        revokedAt: null,
        expiresAt,
        limitActor: JSON.stringify(input.actor),
        limitActorKey: ifiKey(input.actor)!,
        limitRegistration: input.registration.toLowerCase(),
      });
      if (row === 'duplicate') throw new DomainError('conflict', 'lrs:errors.keyTaken');
      return { key, secret, authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`, expiresAt };
    },

    /** The credential of an Authorization header; 401 without one or with a wrong, revoked or expired one. */
    async authenticate(header: string | undefined): Promise<Credential> {
      const unauthenticated = () => new DomainError('unauthenticated', 'lrs:errors.unauthenticated');
      const m = /^Basic\s+([A-Za-z0-9+/=._-]+)\s*$/i.exec(header ?? '');
      if (!m) throw unauthenticated();
      const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 1) throw unauthenticated();
      const key = decoded.slice(0, colon);
      const hash = hashSecret(decoded.slice(colon + 1));
      const now = clock.now().getTime();
      const hit = cache.get(key);
      if (hit && hit.until > now && hit.hash === hash) return hit.credential;
      const row = await repo.findByKey(key);
      const same = row && timingSafeEqual(Buffer.from(row.secretHash, 'hex'), Buffer.from(hash, 'hex'));
      if (!row || !same || row.revokedAt || (row.expiresAt && row.expiresAt.getTime() <= now)) throw unauthenticated();
      const credential = toCredential(row);
      const until = Math.min(now + CACHE_MS, row.expiresAt?.getTime() ?? Infinity);
      cache.set(key, { hash, credential, until });
      if ((touched.get(key) ?? 0) + TOUCH_MS < now) {
        touched.set(key, now);
        await repo.touch(key, clock.now());
      }
      return credential;
    },

    deleteExpired: () => repo.deleteExpired(clock.now()),
  };
}
export type ClientService = ReturnType<typeof createClientService>;
