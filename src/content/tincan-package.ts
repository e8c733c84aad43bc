import { encodePath, resolveHref } from './package-paths.ts';
import type { ReportBuilder } from './report.ts';
import type { Launchable, TincanActivity, TincanPackage } from './types.ts';
import { child, childrenNamed, type XmlElement } from './xml.ts';

const WHERE = 'tincan.xml';

/** The name in German if present, else English, else the first one. */
function pick(els: XmlElement[]): string {
  return (els.find((e) => e.attrs.lang?.toLowerCase().startsWith('de')) ?? els.find((e) => e.attrs.lang?.toLowerCase().startsWith('en')) ?? els[0])?.text ?? '';
}

/** Reads tincan.xml (the xAPI packaging convention of the Rustici launch guidelines). */
export function readTincanPackage(
  root: XmlElement,
  report: ReportBuilder,
  files: Set<string>,
): { manifest: TincanPackage; launchables: Launchable[] } | undefined {
  report.format = 'xapi';
  if (root.name !== 'tincan') {
    report.error('unsupported', { detail: `tincan.xml <${root.name}>` }, WHERE);
    return undefined;
  }
  const ids = new Map<string, number>();
  const activities: TincanActivity[] = childrenNamed(child(root, 'activities'), 'activity').map((a) => {
    const id = a.attrs.id ?? '';
    ids.set(id, (ids.get(id) ?? 0) + 1);
    if (!id) report.error('missing-attribute', { attr: 'id' }, `${WHERE}, activity`);
    else if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(id)) report.warn('activity-id-not-iri', { id }, `${WHERE}, activity ${id}`);
    const launch = child(a, 'launch');
    return {
      id,
      ...(a.attrs.type ? { type: a.attrs.type } : {}),
      name: pick(childrenNamed(a, 'name')) || id,
      description: pick(childrenNamed(a, 'description')),
      ...(launch?.text ? { launch: launch.text } : {}),
      ...(launch?.attrs.lang ? { launchLang: launch.attrs.lang } : {}),
    };
  });
  for (const [id, n] of ids) if (id && n > 1) report.error('duplicate-id', { id }, WHERE);
  const launchable = activities.find((a) => a.launch);
  const launchables: Launchable[] = [];
  if (!launchable) report.error('no-launchable', {}, WHERE);
  else {
    const where = `${WHERE}, activity ${launchable.id}`;
    const r = resolveHref('', launchable.launch ?? '');
    if (r.kind !== 'inside') report.error('href-outside', { href: launchable.launch ?? '' }, where);
    else if (!files.has(r.path)) report.error('launch-missing', { href: r.path }, where);
    else launchables.push({ id: launchable.id, title: launchable.name, href: encodePath(r.path) + r.suffix });
  }
  return {
    manifest: { kind: 'tincan', format: 'xapi', title: launchable?.name ?? activities[0]?.name ?? 'xAPI', activities, launchActivityId: launchable?.id ?? '' },
    launchables,
  };
}
