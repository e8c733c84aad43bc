import type { EventDoc } from './model.ts';

type T = (key: string, opts?: Record<string, unknown>) => string;

/**
 * One event as a German sentence ("Anna Berg hat „Abschlusstest" mit 85 % bestanden"). The words
 * are in the insight namespace, so an English page gets English sentences.
 */
export function timelineSentence(e: Pick<EventDoc, 'kind' | 'objectName' | 'scorePercent'>, name: string, t: T): string {
  const withScore = (e.kind === 'passed' || e.kind === 'failed') && e.scorePercent !== null;
  return t(`insight:timeline.sentences.${e.kind}${withScore ? 'Score' : ''}`, {
    name,
    object: e.objectName || t('insight:timeline.unnamed'),
    score: e.scorePercent,
  });
}
