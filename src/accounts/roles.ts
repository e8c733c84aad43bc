/** guest: a company participant of an Experimentierraum (src/rooms), who sees nothing of the qualification. */
export const ROLES = ['learner', 'trainer', 'author', 'admin', 'guest'] as const;
export type Role = (typeof ROLES)[number];

export const REGIONS = ['baden-wuerttemberg', 'luebeck-westmecklenburg', 'rhein-ruhr', 'saarland', 'andere'] as const;
export type Region = (typeof REGIONS)[number];

/** The signed-in user as the rest of the app sees it (never the hash). */
export interface User {
  id: string;
  name: string;
  email: string;
  organisation: string;
  region: Region;
  roles: Role[];
  active: boolean;
  createdAt: Date;
}

/** What passport puts on req.user: the user plus the session generation it was loaded for. */
export interface SessionUser extends User {
  sessionVersion: number;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends SessionUser {}
  }
}
