import { applyParameters, encodePath, joinBase, resolveHref } from './package-paths.ts';
import type { ReportBuilder } from './report.ts';
import { parseSequencing, reportUnhonouredSequencing } from './scorm-sequencing.ts';
import type { CompletionThreshold, Launchable, ScormItem, ScormManifest, ScormOrganization, ScormResource, Sequencing } from './types.ts';
import { boolAttr, child, childText, childrenNamed, type XmlElement } from './xml.ts';

const NS_ADLCP_12 = 'http://www.adlnet.org/xsd/adlcp_rootv1p2';
const NS_ADLCP_2004 = 'http://www.adlnet.org/xsd/adlcp_v1p3';
const WHERE = 'imsmanifest.xml';
const MAX_ITEM_DEPTH = 30;

type Version = { format: 'scorm12' } | { format: 'scorm2004'; edition: 2 | 3 | 4 } | { unsupported: string };

/** SCORM version from metadata/schemaversion (CAM 1.2 / CAM 2004 3.4.1.6), else from the namespaces. */
export function scormVersion(root: XmlElement, namespaces: string[]): Version & { schemaversion?: string; assumed?: boolean } {
  if (root.name !== 'manifest') return { unsupported: `<${root.name}>` };
  const schemaversion = childText(child(root, 'metadata'), 'schemaversion')?.trim();
  if (schemaversion) {
    const v = schemaversion.toLowerCase().replace(/\s+/g, ' ');
    if (v === '1.2') return { format: 'scorm12', schemaversion };
    if (v === 'cam 1.3' || v === '2004 2nd edition') return { format: 'scorm2004', edition: 2, schemaversion };
    if (v === '2004 3rd edition') return { format: 'scorm2004', edition: 3, schemaversion };
    if (v === '2004 4th edition') return { format: 'scorm2004', edition: 4, schemaversion };
    return { unsupported: `schemaversion "${schemaversion}"` };
  }
  if (namespaces.includes(NS_ADLCP_12)) return { format: 'scorm12', assumed: true };
  if (namespaces.includes(NS_ADLCP_2004)) return { format: 'scorm2004', edition: 3, assumed: true };
  return { unsupported: 'IMS Content Packaging ohne SCORM' };
}

/** Titles are plain text in 1.2 and 2004 alike; a missing one falls back to the identifier. */
const title = (el: XmlElement, fallback: string) => childText(el, 'title') || fallback;

function completionThreshold(el: XmlElement | undefined): CompletionThreshold | undefined {
  if (!el) return undefined;
  // 3rd edition: the value is the element's text; 4th edition: attributes
  const fromText = el.text !== '' ? Number(el.text) : undefined;
  const min = el.attrs.minProgressMeasure !== undefined ? Number(el.attrs.minProgressMeasure) : fromText;
  return {
    completedByMeasure: el.attrs.completedByMeasure !== undefined ? boolAttr(el, 'completedByMeasure', false) : fromText !== undefined,
    minProgressMeasure: Number.isFinite(min) ? (min as number) : 1,
    progressWeight: el.attrs.progressWeight !== undefined && Number.isFinite(Number(el.attrs.progressWeight)) ? Number(el.attrs.progressWeight) : 1,
  };
}

/** Reads imsmanifest.xml into the typed model, adding errors and warnings; undefined when refused. */
export function readScormManifest(
  root: XmlElement,
  namespaces: string[],
  report: ReportBuilder,
  files: Set<string>,
): { manifest: ScormManifest; launchables: Launchable[] } | undefined {
  const version = scormVersion(root, namespaces);
  if ('unsupported' in version) {
    report.error('unsupported', { detail: version.unsupported }, WHERE);
    return undefined;
  }
  report.format = version.format;
  if (version.assumed) report.warn('version-assumed', { version: version.format === 'scorm12' ? 'SCORM 1.2' : 'SCORM 2004 3rd Edition' }, WHERE);
  const is12 = version.format === 'scorm12';

  const ids = new Map<string, number>();
  const seen = (id: string | undefined) => {
    if (id) ids.set(id, (ids.get(id) ?? 0) + 1);
  };
  seen(root.attrs.identifier);

  const shared = new Map<string, Sequencing>();
  for (const s of childrenNamed(child(root, 'sequencingCollection'), 'sequencing')) {
    if (s.attrs.ID) shared.set(s.attrs.ID, parseSequencing(s));
  }
  const sequencingOf = (el: XmlElement): Sequencing | undefined => {
    const s = child(el, 'sequencing');
    if (!s) return undefined;
    const ref = s.attrs.IDRef;
    if (ref && !shared.has(ref)) report.error('missing-reference', { ref }, `${WHERE}, sequencing IDRef`);
    return parseSequencing(s, ref ? shared.get(ref) : undefined);
  };

  const parseItem = (el: XmlElement, depth: number): ScormItem => {
    const identifier = el.attrs.identifier ?? '';
    seen(identifier);
    if (!identifier) report.error('missing-attribute', { attr: 'identifier' }, `${WHERE}, item`);
    const sequencing = is12 ? undefined : sequencingOf(el);
    const mastery = is12 ? childText(el, 'masteryscore') : undefined;
    const masteryScore = mastery !== undefined && mastery !== '' ? Number(mastery) : undefined;
    if (masteryScore !== undefined && !(masteryScore >= 0 && masteryScore <= 100)) {
      report.error('invalid-value', { attr: 'adlcp:masteryscore', value: mastery ?? '' }, `${WHERE}, item ${identifier}`);
    }
    const presentation = child(el, 'presentation');
    const hide = childrenNamed(child(presentation, 'navigationInterface'), 'hideLMSUI').map((h) => h.text);
    const data = child(el, 'data');
    const item: ScormItem = {
      identifier,
      title: title(el, identifier),
      ...(el.attrs.identifierref ? { identifierref: el.attrs.identifierref } : {}),
      ...(el.attrs.parameters ? { parameters: el.attrs.parameters } : {}),
      isvisible: boolAttr(el, 'isvisible', true),
      ...(masteryScore !== undefined && Number.isFinite(masteryScore) ? { masteryScore } : {}),
      ...optionalText('dataFromLms', childText(el, is12 ? 'datafromlms' : 'dataFromLMS')),
      ...optionalText('maxTimeAllowed', is12 ? childText(el, 'maxtimeallowed') : undefined),
      ...optionalText('timeLimitAction', childText(el, is12 ? 'timelimitaction' : 'timeLimitAction')),
      ...optionalText('prerequisites', is12 ? childText(el, 'prerequisites') : undefined),
      ...(completionThreshold(child(el, 'completionThreshold')) ? { completionThreshold: completionThreshold(child(el, 'completionThreshold')) } : {}),
      objectives: sequencing?.objectives ?? [],
      ...(sequencing ? { sequencing } : {}),
      ...(hide.length ? { hideLmsUi: hide } : {}),
      ...(data
        ? {
            sharedData: childrenNamed(data, 'map').map((m) => ({
              targetID: m.attrs.targetID ?? '',
              readSharedData: boolAttr(m, 'readSharedData', true),
              writeSharedData: boolAttr(m, 'writeSharedData', true),
            })),
          }
        : {}),
      children: [],
    };
    if (depth >= MAX_ITEM_DEPTH) {
      report.error('too-deep-items', { max: MAX_ITEM_DEPTH }, `${WHERE}, item ${identifier}`);
      return item;
    }
    item.children = childrenNamed(el, 'item').map((c) => parseItem(c, depth + 1));
    return item;
  };

  const orgsEl = child(root, 'organizations');
  const organizations: ScormOrganization[] = childrenNamed(orgsEl, 'organization').map((o) => {
    const identifier = o.attrs.identifier ?? '';
    seen(identifier);
    const sequencing = is12 ? undefined : sequencingOf(o);
    return {
      identifier,
      title: title(o, identifier),
      objectivesGlobalToSystem: boolAttr(o, 'objectivesGlobalToSystem', true),
      sharedDataGlobalToSystem: boolAttr(o, 'sharedDataGlobalToSystem', true),
      ...(sequencing ? { sequencing } : {}),
      items: childrenNamed(o, 'item').map((i) => parseItem(i, 1)),
    };
  });

  const baseRoot = joinBase(root.attrs.base);
  const resEl = child(root, 'resources');
  const baseResources = joinBase(baseRoot, resEl?.attrs.base);
  const resources: ScormResource[] = childrenNamed(resEl, 'resource').map((r) => {
    const identifier = r.attrs.identifier ?? '';
    seen(identifier);
    const st = (r.attrs.scormtype ?? r.attrs.scormType ?? '').toLowerCase();
    return {
      identifier,
      type: r.attrs.type ?? 'webcontent',
      scormType: st === 'sco' ? 'sco' : 'asset',
      ...(r.attrs.href ? { href: r.attrs.href } : {}),
      base: joinBase(baseResources, r.attrs.base),
      files: childrenNamed(r, 'file')
        .map((f) => f.attrs.href ?? '')
        .filter(Boolean),
      dependencies: childrenNamed(r, 'dependency')
        .map((d) => d.attrs.identifierref ?? '')
        .filter(Boolean),
    };
  });

  for (const [id, n] of ids) if (n > 1) report.error('duplicate-id', { id }, WHERE);

  const defaultOrganization = orgsEl?.attrs.default;
  if (defaultOrganization && !organizations.some((o) => o.identifier === defaultOrganization)) {
    report.error('missing-reference', { ref: defaultOrganization }, `${WHERE}, organizations default`);
  }
  const byId = new Map(resources.map((r) => [r.identifier, r]));
  const referenced = new Set<string>();
  const launchables: Launchable[] = [];
  const org = organizations.find((o) => o.identifier === defaultOrganization) ?? organizations[0];

  const walk = (items: ScormItem[], inDefault: boolean) => {
    for (const item of items) {
      if (item.identifierref) {
        const res = byId.get(item.identifierref);
        referenced.add(item.identifierref);
        if (!res) report.error('missing-reference', { ref: item.identifierref }, `${WHERE}, item ${item.identifier}`);
        else if (!res.href) report.error('missing-attribute', { attr: 'href' }, `${WHERE}, resource ${res.identifier}`);
        else {
          const href = checkedHref(res, res.href, true, `${WHERE}, resource ${res.identifier}`);
          if (href && inDefault) {
            launchables.push({
              id: item.identifier,
              title: item.title,
              href: applyParameters(href, item.parameters),
              resourceId: res.identifier,
              scormType: res.scormType,
              ...(item.masteryScore !== undefined ? { masteryScore: item.masteryScore } : {}),
              ...(item.dataFromLms !== undefined ? { dataFromLms: item.dataFromLms } : {}),
            });
          }
        }
      }
      walk(item.children, inDefault);
    }
  };
  for (const o of organizations) walk(o.items, o === org);
  // Lesson SCOs without a mastery score are normal (they only report completion); what an author
  // should hear about is a SCORM 1.2 package in which no SCO lets the LMS decide passing at all.
  const scos = launchables.filter((l) => l.scormType === 'sco');
  if (is12 && scos.length > 0 && scos.every((l) => l.masteryScore === undefined)) {
    report.warn('no-mastery-score', { count: scos.length }, WHERE);
  }

  for (const r of resources)
    for (const d of r.dependencies) {
      referenced.add(d);
      if (!byId.has(d)) report.error('missing-reference', { ref: d }, `${WHERE}, resource ${r.identifier}`);
    }
  for (const r of resources) {
    if (!referenced.has(r.identifier)) report.warn('unreferenced-resource', { id: r.identifier }, `${WHERE}, resource ${r.identifier}`);
    for (const f of r.files) checkedHref(r, f, false, `${WHERE}, resource ${r.identifier}`);
  }
  if (!launchables.length && !report.hasErrors) report.error('no-launchable', {}, WHERE);
  if (!is12 && org) reportUnhonouredSequencing(org, (code, params, where) => report.warn(code, params, where));

  const manifest: ScormManifest = {
    kind: 'scorm',
    format: version.format,
    ...(version.format === 'scorm2004' ? { edition: version.edition } : {}),
    ...(version.schemaversion ? { schemaversion: version.schemaversion } : {}),
    identifier: root.attrs.identifier ?? '',
    title: org?.title || childText(child(child(root, 'metadata'), 'lom'), 'title') || root.attrs.identifier || 'SCORM',
    ...(defaultOrganization ? { defaultOrganization } : {}),
    organizations,
    resources,
  };
  return { manifest, launchables };

  /** The launch href inside the package, or a report entry (error for launch files, warning for listed files). */
  function checkedHref(res: ScormResource, href: string, launch: boolean, where: string): string | undefined {
    const resolved = resolveHref(res.base, href);
    if (resolved.kind !== 'inside') {
      if (launch || resolved.kind === 'outside') report.error('href-outside', { href }, where);
      return undefined;
    }
    if (!files.has(resolved.path)) {
      if (launch) report.error('launch-missing', { href: resolved.path }, where);
      else report.warn('file-missing', { href: resolved.path }, where);
      return undefined;
    }
    return encodePath(resolved.path) + resolved.suffix;
  }
}

function optionalText<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value !== undefined && value !== '' ? ({ [key]: value } as Record<K, string>) : {};
}
