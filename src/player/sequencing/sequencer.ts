import type { SequencingSettings } from './scorm-again-types.ts';
import type { ScormManifest } from '../../content/types.ts';
import type { Clock } from '../../shared/clock.ts';
import { createKeyedQueue } from '../../shared/keyed-queue.ts';
import { manifestOf } from '../launchable-settings.ts';
import type { ContentVersion } from '../ports.ts';
import type { Attempt, PlayerRepository } from '../repository.ts';
import { activityTreeSettings } from './activity-tree.ts';
import { SequencingEngine, type RootStatus } from './engine.ts';

/** Versions are immutable: their activity trees are kept for the next request (a few hundred at most). */
const TREE_CACHE = 200;

/** The attempt's module status is its root activity's rolled-up status (SN 4.6 rollup), nothing else. */
export function rootFields(root: RootStatus): Pick<Attempt, 'completion' | 'success' | 'satisfied' | 'scoreScaled'> {
  const completion = root.completion === 'completed';
  return {
    completion,
    success: root.success,
    satisfied: completion && root.success !== 'failed',
    scoreScaled: root.measure === null ? null : Math.max(0, Math.min(1, root.measure)),
  };
}

/**
 * Runs the sequencing engine for an attempt: opens it from the stored state, lets `act` decide, and
 * stores the new state with the root activity's status. Steps on one attempt run one after the
 * other in this process; across processes the revision check makes a late writer start again from
 * the newer state. `act` must only work on the engine (it may run more than once).
 */
export function createSequencer(deps: { repo: PlayerRepository; clock: Clock }) {
  const trees = new Map<string, SequencingSettings>();
  const serialized = createKeyedQueue();

  function settingsOf(version: ContentVersion): SequencingSettings {
    let s = trees.get(version.id);
    if (!s) {
      s = activityTreeSettings(manifestOf(version) as unknown as ScormManifest);
      if (trees.size >= TREE_CACHE) trees.delete(trees.keys().next().value!);
      trees.set(version.id, s);
    }
    return s;
  }

  async function run<T>(attemptId: string, version: ContentVersion, act: (engine: SequencingEngine, attempt: Attempt) => T, save: boolean): Promise<{ result: T; attempt: Attempt }> {
    return serialized(attemptId, async () => {
      for (let tries = 0; tries < 5; tries++) {
        const attempt = await deps.repo.findAttempt(attemptId);
        if (!attempt) throw new Error(`attempt ${attemptId} vanished`);
        const engine = await SequencingEngine.open(settingsOf(version), attempt.sequencingState ?? null, () => deps.clock.now());
        const result = act(engine, attempt);
        if (!save) return { result, attempt };
        const patch = { sequencingState: engine.serialize(), ...rootFields(engine.rootStatus()) };
        if (await deps.repo.saveSequencing(attemptId, attempt.sequencingRev ?? 0, patch)) {
          return { result, attempt: { ...attempt, ...patch, sequencingRev: (attempt.sequencingRev ?? 0) + 1 } };
        }
      }
      throw new Error(`sequencing state of attempt ${attemptId} kept changing`);
    });
  }

  return {
    settingsOf,
    /** Acts on the engine and stores what it did. */
    update: <T>(attemptId: string, version: ContentVersion, act: (engine: SequencingEngine, attempt: Attempt) => T) => run(attemptId, version, act, true),
    /** Reads from the engine (after any step still running on the attempt). */
    read: <T>(attemptId: string, version: ContentVersion, act: (engine: SequencingEngine, attempt: Attempt) => T) => run(attemptId, version, act, false),
  };
}
export type Sequencer = ReturnType<typeof createSequencer>;
