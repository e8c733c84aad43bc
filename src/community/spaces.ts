import { z } from 'zod';

/**
 * The kinds of space and how their keys are spelt. A key names the thing in the qualification it
 * belongs to: cohort-<cohortId>, session-<sessionId>, module-<slug>, lotsen, mentor-<menteeId>,
 * room-<roomId> (an Experimentierraum, src/rooms).
 */
export type SpaceKind = 'cohort' | 'session' | 'module' | 'lotsen' | 'mentor' | 'room';

export interface SpaceRef {
  kind: SpaceKind;
  /** The cohort, session or mentee id, the module slug; '' for the Lotsen community. */
  ref: string;
  key: string;
}

const KEY = /^(?:(cohort|session|mentor|room)-([a-f0-9]{24})|(module)-([a-z0-9-]{1,100})|(lotsen))$/;

/** Reads a key; undefined for anything that is not one. */
export function parseSpaceKey(key: string): SpaceRef | undefined {
  const m = KEY.exec(key);
  if (!m) return undefined;
  if (m[1]) return { kind: m[1] as SpaceKind, ref: m[2]!, key };
  if (m[3]) return { kind: 'module', ref: m[4]!, key };
  return { kind: 'lotsen', ref: '', key };
}

export const spaceKey = (kind: SpaceKind, ref = ''): string => (kind === 'lotsen' ? 'lotsen' : `${kind}-${ref}`);

/** A route's space key. */
export const spaceKeySchema = z.string().regex(KEY, 'community:errors.spaceNotFound');

/** Spaces with a live chat: the Klassenzimmer, the Q2 sessions and the Experimentierräume. */
export const hasChat = (s: SpaceRef): boolean => s.kind === 'cohort' || s.kind === 'session' || s.kind === 'room';
