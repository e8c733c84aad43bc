import helmet from 'helmet';
import type { IncomingMessage } from 'node:http';
import type { Request, RequestHandler } from 'express';
import type { Origins } from './origins.ts';

/**
 * A strict Content-Security-Policy for the platform's own pages: scripts and styles only from our
 * origin, no inline script. Frames: the content origin (the player's package frame) and our own pages
 * (a cmi5 AU that returns to its returnURL inside the frame); our pages may be framed only by our own
 * pages, so no package on the content origin can frame them. Package files get their own, looser
 * policy on the content origin (src/content/serve-routes.ts).
 */
export function securityHeaders(origins: Origins): RequestHandler {
  const contentOrigin = (req: IncomingMessage) => origins.contentFor(req as Request);
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        frameSrc: ["'self'", contentOrigin],
        childSrc: ["'self'", contentOrigin],
        frameAncestors: ["'self'"],
        formAction: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
      },
    },
    crossOriginEmbedderPolicy: false,
  });
}
