import path from 'node:path/posix';
import { resolveHref } from './package-paths.ts';
import type { ReportBuilder } from './report.ts';
import { contentCsp } from './content-csp.ts';
import type { Launchable } from './types.ts';
import { readEntryBuffer, type OpenedZip, type ZipFileEntry } from './zip-inspect.ts';

/**
 * Honest imports (issue #15 item 5): what a package loads from other origins and what the content
 * origin's CSP (content-csp.ts) does with it, and launch pages whose scripts, styles or
 * frames are not in the package. A package that imports without a word and then shows a blank
 * page in the player is what this prevents.
 *
 * The scan is bounded (files, bytes per file, bytes in all): a large package is checked in part and
 * the report says so. It reads text with regular expressions, not a browser: it finds what is
 * written down (attributes, url(), fetch("…")), not URLs a script computes at run time.
 */

export interface ResourceScanLimits {
  maxFiles: number;
  maxFileBytes: number;
  maxTotalBytes: number;
  /** Warnings about other origins; the rest is counted in one summary line. */
  maxExternalWarnings: number;
}
export const RESOURCE_SCAN_LIMITS: ResourceScanLimits = { maxFiles: 400, maxFileBytes: 2 * 1024 ** 2, maxTotalBytes: 32 * 1024 ** 2, maxExternalWarnings: 40 };

/** What a reference loads, as CSP names it: the directive that decides (CSP3 §6.1, §6.8.1 fallback lists). */
type Kind = 'script' | 'style' | 'image' | 'font' | 'frame' | 'media' | 'connect' | 'object' | 'form';
const DIRECTIVE: Record<Kind, string[]> = {
  script: ['script-src-elem', 'script-src', 'default-src'],
  style: ['style-src-elem', 'style-src', 'default-src'],
  image: ['img-src', 'default-src'],
  font: ['font-src', 'default-src'],
  frame: ['frame-src', 'child-src', 'default-src'],
  media: ['media-src', 'default-src'],
  connect: ['connect-src', 'default-src'],
  object: ['object-src', 'default-src'],
  form: ['form-action'],
};

interface Reference {
  kind: Kind;
  url: string;
}

const TEXT = /\.(x?html?|m?js|css|svg)$/i;
const isHtml = (p: string) => /\.x?html?$/i.test(p);

const attr = (tag: string, name: string): string | undefined => {
  const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return m ? (m[1] ?? m[2] ?? m[3] ?? '').trim() : undefined;
};

/** References in HTML attributes: <script src>, <link href>, <img src/srcset>, frames, media, <object data>, <form action>. */
function htmlReferences(html: string): Reference[] {
  const out: Reference[] = [];
  for (const m of html.matchAll(/<(script|link|img|iframe|frame|audio|video|source|track|embed|object|form|input)\b[^>]*>/gi)) {
    const tag = m[0];
    const name = (m[1] ?? '').toLowerCase();
    const push = (kind: Kind, url: string | undefined) => {
      if (url) out.push({ kind, url });
    };
    if (name === 'script') push('script', attr(tag, 'src'));
    else if (name === 'link') {
      const rel = (attr(tag, 'rel') ?? '').toLowerCase();
      const as = (attr(tag, 'as') ?? '').toLowerCase();
      if (rel.includes('stylesheet')) push('style', attr(tag, 'href'));
      else if (rel.includes('icon')) push('image', attr(tag, 'href'));
      else if (rel.includes('modulepreload')) push('script', attr(tag, 'href'));
      else if (rel.includes('preload') || rel.includes('prefetch')) {
        push(as === 'script' ? 'script' : as === 'style' ? 'style' : as === 'font' ? 'font' : as === 'image' ? 'image' : 'connect', attr(tag, 'href'));
      }
    } else if (name === 'img' || (name === 'input' && (attr(tag, 'type') ?? '').toLowerCase() === 'image')) {
      push('image', attr(tag, 'src'));
      for (const part of (attr(tag, 'srcset') ?? '').split(',')) push('image', part.trim().split(/\s+/)[0]);
    } else if (name === 'iframe' || name === 'frame') push('frame', attr(tag, 'src'));
    else if (name === 'embed') push('object', attr(tag, 'src'));
    else if (name === 'object') push('object', attr(tag, 'data'));
    else if (name === 'form') push('form', attr(tag, 'action'));
    else if (name !== 'input') push('media', attr(tag, 'src'));
  }
  return out;
}

const ABSOLUTE = String.raw`((?:https?:|wss?:)?\/\/[^'"\x60\s)]+)`;
const JS_PATTERNS: Array<[RegExp, Kind]> = [
  [new RegExp(String.raw`\b(?:fetch|sendBeacon|EventSource|WebSocket)\s*\(\s*['"\x60]${ABSOLUTE}`, 'g'), 'connect'],
  [new RegExp(String.raw`\.open\s*\(\s*['"][A-Za-z]+['"]\s*,\s*['"\x60]${ABSOLUTE}`, 'g'), 'connect'],
  [new RegExp(String.raw`\b(?:importScripts|import)\s*\(\s*['"\x60]${ABSOLUTE}`, 'g'), 'script'],
  [new RegExp(String.raw`\bimport\s[^;'"]*?from\s*['"]${ABSOLUTE}`, 'g'), 'script'],
  [new RegExp(String.raw`\.src\s*=\s*['"\x60]${ABSOLUTE}`, 'g'), 'script'],
];
/** References in script text: fetch/XHR/beacon/sockets, dynamic and static imports, script.src = "…". */
function scriptReferences(js: string): Reference[] {
  return JS_PATTERNS.flatMap(([re, kind]) => [...js.matchAll(re)].map((m) => ({ kind, url: m[1] ?? '' })));
}

/** References in style text: url(…) (fonts inside @font-face) and @import. */
function styleReferences(css: string): Reference[] {
  const out: Reference[] = [];
  for (const m of css.matchAll(/@import\s+(?:url\(\s*)?['"]?([^'")\s;]+)/gi)) out.push({ kind: 'style', url: m[1] ?? '' });
  for (const face of css.matchAll(/@font-face\s*\{[^}]*\}/gi))
    for (const m of face[0].matchAll(/url\(\s*['"]?([^'")]+)/gi)) out.push({ kind: 'font', url: m[1] ?? '' });
  const noFaces = css.replace(/@font-face\s*\{[^}]*\}/gi, '').replace(/@import[^;]*;/gi, '');
  for (const m of noFaces.matchAll(/url\(\s*['"]?([^'")]+)/gi)) out.push({ kind: 'image', url: m[1] ?? '' });
  return out;
}

function referencesIn(file: string, text: string): Reference[] {
  if (isHtml(file) || /\.svg$/i.test(file)) {
    const inline = [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)].map((m) => m[1] ?? '').join('\n');
    const styles = [...text.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi), ...text.matchAll(/\sstyle\s*=\s*"([^"]*)"/gi)].map((m) => m[1] ?? '').join('\n');
    return [...htmlReferences(text), ...scriptReferences(inline), ...styleReferences(styles)];
  }
  if (/\.css$/i.test(file)) return styleReferences(text);
  return scriptReferences(text);
}

/** The other origin a reference names (http, https, ws, wss; "//host" counts as https), or undefined for package files and data:/blob:. */
function externalUrl(url: string): URL | undefined {
  if (!/^(?:[a-z][a-z0-9+.-]*:)?\/\//i.test(url)) return undefined;
  try {
    const parsed = new URL(url, 'https://package.invalid/');
    return /^(https?|wss?):$/.test(parsed.protocol) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What the content origin's CSP does with a URL of this kind: the directive that decides and
 * whether one of its sources matches. The platform in the policy is a placeholder: a package
 * cannot know the platform's host, so it never matches a URL written into a package.
 */
export function cspVerdict(csp: string, kind: Kind, url: URL): { directive: string; allowed: boolean } {
  const directives = new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map((d) => [d[0]!.toLowerCase(), d.slice(1)] as const),
  );
  const directive = DIRECTIVE[kind].find((d) => directives.has(d));
  if (!directive) return { directive: 'keine', allowed: true };
  const sources = directives.get(directive) ?? [];
  const allowed = sources.some((s) => {
    if (s === '*') return true;
    if (/^[a-z][a-z0-9+.-]*:$/i.test(s)) return url.protocol === s.toLowerCase() || (s === 'https:' && url.protocol === 'wss:');
    if (s.startsWith("'")) return false; // 'self' is the content origin, never another one
    try {
      const src = new URL(/^[a-z]+:\/\//i.test(s) ? s : `https://${s}`);
      return (
        src.origin === url.origin &&
        (!src.pathname || src.pathname === '/' || (src.pathname.endsWith('/') ? url.pathname.startsWith(src.pathname) : url.pathname === src.pathname))
      );
    } catch {
      return false;
    }
  });
  return { directive, allowed };
}

const KIND_EN: Record<Kind, string> = {
  script: 'a script',
  style: 'a style sheet',
  image: 'an image',
  font: 'a font',
  frame: 'a frame',
  media: 'audio/video',
  connect: 'a connection (fetch/XHR)',
  object: 'an embedded object',
  form: 'a form target',
};
const KIND_DE: Record<Kind, string> = {
  script: 'ein Skript',
  style: 'ein Stylesheet',
  image: 'ein Bild',
  font: 'eine Schrift',
  frame: 'einen Frame',
  media: 'Audio/Video',
  connect: 'eine Verbindung (fetch/XHR)',
  object: 'ein eingebettetes Objekt',
  form: 'ein Formularziel',
};

/** The launch files (HTML inside the package) first, so they are scanned even when the limits cut the rest. */
function scanOrder(opened: OpenedZip, launchFiles: string[]): ZipFileEntry[] {
  const launch = launchFiles.map((f) => opened.byPath.get(f)).filter((f): f is ZipFileEntry => Boolean(f));
  const rest = opened.files.filter((f) => TEXT.test(f.path) && !launchFiles.includes(f.path));
  return [...launch, ...rest];
}

/** The package path of each launchable's file (query and fragment off), for launchables inside the package. */
function launchFilesOf(launchables: Launchable[]): string[] {
  const out = new Set<string>();
  for (const l of launchables) {
    const r = resolveHref(
      '',
      l.href
        .replace(/[?#].*$/, '')
        .split('/')
        .map((s) => {
          try {
            return decodeURIComponent(s);
          } catch {
            return s;
          }
        })
        .join('/'),
    );
    if (r.kind === 'inside' && isHtml(r.path)) out.add(r.path);
  }
  return [...out];
}

/** Warns about a launch page's scripts, styles and frames that are missing, empty, or in a missing or empty folder. */
function checkLocalReferences(opened: OpenedZip, file: string, refs: Reference[], report: ReportBuilder): void {
  const folderHasFiles = (folder: string) => opened.files.some((f) => f.path.startsWith(`${folder}/`) && f.size > 0);
  const seen = new Set<string>();
  for (const ref of refs) {
    if (ref.kind !== 'script' && ref.kind !== 'style' && ref.kind !== 'frame') continue;
    if (/^[a-z][a-z0-9+.-]*:/i.test(ref.url) || ref.url.startsWith('//') || ref.url.startsWith('#') || ref.url === '') continue;
    const r = resolveHref(path.dirname(file) === '.' ? '' : `${path.dirname(file)}/`, ref.url);
    if (r.kind !== 'inside' || seen.has(r.path)) continue;
    seen.add(r.path);
    const entry = opened.byPath.get(r.path);
    const where = `${file}: ${ref.url}`;
    if (entry && entry.size > 0) continue;
    if (entry) {
      report.warn('launch-ref-empty', { file, ref: r.path }, where);
      continue;
    }
    const folder = path.dirname(r.path);
    if (folder !== '.' && !folderHasFiles(folder)) report.warn('launch-ref-folder-empty', { file, ref: r.path, folder: `${folder}/` }, where);
    else report.warn('launch-ref-missing', { file, ref: r.path }, where);
  }
}

/** Scans the package's HTML, scripts and styles and adds the warnings to the report. */
export async function checkPackageResources(
  opened: OpenedZip,
  launchables: Launchable[],
  report: ReportBuilder,
  limits: ResourceScanLimits = RESOURCE_SCAN_LIMITS,
): Promise<void> {
  const csp = contentCsp(['https://plattform.invalid']);
  const launchFiles = launchFilesOf(launchables);
  const candidates = scanOrder(opened, launchFiles);
  const external = new Map<string, { kind: Kind; url: URL; file: string }>();
  let scannedBytes = 0;
  let skipped = 0;
  let scanned = 0;
  for (const file of candidates) {
    if (scanned >= limits.maxFiles || file.size > limits.maxFileBytes || scannedBytes + file.size > limits.maxTotalBytes) {
      skipped += 1;
      continue;
    }
    let text: string;
    try {
      text = (await readEntryBuffer(opened, file, limits.maxFileBytes)).toString('utf8');
    } catch {
      skipped += 1;
      continue;
    }
    scanned += 1;
    scannedBytes += file.size;
    const refs = referencesIn(file.path, text);
    if (launchFiles.includes(file.path)) checkLocalReferences(opened, file.path, refs, report);
    for (const ref of refs) {
      const url = externalUrl(ref.url);
      if (!url) continue;
      const key = `${ref.kind} ${url.href}`;
      if (!external.has(key)) external.set(key, { kind: ref.kind, url, file: file.path });
    }
  }
  let warned = 0;
  for (const { kind, url, file } of external.values()) {
    if (warned >= limits.maxExternalWarnings) break;
    warned += 1;
    const verdict = cspVerdict(csp, kind, url);
    report.warn(
      verdict.allowed ? 'external-resource-allowed' : 'external-resource-blocked',
      { kind: KIND_DE[kind], kindEn: KIND_EN[kind], url: url.href, origin: url.origin, file, directive: verdict.directive },
      file,
    );
  }
  if (external.size > warned) report.warn('external-resources-more', { count: external.size - warned });
  if (skipped > 0) report.warn('resources-scan-limited', { count: skipped, scanned });
}
