import type { RequestHandler, Response } from 'express';

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

/**
 * One-shot messages shown on the next rendered page (after a redirect).
 *
 * A redirect that follows a new message waits until the session is stored. express-session sends a
 * response's head at once and holds back only the last byte of its body until the store has saved;
 * a browser follows a redirect on its head, so the next page could load the old session (no message)
 * while FerretDB was still writing: "Willkommen" went missing that way in a loaded CI run.
 */
export const flashMiddleware: RequestHandler = (req, res, next) => {
  let unsaved = false;
  req.flash = (kind, text) => {
    req.session.flash = [...(req.session.flash ?? []), { kind, text }];
    unsaved = true;
  };
  const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
  res.redirect = ((...args: unknown[]) => {
    if (!unsaved) return redirect(...args);
    req.session.save((err) => (err ? next(err) : redirect(...args)));
  }) as typeof res.redirect;
  Object.defineProperty(res.locals, 'flashMessages', {
    enumerable: true,
    configurable: true,
    get: () => {
      const messages = req.session?.flash ?? [];
      if (req.session) delete req.session.flash;
      return messages;
    },
  });
  next();
};

/**
 * Leaves the messages for the next regular page. Error pages call this: a browser asks for missing
 * files alongside a page (/favicon.ico, a source map), and the 404 page rendered for such a request
 * must not take the message meant for the page after a redirect.
 */
export function keepFlashForNextPage(res: Response): void {
  Object.defineProperty(res.locals, 'flashMessages', { value: [], enumerable: true, configurable: true });
}
