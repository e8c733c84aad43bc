import { checkCourseSchema, SCHEMA_RULE } from './cmi5-course-schema.ts';
import { encodePath, resolveHref } from './package-paths.ts';
import type { ReportBuilder } from './report.ts';
import type { Cmi5Au, Cmi5Block, Cmi5Course, LangString, Launchable, MoveOn } from './types.ts';
import { child, childrenNamed, type XmlElement } from './xml.ts';

const WHERE = 'cmi5.xml';
const MOVE_ON: MoveOn[] = ['Passed', 'Completed', 'CompletedAndPassed', 'CompletedOrPassed', 'NotApplicable'];
const MAX_DEPTH = 30;

/** cmi5 3.0.0.0-1: IRIs MUST be fully qualified, not IRI references (RFC 3987: a scheme, then no spaces or delimiters). */
const IRI = /^[a-z][a-z0-9+.-]*:[^\s<>"{}|\\^`]+$/i;
const isIri = (v: string) => IRI.test(v);
/**
 * cmi5 13.1.4.0-2: an AU's URL MUST conform to RFC 1738: ASCII only, no spaces, controls or the
 * characters it calls unsafe (besides "#" for the fragment and "~", which RFC 3986 made unreserved),
 * and "%" only as an escape.
 */
const isRfc1738Url = (v: string) => /^[A-Za-z0-9$\-_.+!*'(),;/?:@=&#~%]+$/.test(v) && !/%(?![0-9A-Fa-f]{2})/.test(v);
/** cmi5 §8.1 launch parameters: an AU URL's own query MUST NOT use these names (8.1.0.0-6). */
const LAUNCH_PARAMETERS = ['endpoint', 'fetch', 'actor', 'registration', 'activityId'];

function collidingParameter(url: string): string | undefined {
  const q = url.indexOf('?');
  if (q === -1) return undefined;
  const hash = url.indexOf('#', q);
  const names = [...new URLSearchParams(url.slice(q + 1, hash === -1 ? undefined : hash)).keys()];
  return names.find((n) => LAUNCH_PARAMETERS.includes(n));
}

export interface Cmi5ReadOptions {
  /** The course structure came as a bare cmi5.xml, without a package: every AU URL must be absolute (§14.2). */
  bare?: boolean;
}

/** langstring elements of a title or description (cmi5 §13.1.1); German first when shown. */
function langStrings(el: XmlElement | undefined): LangString[] {
  return childrenNamed(el, 'langstring').map((l) => ({ lang: l.attrs.lang ?? '', value: l.text }));
}
export function pickLang(list: LangString[], fallback = ''): string {
  return (list.find((l) => l.lang.toLowerCase().startsWith('de')) ?? list.find((l) => l.lang.toLowerCase().startsWith('en')) ?? list[0])?.value ?? fallback;
}

/**
 * Reads cmi5.xml (cmi5 §13, course structure) into course → blocks → AUs, with its launchables.
 * Every rule of §13 and §14 is checked, each reported with its requirement id: the schema
 * (13.2.0.0-1), IRIs (3.0.0.0-1), unique ids (13.1.2.0-1, 13.1.3.0-1, 13.1.4.0-1), AU URLs (13.1.4.0-2,
 * 8.1.0.0-6, 14.1.0.0-4, 14.2.0.0-1); leading and trailing whitespace is dropped (13.1.0.0-1).
 */
export function readCmi5Course(
  root: XmlElement,
  report: ReportBuilder,
  files: Set<string>,
  opts: Cmi5ReadOptions = {},
): { manifest: Cmi5Course; launchables: Launchable[] } | undefined {
  report.format = 'cmi5';
  if (!checkCourseSchema(root, report, WHERE)) return undefined;
  reportExtensionSchemas(root, files, report);
  const course = child(root, 'course');
  if (!course) return undefined;
  const seenIds = { block: new Map<string, number>(), objective: new Map<string, number>(), au: new Map<string, number>() };
  const idOf = (el: XmlElement, kind: 'course' | keyof typeof seenIds, attr = 'id'): string => {
    const id = (el.attrs[attr] ?? '').trim();
    const where = `${WHERE}, ${kind}${id ? ` ${id}` : ''}`;
    if (!id) report.error('missing-attribute', { attr }, where, SCHEMA_RULE);
    else if (!isIri(id)) report.error('cmi5-not-iri', { attr, id }, where, 'cmi5 3.0.0.0-1');
    if (id && kind !== 'course' && attr === 'id') seenIds[kind].set(id, (seenIds[kind].get(id) ?? 0) + 1);
    return id;
  };
  const launchables: Launchable[] = [];

  const courseId = idOf(course, 'course');

  const objectives = childrenNamed(child(root, 'objectives'), 'objective').map((o) => {
    const id = idOf(o, 'objective');
    return { id, title: pickLang(langStrings(child(o, 'title'))), description: pickLang(langStrings(child(o, 'description'))) };
  });
  const objectiveRefs = (el: XmlElement) =>
    childrenNamed(child(el, 'objectives'), 'objective')
      .map((o) => idOf(o, 'objective', 'idref'))
      .filter(Boolean);

  const readAu = (el: XmlElement): Cmi5Au => {
    const id = idOf(el, 'au');
    const where = `${WHERE}, au ${id}`;
    const titles = langStrings(child(el, 'title'));
    const moveOn = (el.attrs.moveOn?.trim() ?? 'NotApplicable') as MoveOn;
    if (!MOVE_ON.includes(moveOn)) report.error('invalid-value', { attr: 'moveOn', value: el.attrs.moveOn ?? '' }, where, SCHEMA_RULE);
    const launchMethod = el.attrs.launchMethod?.trim() ?? 'AnyWindow';
    if (launchMethod !== 'AnyWindow' && launchMethod !== 'OwnWindow')
      report.error('invalid-value', { attr: 'launchMethod', value: launchMethod }, where, SCHEMA_RULE);
    const authenticationMethod = el.attrs.authenticationMethod?.trim() ?? 'Basic';
    if (authenticationMethod !== 'Basic') report.error('invalid-value', { attr: 'authenticationMethod', value: authenticationMethod }, where, SCHEMA_RULE);
    let masteryScore: number | undefined;
    if (el.attrs.masteryScore !== undefined) {
      // xs:decimal between 0 and 1
      const raw = el.attrs.masteryScore.trim();
      masteryScore = /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(raw) ? Number(raw) : NaN;
      if (!(masteryScore >= 0 && masteryScore <= 1)) report.error('invalid-value', { attr: 'masteryScore', value: el.attrs.masteryScore }, where, SCHEMA_RULE);
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
    const collision = url ? collidingParameter(url) : undefined;
    if (!url) report.error('missing-attribute', { attr: 'url' }, where, SCHEMA_RULE);
    else if (!isRfc1738Url(url)) report.error('cmi5-url-invalid', { url }, where, 'cmi5 13.1.4.0-2');
    else if (collision) report.error('cmi5-url-parameter', { url, name: collision }, where, 'cmi5 8.1.0.0-6');
    else {
      const r = resolveHref('', url);
      if (r.kind === 'external') {
        // cmi5 §13.1.4 allows AUs hosted elsewhere; the platform can launch them but not serve them
        if (/^https?:\/\//i.test(r.url)) {
          // 14.1.0.0-3: media in the zip is referenced relatively; an absolute URL naming a file of the zip is such media
          const inZip = !opts.bare ? zipFileNamedBy(r.url, files) : undefined;
          if (inZip) report.error('cmi5-url-absolute-in-zip', { url: r.url, file: inZip }, where, 'cmi5 14.1.0.0-3');
          else {
            if (!opts.bare) report.warn('external-au', { url: r.url }, where);
            href = r.url;
          }
        } else report.error('href-outside', { href: url }, where);
      } else if (opts.bare) report.error('cmi5-relative-url-bare', { url }, where, 'cmi5 14.2.0.0-1');
      else if (r.kind === 'outside') report.error('href-outside', { href: url }, where, 'cmi5 14.1.0.0-4');
      else if (!files.has(r.path)) report.error('launch-missing', { href: r.path }, where, 'cmi5 14.1.0.0-4');
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
        const id = idOf(c, 'block');
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

  const uniqueRule = { block: 'cmi5 13.1.2.0-1', objective: 'cmi5 13.1.3.0-1', au: 'cmi5 13.1.4.0-1' } as const;
  for (const kind of ['block', 'objective', 'au'] as const) {
    for (const [id, n] of seenIds[kind]) if (n > 1) report.error('duplicate-id', { id }, `${WHERE}, ${kind} ${id}`, uniqueRule[kind]);
  }
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

/**
 * The file of the zip an absolute AU URL names, if any: a trailing part of its path of at least a
 * folder and a file is a file of the package (https://cdn.example.org/kurs/au/index.html → au/index.html).
 * A bare file name alone is no evidence (many servers have an index.html).
 */
function zipFileNamedBy(url: string, files: ReadonlySet<string>): string | undefined {
  let parts: string[];
  try {
    parts = decodeURIComponent(new URL(url).pathname).split('/').filter(Boolean);
  } catch {
    return undefined;
  }
  for (let i = 0; i <= parts.length - 2; i++) {
    const tail = parts.slice(i).join('/');
    if (files.has(tail)) return tail;
  }
  return undefined;
}

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

/**
 * cmi5 13.1.5.0-1: course designers who use elements of their own namespace MUST provide an XML
 * Schema for it. The LMS cannot judge a schema, only whether one is given: in the package (an .xsd
 * file) or named by xsi:schemaLocation. Otherwise a warning, with the namespace.
 */
function reportExtensionSchemas(root: XmlElement, files: ReadonlySet<string>, report: ReportBuilder): void {
  const own = root.ns;
  const foreign = new Set<string>();
  const visit = (el: XmlElement) => {
    if (el.ns && el.ns !== own) foreign.add(el.ns);
    el.children.forEach(visit);
  };
  visit(root);
  if (!foreign.size) return;
  const located = root.attrNs.schemaLocation === XSI ? (root.attrs.schemaLocation ?? '').split(/\s+/).filter((_, i) => i % 2 === 0) : [];
  const packaged = [...files].some((f) => f.toLowerCase().endsWith('.xsd'));
  for (const ns of foreign) {
    if (!packaged && !located.includes(ns)) report.warn('cmi5-extension-schema', { ns }, WHERE, 'cmi5 13.1.5.0-1');
  }
}
