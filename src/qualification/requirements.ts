import type { Clock } from '../shared/clock.ts';
import type { Requirements, SessionRepository } from './session-repository.ts';

/** The qualification as the concept describes it, used until an admin changes it. */
export const DEFAULT_REQUIREMENTS: Requirements = {
  q1Modules: ['tools-methoden', 'technik', 'megatrends'],
  q2Topics: [
    { key: 'experimentierraeume', title: 'Experimentierräume initiieren und moderieren', requiresQ1: true },
    { key: 'netzwerk-community', title: 'Netzwerk- und Community-Bildung', requiresQ1: true },
    { key: 'reflecting-team', title: 'Reflecting Team', requiresQ1: false },
  ],
  updatedBy: '',
};

/** Reads and changes the admin-editable definition (which Q1 modules, which Q2 topics, which need Q1). */
export function createRequirementsService(deps: { repo: SessionRepository; clock: Clock }) {
  return {
    async get(): Promise<Requirements> {
      return (await deps.repo.getRequirements()) ?? DEFAULT_REQUIREMENTS;
    },
    async update(input: Pick<Requirements, 'q1Modules' | 'q2Topics'>, adminId: string): Promise<Requirements> {
      const next = { ...input, updatedBy: adminId, updatedAt: deps.clock.now() };
      await deps.repo.putRequirements(next);
      return next;
    },
  };
}
export type RequirementsService = ReturnType<typeof createRequirementsService>;
