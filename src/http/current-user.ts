import type { Request } from 'express';
import type { Role } from '../accounts/roles.ts';
import { DomainError } from '../shared/errors.ts';

/** Who acts in a request, as services take it: an id and the roles. */
export interface Actor {
  id: string;
  roles: Role[];
}

/**
 * The logged-in user of a request behind requireLogin/requireRole. Without one (a route mounted
 * without its guard) the request is refused, never answered for somebody else.
 */
export function currentUser(req: Request): Actor {
  const user = req.user;
  if (!user) throw new DomainError('unauthenticated', 'errors:loginRequired');
  return { id: user.id, roles: [...user.roles] as Role[] };
}
