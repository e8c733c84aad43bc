import { DomainError } from '../../shared/errors.ts';
import type { Actor, Credential, Statement } from '../types.ts';
import { VOIDED_VERB } from '../validation/validate-statement.ts';
import { ifiKey } from './identity.ts';
import type { StatementRepository } from './repository.ts';

type Limit = NonNullable<Credential['limit']>;

/**
 * The learner's own actor: an Agent with the learner's IFI. A Group carrying the learner's IFI or
 * listing them as a member is someone else's statement, and its stored agent keys would name the group.
 */
const isLearner = (actor: Actor, limit: Limit): boolean => actor.objectType !== 'Group' && ifiKey(actor) === limit.actorKey;
const isOwn = (s: Pick<Statement, 'actor' | 'context'>, limit: Limit): boolean => isLearner(s.actor, limit) && s.context?.registration === limit.registration;

/**
 * A minted launch credential writes only its learner's statements in its registration, and voids only
 * such statements that are stored already or sent in the same request. An unknown target is refused
 * as well: a voiding statement stored before its target would void whatever arrives later under that id.
 */
export async function checkCredentialLimit(statements: Statement[], limit: Limit, repo: Pick<StatementRepository, 'findByIds'>): Promise<void> {
  if (!statements.every((s) => isLearner(s.actor, limit))) throw new DomainError('forbidden', 'lrs:errors.actorOutsideLimit');
  if (!statements.every((s) => s.context?.registration === limit.registration)) throw new DomainError('forbidden', 'lrs:errors.outsideLimit');
  const inRequest = new Set(statements.map((s) => s.id?.toLowerCase()).filter(Boolean));
  const targets = statements
    .filter((s) => s.verb.id === VOIDED_VERB)
    .map((s) => (s.object as { id: string }).id.toLowerCase())
    .filter((id) => !inRequest.has(id));
  if (!targets.length) return;
  const stored = await repo.findByIds(targets);
  const own = new Set(stored.filter((row) => isOwn(JSON.parse(row.raw) as Statement, limit)).map((row) => row.statementId));
  if (!targets.every((id) => own.has(id))) throw new DomainError('forbidden', 'lrs:errors.voidOutsideLimit');
}
