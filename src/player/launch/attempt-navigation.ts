import type { Learner } from '../activity-iris.ts';
import { versionItems } from '../launchable-settings.ts';
import { navigate, type NavRequest } from '../rollup.ts';
import type { AttemptAccess } from './attempt-access.ts';
import { attemptPageUrl, exitUrlOf, tocStatusOf, type AfterFinish } from './launch-views.ts';

/** Where a navigation leads: what the request asks of the items' states, for attempts without a sequencing engine (SCORM 1.2, cmi5, xAPI). */
export type NavOutcome = { itemId: string } | { refused: 'end' | 'unknown'; stayUrl: string };

/** The learner's moves between the items of an attempt outside the SCORM 2004 engine. */
export function createAttemptNavigation(deps: { access: AttemptAccess }) {
  const { access } = deps;

  /**
   * After a SCO ended its own session (SCORM 1.2 LMSFinish, RTE 3.3.2.2; no navigation requests in
   * 1.2): the next step the page offers instead of an empty frame. Items without sequencing are taken
   * in the package's order; the next one is the first not done after the one that ended.
   */
  async function afterFinish(learner: Learner, attemptId: string, from: string | undefined): Promise<AfterFinish> {
    const attempt = await access.ownAttempt(learner, attemptId);
    const version = await access.requireVersion(attempt.versionId);
    const items = versionItems(version);
    const states = await access.itemStates(attempt.id, attempt.format);
    const byId = new Map(states.map((s) => [s.itemId, s]));
    const done = (id: string) => Boolean(byId.get(id)?.completion || byId.get(id)?.success === 'passed' || byId.get(id)?.waived);
    const at = items.findIndex((i) => i.id === from);
    const order = [...items.slice(at + 1), ...items.slice(0, Math.max(at, 0))];
    const next = attempt.state === 'ended' ? undefined : order.find((i) => !done(i.id));
    return {
      next: next ? { id: next.id, title: next.title, url: attemptPageUrl(attempt.id, next.id) } : null,
      allDone: items.every((i) => done(i.id)),
      exitUrl: exitUrlOf(attempt),
      toc: items.map((i) => ({ id: i.id, status: tocStatusOf(byId.get(i.id)) })),
    };
  }

  return {
    afterFinish,

    /** Where the learner goes after leaving an attempt (dashboard, or the version page after a preview). */
    async exitUrl(learner: Learner, attemptId: string): Promise<string> {
      return exitUrlOf(await access.ownAttempt(learner, attemptId));
    },

    /** Where a navigation request (adl.nav.request or the table of contents) leads, or why not. */
    async navigate(learner: Learner, attemptId: string, request: NavRequest, from: string | undefined, target: string | undefined): Promise<NavOutcome> {
      const attempt = await access.ownAttempt(learner, attemptId);
      const version = await access.requireVersion(attempt.versionId);
      const items = versionItems(version);
      const result = navigate(request, from, target, items, await access.itemStates(attempt.id, attempt.format));
      if ('itemId' in result) return result;
      // a refused request keeps the learner in the player, on the item they came from; an ended attempt has no player page
      const known = from !== undefined && items.some((i) => i.id === from);
      const stayUrl = attempt.state === 'ended' ? exitUrlOf(attempt) : attemptPageUrl(attempt.id, known ? from : undefined);
      return { ...result, stayUrl };
    },

    /**
     * cmi5 returnURL (§10.2.6): where an AU's exit leads — the next AU not yet done, or the overview
     * (the step the player's "finished" panel offers). Without a login, or for an attempt that is not
     * the visitor's, the dashboard: the page only says where to go, and that page asks for the login.
     */
    async returnTarget(learner: Learner | undefined, attemptId: string, from: string | undefined): Promise<string> {
      const after = learner ? await afterFinish(learner, attemptId, from).catch(() => undefined) : undefined;
      return after?.next?.url ?? after?.exitUrl ?? '/dashboard';
    },
  };
}
