import type { RequestHandler } from 'express';

export type FlashKind = 'success' | 'info' | 'error';
export interface FlashMessage {
  kind: FlashKind;
  text: string;
}

declare module 'express-session' {
  interface SessionData {
    flash?: FlashMessage[];
  }
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      flash(kind: FlashKind, text: string): void;
    }
  }
}

/** One-shot messages shown on the next rendered page (after a redirect). */
export const flashMiddleware: RequestHandler = (req, res, next) => {
  req.flash = (kind, text) => {
    req.session.flash = [...(req.session.flash ?? []), { kind, text }];
  };
  Object.defineProperty(res.locals, 'flashMessages', {
    enumerable: true,
    get: () => {
      const messages = req.session?.flash ?? [];
      if (req.session) delete req.session.flash;
      return messages;
    },
  });
  next();
};
