/*
 * The shapes of scorm-again's sequencing settings we build (its dist/types/types/sequencing_types.d.ts).
 * Its own declarations import relative paths without extensions, which NodeNext resolution cannot
 * follow, so everything imported from 'scorm-again' is typed `any` here: these types are our check.
 */

export interface ActivitySettings {
  id: string;
  title: string;
  children?: ActivitySettings[];
  isVisible?: boolean;
  [setting: string]: unknown;
}

export interface SequencingSettings {
  activityTree?: ActivitySettings;
  [setting: string]: unknown;
}

export interface NavigationValidityUpdate {
  continue: boolean;
  previous: boolean;
  choice: Record<string, 'true' | 'false'>;
  jump: Record<string, 'true' | 'false'>;
  hideLmsUi: string[];
}
