import type { Request } from 'express';

/**
 * The two origins of the platform: its own (pages, sessions, /xapi) and the content origin that
 * serves package files and holds no session (standards.md "Content isolation").
 *
 * Configured (PUBLIC_URL, CONTENT_ORIGIN) they are fixed. Unconfigured (`npm start` on a laptop or a
 * LAN), each is paired with the host the browser used: the platform on localhost gets its content on
 * 127.0.0.1 and the other way round (different hosts, so the platform's cookies never reach the
 * content origin); any other host name keeps its name and changes the port (its cookies do reach the
 * content listener, which reads none).
 */
export interface Origins {
  /** Content served on our own origin in a sandbox (CONTENT_ISOLATION=sandbox): its documents' origin is opaque ("null"). */
  sandboxed: boolean;
  /** The content origin for a page the platform answers to this request. */
  contentFor(req: Request): string;
  /** The platform origin that frames what the content origin answers to this request. */
  platformFor(req: Request): string;
  /**
   * The platform origin a request to the platform was addressed to: PUBLIC_URL when set, else the
   * request's own (behind a trusted proxy its X-Forwarded-Host and -Proto, as TRUST_PROXY says).
   * Launch URLs are built from it, so content fetches the LRS on the host the learner's browser
   * reaches, which is also the one the content's CSP allows (platformFor of the paired content host).
   */
  platformOf(req: Request): string;
  /** Without a request (automation URLs): the content origin paired with the public URL. */
  content(): string;
}

const HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** localhost and 127.0.0.1 are two hosts for one loopback: cookies of one are not sent to the other. */
const pairedHost = (hostname: string) => (hostname === 'localhost' ? '127.0.0.1' : hostname === '127.0.0.1' ? 'localhost' : hostname);

/** The origin on the paired host and the given port. */
export function pairedOrigin(origin: string, port: number): string {
  const url = new URL(origin);
  url.hostname = pairedHost(url.hostname);
  url.port = String(port);
  return url.origin;
}

/**
 * The origin this request was addressed to, or undefined when its host is not a plain host. req.host
 * and req.protocol read X-Forwarded-Host/-Proto only from proxies TRUST_PROXY trusts (Express 5).
 */
function requestOrigin(req: Request): string | undefined {
  const host = req.host;
  return host && HOST.test(host) ? `${req.protocol}://${host}` : undefined;
}

export function createOrigins(opts: {
  /** PUBLIC_URL as configured (undefined: pair per request). */
  publicUrl: string | undefined;
  /** CONTENT_ORIGIN as configured. */
  contentOrigin: string | undefined;
  sandboxed?: boolean;
  /** The platform's URL once it listens (PUBLIC_URL or http://localhost:<port>). */
  actualPublicUrl: () => string;
  platformPort: () => number;
  contentPort: () => number;
}): Origins {
  const sandboxed = Boolean(opts.sandboxed);
  const platform = () => new URL(opts.actualPublicUrl()).origin;
  const content = () => (sandboxed ? platform() : (opts.contentOrigin ?? pairedOrigin(opts.actualPublicUrl(), opts.contentPort())));
  return {
    sandboxed,
    content,
    contentFor(req) {
      if (sandboxed) return opts.publicUrl ? platform() : (requestOrigin(req) ?? platform());
      if (opts.contentOrigin || opts.publicUrl) return content();
      return pairedOrigin(requestOrigin(req) ?? opts.actualPublicUrl(), opts.contentPort());
    },
    platformOf(req) {
      if (opts.publicUrl) return platform();
      return requestOrigin(req) ?? platform();
    },
    platformFor(req) {
      if (sandboxed) return opts.publicUrl ? platform() : (requestOrigin(req) ?? platform());
      if (opts.contentOrigin || opts.publicUrl) return platform();
      const own = requestOrigin(req);
      return own ? pairedOrigin(own, opts.platformPort()) : platform();
    },
  };
}
