import { DomainError } from '../shared/errors.ts';
import type { DocumentScope } from './documents/repository.ts';
import { ifiKey } from './statements/identity.ts';
import type { StatementFilter } from './statements/statement-keys.ts';
import type { Actor, Credential, Scope, Statement } from './types.ts';

/**
 * Who may do what, in one place: the scopes an action needs (xAPI 1.0.3 Communication §4.2, scope
 * list) and the limits of a minted launch credential (one learner, one registration). The use cases
 * call these before they touch anything (store-statements, read-statements, the document service,
 * the Activities and Agents resources); routes only parse. The app's own credential has scope `all`
 * and no limit, so calls from other components pass.
 */
export type LrsAction = 'statements:read' | 'statements:write' | 'state:read' | 'state:write' | 'profile:read' | 'profile:write' | 'activities-agents:read';

const NEEDS: Record<LrsAction, Scope[]> = {
  'statements:read': ['statements/read', 'statements/read/mine', 'all/read'],
  'statements:write': ['statements/write'],
  'state:read': ['state', 'all/read'],
  'state:write': ['state'],
  'profile:read': ['profile', 'all/read'],
  'profile:write': ['profile'],
  'activities-agents:read': ['all/read', 'profile', 'define', 'statements/read', 'statements/read/mine', 'state'],
};

/** 403 unless the credential has one of the scopes the action needs (`all` has every one). */
export function requireAccess(credential: Credential, action: LrsAction): void {
  const needed = NEEDS[action];
  if (!credential.scopes.some((s) => s === 'all' || needed.includes(s))) {
    throw new DomainError('forbidden', 'lrs:errors.missingScope', { scopes: needed.join(', ') });
  }
}

type Limit = NonNullable<Credential['limit']>;

/**
 * The learner's own actor: an Agent with the learner's IFI. A Group carrying the learner's IFI or
 * listing them as a member is someone else's statement, and its stored agent keys would name the group.
 */
const isLearner = (actor: Actor, limit: Limit): boolean => actor.objectType !== 'Group' && ifiKey(actor) === limit.actorKey;
const isOwn = (s: Pick<Statement, 'actor' | 'context'>, limit: Limit): boolean => isLearner(s.actor, limit) && s.context?.registration === limit.registration;

/** The stored statements a voiding check reads (by id); a port, so this file needs no repository. */
export type FindStatements = (ids: string[]) => Promise<Array<{ statementId: string; raw: string }>>;

/**
 * Writing statements, after the scope (requireAccess) and validation: a minted credential's limit. It writes only its learner's
 * statements in its registration, and voids only such statements that are stored already or sent in
 * the same request. An unknown target is refused as well: a voiding statement stored before its
 * target would void whatever arrives later under that id. `voidTargets` are the lower-cased ids the
 * statements void (Data §2.3.2).
 */
export async function checkStatementLimit(credential: Credential, statements: Statement[], voidTargets: string[], find: FindStatements): Promise<void> {
  const limit = credential.limit;
  if (!limit) return;
  if (!statements.every((s) => isLearner(s.actor, limit))) throw new DomainError('forbidden', 'lrs:errors.actorOutsideLimit');
  if (!statements.every((s) => s.context?.registration === limit.registration)) throw new DomainError('forbidden', 'lrs:errors.outsideLimit');
  const inRequest = new Set(statements.map((s) => s.id?.toLowerCase()).filter(Boolean));
  const targets = voidTargets.filter((id) => !inRequest.has(id));
  if (!targets.length) return;
  const stored = await find(targets);
  const own = new Set(stored.filter((row) => isOwn(JSON.parse(row.raw) as Statement, limit)).map((row) => row.statementId));
  if (!targets.every((id) => own.has(id))) throw new DomainError('forbidden', 'lrs:errors.voidOutsideLimit');
}

const canReadAll = (c: Credential) => c.scopes.some((s) => s === 'all' || s === 'all/read' || s === 'statements/read');

/**
 * Reading statements: the scope, and what the credential may see. statements/read/mine sees what it
 * stored (Communication §4.2); a minted credential its learner's statements in its registration.
 */
export function statementReadFilter(credential: Credential): Partial<StatementFilter> {
  requireAccess(credential, 'statements:read');
  if (credential.limit) return { limitActorKey: credential.limit.actorKey, limitRegistration: credential.limit.registration };
  if (!canReadAll(credential)) return { authorityKey: credential.key };
  return {};
}

/** Whether one stored statement is within what `statementReadFilter` lets the credential see. */
export function isVisible(row: { authorityKey: string; agents: string[]; registration: string | null }, credential: Credential): boolean {
  const f = statementReadFilter(credential);
  if (f.authorityKey && row.authorityKey !== f.authorityKey) return false;
  if (f.limitActorKey && !row.agents.includes(f.limitActorKey)) return false;
  if (f.limitRegistration && row.registration !== f.limitRegistration) return false;
  return true;
}

/**
 * Documents (Communication §2.3, §2.6, §2.7): the resource's scope, and a minted credential's limit:
 * only its learner's state and agent profiles, only its registration; activity profiles are shared by
 * every learner of the activity, so it may read but not write them. '' in a key means the request
 * named no such parameter.
 */
export function checkDocumentAccess(credential: Credential, scope: DocumentScope, write: boolean): void {
  const resource = scope.kind === 'state' ? 'state' : 'profile';
  requireAccess(credential, `${resource}:${write ? 'write' : 'read'}`);
  const limit = credential.limit;
  if (!limit) return;
  if (write && scope.kind === 'activityProfile') throw new DomainError('forbidden', 'lrs:errors.sharedDocument');
  if (scope.agentKey && scope.agentKey !== limit.actorKey) throw new DomainError('forbidden', 'lrs:errors.outsideLimit');
  if (scope.registration && scope.registration !== limit.registration) throw new DomainError('forbidden', 'lrs:errors.outsideLimit');
}
