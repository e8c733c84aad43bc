/** Paths and hrefs inside a package: resolving manifest hrefs against xml:base, applying parameters. */

export type ResolvedHref = { kind: 'inside'; path: string; suffix: string } | { kind: 'external'; url: string } | { kind: 'outside' };

const SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;

/** Joins xml:base parts ("x/" + "y/") the way a URL resolver would for relative bases. */
export function joinBase(...parts: Array<string | undefined>): string {
  return parts
    .filter((p): p is string => Boolean(p && p.trim()))
    .map((p) => p.trim())
    .reduce((acc, p) => {
      if (SCHEME.test(p) || p.startsWith('/')) return p;
      return acc + (acc && !acc.endsWith('/') ? '/' : '') + p;
    }, '');
}

/**
 * Resolves an href from a manifest to a file path inside the package. Query and fragment are kept
 * apart; percent-encoding is decoded; "." and ".." are folded. Anything that climbs above the
 * package root, is absolute, or names another host is not a package file.
 */
export function resolveHref(base: string, href: string): ResolvedHref {
  const full = joinBase(base, href.trim());
  if (SCHEME.test(full) || full.startsWith('//')) return { kind: 'external', url: full };
  if (full.startsWith('/') || full.includes('\\')) return { kind: 'outside' };
  const cut = full.search(/[?#]/);
  const rawPath = cut === -1 ? full : full.slice(0, cut);
  const suffix = cut === -1 ? '' : full.slice(cut);
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    decoded = rawPath;
  }
  if (decoded.includes('\\') || decoded.includes('\0')) return { kind: 'outside' };
  const out: string[] = [];
  for (const seg of decoded.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (!out.length) return { kind: 'outside' };
      out.pop();
    } else out.push(seg);
  }
  if (!out.length) return { kind: 'outside' };
  return { kind: 'inside', path: out.join('/'), suffix };
}

/** Encodes a package path for use in a URL, segment by segment. */
export const encodePath = (p: string) => p.split('/').map(encodeURIComponent).join('/');

/**
 * Appends an item's parameters to a launch href (SCORM CAM 2004 3.4.1.12, as ADL's sample RTE does):
 * a fragment is added only when the href has none; leading "?" and "&" are dropped, then the query
 * is joined with "?" or "&".
 */
export function applyParameters(href: string, parameters: string | undefined): string {
  const p = parameters?.trim();
  if (!p) return href;
  if (p.startsWith('#')) return href.includes('#') ? href : href + p;
  const q = p.replace(/^[?&]+/, '');
  if (!q) return href;
  const hash = href.indexOf('#');
  const [main, frag] = hash === -1 ? [href, ''] : [href.slice(0, hash), href.slice(hash)];
  return `${main}${main.includes('?') ? '&' : '?'}${q}${frag}`;
}

/**
 * The file path from the raw (still encoded) URL. Anything that could name something other than a
 * package file is refused before decoding gives it a meaning: encoded slashes and backslashes, NUL,
 * empty, "." and ".." segments (also as %2e%2e). The result is only ever looked up in the version's
 * file index, so a path that is not a file of the package cannot reach the disk.
 */
export function packagePathFromUrl(rawRest: string): string | undefined {
  if (!rawRest || /%2f|%5c|%00|\\/i.test(rawRest)) return undefined;
  const segments: string[] = [];
  for (const raw of rawRest.split('/')) {
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    if (seg === '' || seg === '.' || seg === '..' || /[\\/\0]/.test(seg)) return undefined;
    segments.push(seg);
  }
  return segments.join('/');
}
