import { activityIris, type Learner } from '../activity-iris.ts';
import type { ItemSettings } from '../launchable-settings.ts';
import type { ContentVersion } from '../ports.ts';
import type { Attempt, Item, PlayerRepository } from '../repository.ts';
import { deriveState, launchData, toMap, type ScormFormat } from '../scorm-rules.ts';
import type { SequencedStep } from '../sequencing/navigation.ts';
import { contentUrl, type NewLaunch } from './launch-sessions.ts';
import type { LaunchView } from './launch-views.ts';

/**
 * A launch of a SCO: resume or a fresh SCO attempt (RTE 4.2.9 cmi.entry), the CMI data the page
 * preloads, and the commit URL its token authenticates.
 */
export function createScormLaunch(deps: { repo: PlayerRepository; newLaunch: NewLaunch; publicUrl: () => string }) {
  const { repo } = deps;
  const iris = activityIris(deps.publicUrl);
  return async function launchScormItem(input: {
    learner: Learner;
    attempt: Attempt;
    version: ContentVersion & { format: ScormFormat };
    item: ItemSettings;
    stored: Item;
    step: SequencedStep | undefined;
    now: Date;
  }): Promise<Pick<LaunchView, 'contentUrl' | 'ownWindow' | 'scorm'>> {
    const { learner, attempt, version, item, stored, step, now } = input;
    const format = version.format;
    const previous = toMap(stored.cmi);
    const prev = deriveState(format, previous);
    // cmi.entry "resume" (RTE 4.2.9) after exit=suspend, and for SCORM 2004 whenever the engine resumes a suspended activity (suspend all)
    const resume = stored.launchCount > 0 && (prev.suspended || (step?.kind === 'deliver' && step.resumed));
    const fresh = !resume;
    const baseTotalSeconds = resume ? prev.totalSeconds : 0;
    // from now on, commits of earlier launches are late and refused (commitLaunchNo moves on)
    const begun = await repo.beginItemLaunch(attempt.id, item.id, { ...(fresh ? { cmi: [] } : {}), baseTotalSeconds }, now);
    await repo.setItem(attempt.id, item.id, { commitLaunchNo: begun.launchCount, commitSeq: 0 });
    const { token } = await deps.newLaunch(attempt, item, begun.launchCount, iris.item(attempt.moduleSlug, item.id), resume ? 'resume' : 'ab-initio');
    // RTE 4.2.17: a new attempt's objectives come from the manifest (and global objectives); a resumed one keeps its own
    const seeded = step?.kind === 'deliver' ? step.launchCmi : {};
    const cmi = {
      ...seeded,
      ...launchData(format, fresh ? {} : previous, { learnerId: learner.id, learnerName: learner.name, settings: item, resume, fresh, baseTotalSeconds }),
    };
    return {
      contentUrl: contentUrl(token, version.id, item.href),
      ownWindow: false,
      scorm: { version: format === 'scorm12' ? '1.2' : '2004', commitUrl: `/api/player/scorm/${token}/commit`, cmi, seqStart: 0 },
    };
  };
}
export type ScormLaunch = ReturnType<typeof createScormLaunch>;
