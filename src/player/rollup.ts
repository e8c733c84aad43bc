import type { ItemSettings } from './launchable-settings.ts';
import type { Success } from './model.ts';

export interface ItemProgress {
  itemId: string;
  completion: boolean;
  success: Success;
  scoreScaled: number | null;
  waived: boolean;
}

/** cmi5 §9.3.? moveOn: is this AU satisfied by what it reported (or waived)? SCORM items use CompletedAndNotFailed. */
export function itemSatisfied(settings: ItemSettings, p: ItemProgress | undefined, format: string): boolean {
  if (!p) return settings.moveOn === 'NotApplicable';
  if (p.waived) return true;
  if (format !== 'cmi5') return p.completion && p.success !== 'failed';
  switch (settings.moveOn ?? 'NotApplicable') {
    case 'Passed':
      return p.success === 'passed';
    case 'Completed':
      return p.completion;
    case 'CompletedAndPassed':
      return p.completion && p.success === 'passed';
    case 'CompletedOrPassed':
      return p.completion || p.success === 'passed';
    default:
      return true;
  }
}

export type NavRequest = 'continue' | 'previous' | 'choice' | 'start';

/**
 * Navigation between the items of a module without sequencing (SCORM 1.2, cmi5, xAPI: their
 * standards leave the order to the learner; SCORM 2004 goes through src/player/sequencing): the
 * item a request leads to, or why not. Start goes to the first item not completed.
 */
export function navigate(
  request: NavRequest,
  from: string | undefined,
  target: string | undefined,
  items: ItemSettings[],
  states: ItemProgress[],
): { itemId: string } | { refused: 'end' | 'unknown' } {
  const index = from ? items.findIndex((i) => i.id === from) : -1;
  let next: number;
  if (request === 'start') {
    const byId = new Map(states.map((s) => [s.itemId, s]));
    next = items.findIndex((i) => !byId.get(i.id)?.completion);
    if (next < 0) next = 0;
  } else if (request === 'continue' || request === 'previous') {
    next = request === 'continue' ? index + 1 : index - 1;
    if (next < 0 || next >= items.length) return { refused: 'end' };
  } else {
    next = items.findIndex((i) => i.id === target);
    if (next < 0) return { refused: 'unknown' };
  }
  return { itemId: items[next]!.id };
}
