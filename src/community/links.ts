import type { Membership } from './membership.ts';
import type { Viewer } from './ports.ts';
import { spaceKey } from './spaces.ts';

const spaceUrl = (key: string) => `/community/spaces/${key}`;

/** The private space of a mentee and their mentor (only those two are let in, membership.ts). */
export const mentorSpaceUrl = (menteeId: string): string => spaceUrl(spaceKey('mentor', menteeId));

/**
 * Links into the community that other components' pages show; the composition root hands them over
 * as ports (src/app.ts), so neither the player nor the qualification imports the community.
 */
export function createCommunityLinks(membership: Pick<Membership, 'accessOf'>) {
  return {
    /** The module's Q&A, only for its members (anyone else gets none). */
    async moduleQa(viewer: Viewer, moduleSlug: string): Promise<string | undefined> {
      const key = spaceKey('module', moduleSlug);
      return (await membership.accessOf(viewer, key)) ? spaceUrl(key) : undefined;
    },
  };
}
export type CommunityLinks = ReturnType<typeof createCommunityLinks>;
