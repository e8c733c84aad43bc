import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** An XML element with its namespace prefix removed (adlcp:masteryscore → masteryscore). */
export interface XmlElement {
  name: string;
  /** The element's namespace URI ('' for none), for schemas that tell their own elements from extensions. */
  ns: string;
  attrs: Record<string, string>;
  /** The namespace URI of each prefixed attribute (by local name); unprefixed attributes have none. */
  attrNs: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (CDATA included), trimmed. */
  text: string;
}

export type XmlResult =
  { ok: true; root: XmlElement; namespaces: string[] } | { ok: false; problem: 'doctype' | 'malformed' | 'empty'; detail?: string; line?: number };

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  // prefixes are resolved in toElement, which keeps each element's namespace
  removeNSPrefix: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  // entities are decoded below, by us: only the five XML ones and character references, never a DTD's
  processEntities: false,
  htmlEntities: false,
});

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|amp|lt|gt|quot|apos);/g, (m, e: string) => {
    if (e[0] !== '#') return NAMED[e] ?? m;
    const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
  });
}

type Node = Record<string, unknown>;

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const localName = (qname: string) => qname.slice(qname.indexOf(':') + 1);
const prefixOf = (qname: string) => (qname.includes(':') ? qname.slice(0, qname.indexOf(':')) : '');

function toElement(node: Node, scope: ReadonlyMap<string, string> = new Map([['xml', XML_NS]])): XmlElement | undefined {
  const qname = Object.keys(node).find((k) => k !== ':@');
  if (!qname || qname === '#text' || qname.startsWith('?') || qname.startsWith('!')) return undefined;
  const rawAttrs = (node[':@'] ?? {}) as Record<string, unknown>;
  // xmlns declarations open a scope for this element and its children, and are no attributes
  let inScope = scope;
  for (const [k, v] of Object.entries(rawAttrs)) {
    if (typeof v !== 'string' || (k !== 'xmlns' && !k.startsWith('xmlns:'))) continue;
    if (inScope === scope) inScope = new Map(scope);
    (inScope as Map<string, string>).set(k === 'xmlns' ? '' : k.slice(6), decodeEntities(v));
  }
  const attrs: Record<string, string> = {};
  const attrNs: Record<string, string> = {};
  for (const [k, v] of Object.entries(rawAttrs)) {
    if (typeof v !== 'string' || k === 'xmlns' || k.startsWith('xmlns:')) continue;
    const local = localName(k);
    attrs[local] = decodeEntities(v);
    if (prefixOf(k)) attrNs[local] = inScope.get(prefixOf(k)) ?? '';
  }
  const children: XmlElement[] = [];
  let text = '';
  for (const child of (node[qname] ?? []) as Node[]) {
    if ('#text' in child) text += String(child['#text']);
    else {
      const el = toElement(child, inScope);
      if (el) children.push(el);
    }
  }
  return { name: localName(qname), ns: inScope.get(prefixOf(qname)) ?? '', attrs, attrNs, children, text: decodeEntities(text).trim() };
}

/** The document's encoding from its declaration; TextDecoder knows the ones authoring tools write. */
function decode(buf: Buffer): string {
  const head = buf.subarray(0, 200).toString('latin1');
  const enc = /^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1];
  try {
    return new TextDecoder(enc && !/^utf-?8$/i.test(enc) ? enc : 'utf-8').decode(buf);
  } catch {
    return new TextDecoder('utf-8').decode(buf);
  }
}

/**
 * Parses XML without DTDs: a DOCTYPE or ENTITY declaration is refused before the parser sees the
 * text, so no entity is ever expanded (billion laughs, external entities). Well-formedness is checked
 * first, so a broken manifest is reported with its line.
 */
export function parseXml(buf: Buffer): XmlResult {
  const text = decode(buf).replace(/^\uFEFF/, '');
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) return { ok: false, problem: 'doctype' };
  if (!text.trim()) return { ok: false, problem: 'empty' };
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: true });
  if (valid !== true) return { ok: false, problem: 'malformed', detail: valid.err.msg, line: valid.err.line };
  const nodes = parser.parse(text) as Node[];
  const root = nodes.map((n) => toElement(n)).find((e): e is XmlElement => Boolean(e));
  if (!root) return { ok: false, problem: 'empty' };
  const namespaces = [...text.matchAll(/xmlns(?::[\w.-]+)?\s*=\s*["']([^"']*)["']/g)].map((m) => m[1] ?? '');
  return { ok: true, root, namespaces };
}

/** Element helpers: children by local name (case-sensitive as XML is). */
export const childrenNamed = (el: XmlElement | undefined, name: string): XmlElement[] => el?.children.filter((c) => c.name === name) ?? [];
export const child = (el: XmlElement | undefined, name: string): XmlElement | undefined => el?.children.find((c) => c.name === name);
export const childText = (el: XmlElement | undefined, name: string): string | undefined => child(el, name)?.text;

export function boolAttr(el: XmlElement | undefined, name: string, fallback: boolean): boolean {
  const v = el?.attrs[name]?.trim().toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  return fallback;
}
export function numAttr(el: XmlElement | undefined, name: string): number | undefined {
  const v = el?.attrs[name]?.trim();
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}
