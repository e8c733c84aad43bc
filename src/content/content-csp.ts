/**
 * Packages run inline scripts and styles on the content origin ('self'); they may be framed by the
 * platform (the player page) and reach only its LRS and cmi5 fetch URLs, and post forms only to
 * themselves. What keeps them from the platform is the other origin; this policy is a second wall.
 */
export function contentCsp(platformOrigins: string[], opts: { sandboxed?: boolean } = {}): string {
  const platforms = [...new Set(platformOrigins)];
  const apis = platforms.flatMap((p) => [`${p}/xapi/`, `${p}/api/player/cmi5/fetch/`]).join(' ');
  // the sandbox fallback serves on our origin: an opaque origin for every document (even opened on
  // its own), and of ours only the package files, the LRS and the cmi5 fetch URLs
  const files = platforms.map((p) => `${p}/content/t/`).join(' ');
  const own = opts.sandboxed ? files : "'self'";
  return [
    ...(opts.sandboxed ? ['sandbox allow-scripts allow-forms allow-popups allow-modals allow-downloads'] : []),
    "default-src 'self' 'unsafe-inline' 'unsafe-eval' data: blob:",
    `connect-src ${own} data: blob: ${apis}`,
    ...(opts.sandboxed ? [`frame-src ${files} data: blob:`] : []),
    `form-action ${own}`,
    `frame-ancestors 'self'${opts.sandboxed ? '' : ` ${platforms.join(' ')}`}`,
    "object-src 'none'",
    "base-uri 'self'",
  ].join('; ');
}
