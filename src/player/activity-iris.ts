import type { Agent } from '../lrs/types.ts';

/** A learner as the player's use cases take them: the platform account's id and display name. */
export interface Learner {
  id: string;
  name: string;
}

/** IRIs of the player's own activities (SCORM modules and SCOs have none of their own). */
export function activityIris(publicUrl: () => string) {
  const base = () => `${publicUrl()}/activities/modules`;
  return {
    course: (slug: string) => `${base()}/${encodeURIComponent(slug)}`,
    item: (slug: string, itemId: string) => `${base()}/${encodeURIComponent(slug)}/items/${encodeURIComponent(itemId)}`,
  };
}

/** The learner as xAPI actor: an account on this platform (cmi5 §9.2 requires an account actor). */
export const learnerActor = (publicUrl: () => string, learner: Learner): Agent => ({
  objectType: 'Agent',
  name: learner.name,
  account: { homePage: publicUrl(), name: learner.id },
});
