import { encodePath, resolveHref } from './package-paths.ts';
import type { ReportBuilder } from './report.ts';
import type { Cmi5Au, Cmi5Block, Cmi5Course, LangString, Launchable, MoveOn } from './types.ts';
import { child, childrenNamed, type XmlElement } from './xml.ts';

const WHERE = 'cmi5.xml';
const MOVE_ON: MoveOn[] = ['Passed', 'Completed', 'CompletedAndPassed', 'CompletedOrPassed', 'NotApplicable'];
const MAX_DEPTH = 30;

/** langstring elements of a title or description (cmi5 §13.1.1); German first when shown. */
function langStrings(el: XmlElement | undefined): LangString[] {
  return childrenNamed(el, 'langstring').map((l) => ({ lang: l.attrs.lang ?? '', value: l.text }));
}
export function pickLang(list: LangString[], fallback = ''): string {
  return (list.find((l) => l.lang.toLowerCase().startsWith('de')) ?? list.find((l) => l.lang.toLowerCase().startsWith('en')) ?? list[0])?.value ?? fallback;
}

/** Reads cmi5.xml (cmi5 §13, course structure) into course → blocks → AUs, with its launchables. */
export function readCmi5Course(root: XmlElement, report: ReportBuilder, files: Set<string>): { manifest: Cmi5Course; launchables: Launchable[] } | undefined {
  report.format = 'cmi5';
  const course = child(root, 'course');
  if (root.name !== 'courseStructure' || !course) {
    report.error('unsupported', { detail: `cmi5.xml <${root.name}>` }, WHERE);
    return undefined;
  }
  const ids = new Map<string, number>();
  const seen = (id: string) => ids.set(id, (ids.get(id) ?? 0) + 1);
  const launchables: Launchable[] = [];

  const courseId = course.attrs.id ?? '';
  if (!courseId) report.error('missing-attribute', { attr: 'id' }, `${WHERE}, course`);
  seen(courseId);

  const objectives = childrenNamed(child(root, 'objectives'), 'objective').map((o) => {
    seen(o.attrs.id ?? '');
    return { id: o.attrs.id ?? '', title: pickLang(langStrings(child(o, 'title'))), description: pickLang(langStrings(child(o, 'description'))) };
  });
  const objectiveRefs = (el: XmlElement) => childrenNamed(child(el, 'objectives'), 'objective').map((o) => o.attrs.idref ?? '').filter(Boolean);

  const readAu = (el: XmlElement): Cmi5Au => {
    const id = el.attrs.id ?? '';
    const where = `${WHERE}, au ${id}`;
    if (!id) report.error('missing-attribute', { attr: 'id' }, `${WHERE}, au`);
    seen(id);
    const titles = langStrings(child(el, 'title'));
    const moveOn = (el.attrs.moveOn ?? 'NotApplicable') as MoveOn;
    if (!MOVE_ON.includes(moveOn)) report.error('invalid-value', { attr: 'moveOn', value: el.attrs.moveOn ?? '' }, where);
    const launchMethod = el.attrs.launchMethod ?? 'AnyWindow';
    if (launchMethod !== 'AnyWindow' && launchMethod !== 'OwnWindow') report.error('invalid-value', { attr: 'launchMethod', value: launchMethod }, where);
    let masteryScore: number | undefined;
    if (el.attrs.masteryScore !== undefined) {
      masteryScore = Number(el.attrs.masteryScore);
      if (!(masteryScore >= 0 && masteryScore <= 1)) report.error('invalid-value', { attr: 'masteryScore', value: el.attrs.masteryScore }, where);
    }
    const url = child(el, 'url')?.text ?? '';
    const au: Cmi5Au = {
      type: 'au',
      id,
      title: pickLang(titles, id),
      titles,
      description: pickLang(langStrings(child(el, 'description'))),
      url,
      launchMethod: launchMethod === 'OwnWindow' ? 'OwnWindow' : 'AnyWindow',
      moveOn: MOVE_ON.includes(moveOn) ? moveOn : 'NotApplicable',
      ...(masteryScore !== undefined && Number.isFinite(masteryScore) ? { masteryScore } : {}),
      ...(child(el, 'launchParameters')?.text ? { launchParameters: child(el, 'launchParameters')?.text } : {}),
      ...(child(el, 'entitlementKey')?.text ? { entitlementKey: child(el, 'entitlementKey')?.text } : {}),
      ...(el.attrs.activityType ? { activityType: el.attrs.activityType } : {}),
      objectives: objectiveRefs(el),
    };
    let href: string | undefined;
    if (!url) report.error('missing-attribute', { attr: 'url' }, where);
    else {
      const r = resolveHref('', url);
      if (r.kind === 'outside') report.error('href-outside', { href: url }, where);
      else if (r.kind === 'external') {
        // cmi5 §13.1.4 allows AUs hosted elsewhere; the platform can launch them but not serve them
        if (/^https?:\/\//i.test(r.url)) {
          report.warn('external-au', { url: r.url }, where);
          href = r.url;
        } else report.error('href-outside', { href: url }, where);
      } else if (!files.has(r.path)) report.error('launch-missing', { href: r.path }, where);
      else href = encodePath(r.path) + r.suffix;
    }
    if (href) {
      launchables.push({
        id,
        title: au.title,
        href,
        moveOn: au.moveOn,
        launchMethod: au.launchMethod,
        ...(au.masteryScore !== undefined ? { masteryScore: au.masteryScore } : {}),
        ...(au.launchParameters ? { launchParameters: au.launchParameters } : {}),
        ...(au.entitlementKey ? { entitlementKey: au.entitlementKey } : {}),
      });
    }
    return au;
  };

  const readChildren = (el: XmlElement, depth: number): Array<Cmi5Block | Cmi5Au> => {
    if (depth > MAX_DEPTH) {
      report.error('too-deep-items', { max: MAX_DEPTH }, WHERE);
      return [];
    }
    const out: Array<Cmi5Block | Cmi5Au> = [];
    for (const c of el.children) {
      if (c.name === 'au') out.push(readAu(c));
      else if (c.name === 'block') {
        const id = c.attrs.id ?? '';
        if (!id) report.error('missing-attribute', { attr: 'id' }, `${WHERE}, block`);
        seen(id);
        const titles = langStrings(child(c, 'title'));
        out.push({
          type: 'block',
          id,
          title: pickLang(titles, id),
          titles,
          description: pickLang(langStrings(child(c, 'description'))),
          objectives: objectiveRefs(c),
          children: readChildren(c, depth + 1),
        });
      }
    }
    return out;
  };
  const children = readChildren(root, 1);

  for (const [id, n] of ids) if (id && n > 1) report.error('duplicate-id', { id }, WHERE);
  if (!children.length && !report.hasErrors) report.error('no-launchable', {}, WHERE);
  const titles = langStrings(child(course, 'title'));
  return {
    manifest: {
      kind: 'cmi5',
      format: 'cmi5',
      id: courseId,
      title: pickLang(titles, courseId),
      titles,
      description: pickLang(langStrings(child(course, 'description'))),
      objectives,
      children,
    },
    launchables,
  };
}
