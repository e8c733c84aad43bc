import type { ReportBuilder } from './report.ts';
import type { XmlElement } from './xml.ts';

/**
 * The namespaces of the cmi5 course structure: the published XSD's address (cmi5 Quartz §13.2, what
 * CATAPULT and the authoring tools write) and the one in the schema text of the specification.
 */
export const CMI5_NAMESPACES = ['https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd', 'http://www.adlnet.gov/cmi5/CourseStructure.xsd'];

/** cmi5 13.2.0.0-1: a course structure MUST conform to CourseStructure.xsd. */
export const SCHEMA_RULE = 'cmi5 13.2.0.0-1';

/** One particle of an xs:sequence: elements of the cmi5 namespace by local name, min..max times. */
interface Particle {
  names: string[];
  min: number;
  max: number;
}
/** A complex type: its content model and the attributes it declares (anything else must be of another namespace). */
interface ElementType {
  /** xs:sequence (in order) or xs:all (each once, any order). */
  model: 'sequence' | 'all' | 'simple' | 'any';
  particles?: Particle[];
  /** Ends with the anyElement group: elements of other namespaces may follow. */
  extensible?: boolean;
  attributes: string[];
}

const one = (name: string): Particle => ({ names: [name], min: 1, max: 1 });
const optional = (name: string): Particle => ({ names: [name], min: 0, max: 1 });
const children: Particle = { names: ['au', 'block'], min: 1, max: Infinity };

/** CourseStructure.xsd (cmi5 Quartz §13.2), element by element, keyed by parent/child so both objective types stay apart. */
const TYPES: Record<string, ElementType> = {
  courseStructure: { model: 'sequence', particles: [one('course'), optional('objectives'), children], extensible: true, attributes: [] },
  course: { model: 'sequence', particles: [one('title'), one('description')], extensible: true, attributes: ['id'] },
  objectives: { model: 'sequence', particles: [{ names: ['objective'], min: 1, max: Infinity }], extensible: true, attributes: [] },
  'objectives/objective': { model: 'all', particles: [one('title'), one('description')], attributes: ['id'] },
  block: { model: 'sequence', particles: [one('title'), one('description'), optional('objectives'), children], extensible: true, attributes: ['id'] },
  au: {
    model: 'sequence',
    particles: [one('title'), one('description'), optional('objectives'), one('url'), optional('launchParameters'), optional('entitlementKey')],
    extensible: true,
    attributes: ['id', 'moveOn', 'masteryScore', 'authenticationMethod', 'launchMethod', 'activityType'],
  },
  // referencesObjectivesType inside an au or a block
  refs: { model: 'sequence', particles: [{ names: ['objective'], min: 1, max: Infinity }], extensible: true, attributes: [] },
  'refs/objective': { model: 'sequence', particles: [], attributes: ['idref'] },
  text: { model: 'sequence', particles: [{ names: ['langstring'], min: 1, max: Infinity }], extensible: true, attributes: [] },
  langstring: { model: 'simple', attributes: ['lang'] },
  url: { model: 'simple', attributes: [] },
  // declared without a type in the XSD: xs:anyType
  launchParameters: { model: 'any', attributes: [] },
  entitlementKey: { model: 'any', attributes: [] },
};

/** Which type a child has, given its parent's type key. */
function childType(parentKey: string, name: string): string {
  if (name === 'title' || name === 'description') return 'text';
  if (name === 'objectives') return parentKey === 'courseStructure' ? 'objectives' : 'refs';
  if (name === 'objective') return parentKey === 'objectives' ? 'objectives/objective' : 'refs/objective';
  return name;
}

// xs:language (XML Schema Part 2 §3.3.3)
const LANGUAGE = /^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$/;

/**
 * Checks the course structure against CourseStructure.xsd (cmi5 Quartz §13.2, requirement
 * 13.2.0.0-1): the root element and its namespace, the order and number of every element, and that
 * undeclared elements and attributes come only from other namespaces (§13.1.5 vendor extensions, the
 * XSD's anyElement / anyAttribute: ##other). Values (ids, URLs, enumerations) are cmi5-course.ts's.
 * Returns false when the root itself is wrong (nothing else can be read then).
 */
export function checkCourseSchema(root: XmlElement, report: ReportBuilder, where: string): boolean {
  if (root.name !== 'courseStructure') {
    report.error('unsupported', { detail: `cmi5.xml <${root.name}>` }, where, SCHEMA_RULE);
    return false;
  }
  if (!CMI5_NAMESPACES.includes(root.ns)) {
    report.error('cmi5-namespace', { ns: root.ns || '–', expected: CMI5_NAMESPACES[0]! }, where, SCHEMA_RULE);
    return false;
  }
  const target = root.ns;
  const isOwn = (el: XmlElement) => el.ns === target;
  // ##other: a namespace, and not ours (unqualified elements are not "other" in XSD 1.0)
  const isOther = (ns: string | undefined) => Boolean(ns) && ns !== target;

  const visit = (el: XmlElement, key: string, path: string): void => {
    const type = TYPES[key];
    if (!type) return;
    for (const attr of Object.keys(el.attrs)) {
      if (!type.attributes.includes(attr) && !isOther(el.attrNs[attr])) report.error('cmi5-schema-attribute', { element: el.name, attr }, path, SCHEMA_RULE);
    }
    if (key === 'langstring' && el.attrs.lang !== undefined && !LANGUAGE.test(el.attrs.lang.trim())) {
      report.error('invalid-value', { attr: 'lang', value: el.attrs.lang }, path, SCHEMA_RULE);
    }
    if (type.model === 'any') return;
    if (type.model === 'simple') {
      const child = el.children[0];
      if (child) report.error('cmi5-schema-order', { element: el.name, found: child.name, expected: '–' }, path, SCHEMA_RULE);
      return;
    }
    const particles = type.particles ?? [];
    const kids = el.children;
    let i = 0;
    if (type.model === 'all') {
      const seen = new Map<string, number>();
      for (; i < kids.length && isOwn(kids[i]!) && particles.some((p) => p.names.includes(kids[i]!.name)); i++)
        seen.set(kids[i]!.name, (seen.get(kids[i]!.name) ?? 0) + 1);
      for (const p of particles) {
        const n = seen.get(p.names[0]!) ?? 0;
        if (n < p.min || n > p.max) report.error('cmi5-schema-count', { element: el.name, child: p.names[0]!, count: n }, path, SCHEMA_RULE);
      }
    } else {
      for (const p of particles) {
        let n = 0;
        while (i < kids.length && n < p.max && isOwn(kids[i]!) && p.names.includes(kids[i]!.name)) {
          i++;
          n++;
        }
        if (n < p.min) {
          const found = kids[i];
          if (found) report.error('cmi5-schema-order', { element: el.name, found: found.name, expected: p.names.join(' | ') }, path, SCHEMA_RULE);
          else report.error('cmi5-schema-count', { element: el.name, child: p.names.join(' | '), count: 0 }, path, SCHEMA_RULE);
          return;
        }
      }
    }
    for (; i < kids.length; i++) {
      const k = kids[i]!;
      if (type.extensible && isOther(k.ns)) continue;
      report.error('cmi5-schema-order', { element: el.name, found: k.name, expected: type.extensible ? '##other' : '–' }, path, SCHEMA_RULE);
      return;
    }
    for (const k of kids) {
      if (!isOwn(k)) continue;
      const id = k.attrs.id?.trim();
      visit(k, childType(key, k.name), id && (k.name === 'au' || k.name === 'block') ? `${where}, ${k.name} ${id}` : path);
    }
  };
  visit(root, 'courseStructure', where);
  return true;
}
