import type { QualificationService } from '../qualification/service.ts';

/**
 * What insight reads from the qualification: cohorts and who may see them, the roster (members, their
 * prerequisites and the player's progress records), pending evidence, sessions and their seats.
 * Only its service is called, never its collections (architecture.md).
 */
export type QualificationPort = Pick<QualificationService, 'planning' | 'roster' | 'prerequisites' | 'registration' | 'directory' | 'requirements'>;

/** Who looks: the viewer as the qualification's scope rules take it. */
export interface Viewer {
  id: string;
  roles: string[];
}
