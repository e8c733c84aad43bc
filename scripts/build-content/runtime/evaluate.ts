// Pure scoring and drawing logic, free of DOM access so the build tests can
// exercise it in Node.
import type { RuntimeQuestion } from './page-data.ts';

/** A question counts only if exactly the correct options are selected (no partial credit). */
export function isSelectionCorrect(question: RuntimeQuestion, selected: readonly number[]): boolean {
  const chosen = new Set(selected);
  return question.options.every((option, index) => option.correct === chosen.has(index));
}

/** Fisher–Yates shuffle of the indices 0..length-1. */
export function shuffledIndices(length: number, random: () => number): number[] {
  const indices = Array.from({ length }, (_, i) => i);
  for (let i = indices.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = indices[i] as number;
    indices[i] = indices[j] as number;
    indices[j] = tmp;
  }
  return indices;
}

/** Draws `count` distinct items in random order. */
export function drawQuestions<T>(pool: readonly T[], count: number, random: () => number): T[] {
  return shuffledIndices(pool.length, random)
    .slice(0, Math.min(count, pool.length))
    .map((i) => pool[i] as T);
}

// A tolerance so that 8/10 with a mastery score of 0.8 passes despite floating point.
const EPSILON = 1e-9;

export function isPassed(scaled: number, masteryScore: number): boolean {
  return scaled + EPSILON >= masteryScore;
}

/** How many correct answers are needed out of `total` to reach the mastery score. */
export function requiredCorrect(masteryScore: number, total: number): number {
  return Math.ceil(masteryScore * total - EPSILON);
}

/** Random numbers from the Web Crypto API where available (fairer draws than Math.random). */
export function cryptoRandom(): number {
  const c = globalThis.crypto;
  if (c && typeof c.getRandomValues === 'function') {
    const buffer = new Uint32Array(1);
    c.getRandomValues(buffer);
    return (buffer[0] as number) / 2 ** 32;
  }
  return Math.random();
}
