import type { ReportBuilder } from './report.ts';
import type { Cmi5Block, Cmi5Course, PackageManifest, ScormItem, ScormManifest, TincanPackage } from './types.ts';

/**
 * Manifest features the player reads but does not act on, so an author hears it at import rather
 * than from a learner (issue #15 item 5). Each was checked against the player (src/player): SCORM
 * 2004 sequencing has its own list (scorm-sequencing.ts reportUnhonouredSequencing).
 */
export function reportUnhonouredFeatures(manifest: PackageManifest, report: ReportBuilder): void {
  if (manifest.kind === 'scorm') scorm(manifest, report);
  else if (manifest.kind === 'cmi5') cmi5(manifest, report);
  else tincan(manifest, report);
}

const defaultOrganization = (m: ScormManifest) => m.organizations.find((o) => o.identifier === m.defaultOrganization) ?? m.organizations[0];
function* walk(items: ScormItem[]): Generator<ScormItem> {
  for (const item of items) {
    yield item;
    yield* walk(item.children);
  }
}

function scorm(m: ScormManifest, report: ReportBuilder): void {
  const org = defaultOrganization(m);
  if (!org) return;
  const is12 = m.format === 'scorm12';
  for (const item of walk(org.items)) {
    const where = `imsmanifest.xml, item ${item.identifier}`;
    // 1.2 CAM 2.3.2.3 adlcp:prerequisites: the player's navigation (rollup.ts navigate) lets every SCO be chosen
    if (is12 && item.prerequisites) report.warn('scorm12-prerequisites', { id: item.identifier, value: item.prerequisites }, where);
    // 1.2: cmi.student_data.max_time_allowed / time_limit_action (RTE 1.2 §3.4.2.3) are not handed to the SCO
    // (scorm-rules.ts launchData), nor is a limit enforced; 2004: cmi.max_time_allowed / cmi.time_limit_action likewise
    if (item.maxTimeAllowed)
      report.warn('scorm-time-limit', { id: item.identifier, attr: is12 ? 'adlcp:maxtimeallowed' : 'adlcp:maxTimeAllowed', value: item.maxTimeAllowed }, where);
    if (item.timeLimitAction)
      report.warn(
        'scorm-time-limit',
        { id: item.identifier, attr: is12 ? 'adlcp:timelimitaction' : 'adlcp:timeLimitAction', value: item.timeLimitAction },
        where,
      );
    // 1.2 has no sequencing engine here: the contents list shows every item, visible or not
    if (is12 && !item.isvisible) report.warn('scorm12-invisible', { id: item.identifier }, where);
  }
}

function* cmi5Nodes(children: Cmi5Course['children']): Generator<Cmi5Course['children'][number]> {
  for (const c of children) {
    yield c;
    if (c.type === 'block') yield* cmi5Nodes((c as Cmi5Block).children);
  }
}

function cmi5(course: Cmi5Course, report: ReportBuilder): void {
  // cmi5 §13.1.3 objectives: the player keeps them in the course structure but neither shows them nor
  // derives anything from them (moveOn and the AUs' statements decide)
  const refs = [...cmi5Nodes(course.children)].filter((n) => n.objectives.length > 0).length;
  if (course.objectives.length > 0 || refs > 0) report.warn('cmi5-objectives', { count: course.objectives.length }, 'cmi5.xml');
}

function tincan(pkg: TincanPackage, report: ReportBuilder): void {
  // the player launches one activity (the first with <launch>); the others' launch pages are never opened
  const others = pkg.activities.filter((a) => a.launch && a.id !== pkg.launchActivityId);
  if (others.length > 0) report.warn('tincan-several-launch', { used: pkg.launchActivityId, ignored: others.map((a) => a.id).join(', ') }, 'tincan.xml');
}
