import type { ContentVersion } from '../ports.ts';
import type { Attempt } from '../repository.ts';
import type { SequencedNav } from '../sequencing/navigation.ts';

/** An item's status in the table of contents (the same words as the SCORM 2004 contents). */
export type TocStatus = 'not-attempted' | 'incomplete' | 'completed' | 'passed' | 'failed';

export interface TocEntry {
  id: string;
  title: string;
  current: boolean;
  completed: boolean;
  enabled: boolean;
  status: TocStatus;
}

/** What the player page shows after a SCO ended itself (SCORM 1.2 LMSFinish): the next step. */
export interface AfterFinish {
  /** The next item not yet done, after the one that ended (then from the start); null when none is open. */
  next: { id: string; title: string; url: string } | null;
  /** Every item of the module is done. */
  allDone: boolean;
  exitUrl: string;
  toc: Array<{ id: string; status: TocStatus }>;
}

/** Where the player goes after a navigation request: an activity to open, or away from the attempt. */
export type NavResult = { open: true; refused?: string } | { open: false; exitUrl: string };

/** What the player page needs to show one launch. */
export interface LaunchView {
  format: ContentVersion['format'];
  moduleTitle: string;
  /** The module's slug (other components' links for it key on it). */
  moduleSlug: string;
  itemTitle: string;
  attemptId: string;
  itemId: string;
  /** The package's launch URL: a token path for the content origin (src/player/content-frame.ts), or an external URL. */
  contentUrl: string;
  /** cmi5 OwnWindow: open in its own window instead of the frame. */
  ownWindow: boolean;
  /** An author's preview: not counted as a learner's attempt. */
  preview: boolean;
  /** Where "Beenden" leads: the dashboard, or for a preview the author's page of the version. */
  exitUrl: string;
  toc: TocEntry[];
  scorm?: { version: '1.2' | '2004'; commitUrl: string; cmi: Record<string, string>; seqStart: number };
  /** SCORM 2004: the sequencing engine's controls and contents; without contentUrl nothing is running. */
  sequencing?: SequencedNav & { stateUrl: string; navUrl: string };
  /** A navigation request the engine refused (SN exception code), shown to the learner. */
  refused?: string;
}

/** An item's status from its tracked state (no state: never launched). */
export const tocStatusOf = (s: { completion: boolean; success: string } | undefined): TocStatus =>
  !s ? 'not-attempted' : s.success === 'passed' ? 'passed' : s.success === 'failed' ? 'failed' : s.completion ? 'completed' : 'incomplete';

/** Learners return to their dashboard; an author's preview returns to the version's page. */
export const exitUrlOf = (attempt: Pick<Attempt, 'preview' | 'versionId'>): string =>
  attempt.preview ? `/author/versions/${attempt.versionId}` : '/dashboard';

/** The player page of an attempt, optionally on one item. */
export const attemptPageUrl = (attemptId: string, itemId?: string): string =>
  `/player/attempts/${attemptId}${itemId ? `?item=${encodeURIComponent(itemId)}` : ''}`;
