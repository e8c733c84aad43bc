import type { ActivitySettings, SequencingSettings } from './scorm-again-types.ts';
import type { ScormItem, ScormManifest } from '../../content/types.ts';

/** Placeholder mapping (organization → activity tree with controlMode); replaced by the full mapping. */
export function activityTreeSettings(manifest: ScormManifest): SequencingSettings {
  const org = manifest.organizations.find((o) => o.identifier === manifest.defaultOrganization) ?? manifest.organizations[0];
  const node = (i: ScormItem): ActivitySettings => ({
    id: i.identifier,
    title: i.title,
    isVisible: i.isvisible,
    ...(i.sequencing?.controlMode ? { sequencingControls: i.sequencing.controlMode } : {}),
    ...(i.children.length ? { children: i.children.map(node) } : {}),
  });
  return {
    activityTree: {
      id: org?.identifier ?? 'root',
      title: org?.title ?? manifest.title,
      ...(org?.sequencing?.controlMode ? { sequencingControls: org.sequencing.controlMode } : {}),
      children: (org?.items ?? []).map(node),
    },
  };
}
