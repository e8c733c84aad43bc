import type { SequencingSettings } from './scorm-again-types.ts';
import type { ScormManifest } from '../../content/types.ts';
import type { Clock } from '../../shared/clock.ts';
import { createKeyedQueue } from '../../shared/keyed-queue.ts';
import { manifestOf } from '../launchable-settings.ts';
import type { ContentVersion } from '../ports.ts';
import type { Attempt, PlayerRepository } from '../repository.ts';
import { activityTreeSettings, defaultOrganization } from './activity-tree.ts';
import { SequencingEngine, type RootStatus } from './engine.ts';

/** Versions are immutable: their activity trees are kept for the next request (a few hundred at most). */
const TREE_CACHE = 200;

interface Tree {
  settings: SequencingSettings;
  /** adlseq:objectivesGlobalToSystem / adlcp:sharedDataGlobalToSystem of the organization. */
  objectivesGlobal: boolean;
  dataGlobal: boolean;
}

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
  const trees = new Map<string, Tree>();
  const serialized = createKeyedQueue();

  function treeOf(version: ContentVersion): Tree {
    let t = trees.get(version.id);
    if (!t) {
      const manifest = manifestOf(version) as unknown as ScormManifest;
      const org = defaultOrganization(manifest);
      // both default to true (CAM 4th Ed. 3.4.1.5): values live for the learner, beyond the attempt
      t = {
        settings: activityTreeSettings(manifest),
        objectivesGlobal: org?.objectivesGlobalToSystem !== false,
        dataGlobal: org?.sharedDataGlobalToSystem !== false,
      };
      if (trees.size >= TREE_CACHE) trees.delete(trees.keys().next().value!);
      trees.set(version.id, t);
    }
    return t;
  }

  /** A new attempt starts with what the learner's earlier attempts left in system-wide globals. */
  async function seed(engine: SequencingEngine, attempt: Attempt, tree: Tree): Promise<void> {
    if (attempt.sequencingState || attempt.preview || (!tree.objectivesGlobal && !tree.dataGlobal)) return;
    const stored = await deps.repo.learnerGlobals(attempt.learnerId);
    engine.seedGlobals(tree.objectivesGlobal ? stored.objective : {}, tree.dataGlobal ? stored.data : {});
  }

  async function keepGlobals(engine: SequencingEngine, attempt: Attempt, tree: Tree): Promise<void> {
    if (attempt.preview || (!tree.objectivesGlobal && !tree.dataGlobal)) return;
    const { objectives, data } = engine.globals();
    const now = deps.clock.now();
    if (tree.objectivesGlobal) await deps.repo.saveLearnerGlobals(attempt.learnerId, 'objective', objectives, now);
    if (tree.dataGlobal) await deps.repo.saveLearnerGlobals(attempt.learnerId, 'data', data, now);
  }

  async function run<T>(
    attemptId: string,
    version: ContentVersion,
    act: (engine: SequencingEngine, attempt: Attempt) => T,
    save: boolean,
  ): Promise<{ result: T; attempt: Attempt }> {
    return serialized(attemptId, async () => {
      for (let tries = 0; tries < 5; tries++) {
        const attempt = await deps.repo.findAttempt(attemptId);
        if (!attempt) throw new Error(`attempt ${attemptId} vanished`);
        const tree = treeOf(version);
        const engine = await SequencingEngine.open(tree.settings, attempt.sequencingState ?? null, () => deps.clock.now());
        if (save) await seed(engine, attempt, tree);
        const result = act(engine, attempt);
        if (!save) return { result, attempt };
        const patch = { sequencingState: engine.serialize(), ...rootFields(engine.rootStatus()) };
        if (await deps.repo.saveSequencing(attemptId, attempt.sequencingRev ?? 0, patch)) {
          await keepGlobals(engine, attempt, tree);
          return { result, attempt: { ...attempt, ...patch, sequencingRev: (attempt.sequencingRev ?? 0) + 1 } };
        }
      }
      throw new Error(`sequencing state of attempt ${attemptId} kept changing`);
    });
  }

  return {
    /** Acts on the engine and stores what it did. */
    update: <T>(attemptId: string, version: ContentVersion, act: (engine: SequencingEngine, attempt: Attempt) => T) => run(attemptId, version, act, true),
    /** Reads from the engine (after any step still running on the attempt). */
    read: <T>(attemptId: string, version: ContentVersion, act: (engine: SequencingEngine, attempt: Attempt) => T) => run(attemptId, version, act, false),
  };
}
export type Sequencer = ReturnType<typeof createSequencer>;
