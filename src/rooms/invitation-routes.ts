import { Router, type Request } from 'express';
import type { SessionUser } from '../accounts/roles.ts';
import { currentUser } from '../http/current-user.ts';
import { submitForm } from '../http/forms.ts';
import { requireLogin } from '../http/guards.ts';
import { Status } from '../http/status.ts';
import { parse } from '../http/validate.ts';
import { formatDateTime } from '../qualification/format.ts';
import { COMPANY_SIZES } from './model.ts';
import { guestRegistrationSchema, tokenParamsSchema } from './schemas.ts';
import type { RoomsService } from './service.ts';

const logIn = (req: Request, user: SessionUser) => new Promise<void>((resolve, reject) => req.logIn(user, (err) => (err ? reject(err as Error) : resolve())));

/**
 * The page an invitation opens (by mail or the shared link), before any sign-in: the room, and
 * either the registration as a guest (consent to the privacy notice required) or, signed in, a
 * button to join. Registering signs the new guest in and takes them to the room.
 */
export function invitationRoutes(s: RoomsService): Router {
  const r = Router();
  const path = '/experimentierraeume/einladung/:token';

  const pageLocals = async (req: Request, token: string) => {
    const inv = await s.invitations.open(token, req.user ? currentUser(req) : undefined);
    return {
      title: req.t('rooms:invitation.title', { title: inv.room.title }),
      inv,
      token,
      sizes: COMPANY_SIZES,
      formatDateTime,
      invitedEmail: inv.invitation?.email ?? '',
    };
  };

  r.get(path, async (req, res) => {
    const { token } = parse(tokenParamsSchema, req.params);
    const locals = await pageLocals(req, token);
    res.render('rooms/invitation', { ...locals, values: { email: locals.invitedEmail } });
  });
  r.post(path, async (req, res) => {
    const { token } = parse(tokenParamsSchema, req.params);
    // read first: an invalid or used link is an error page, not the form again
    const locals = await pageLocals(req, token);
    await submitForm(req, res, {
      view: 'rooms/invitation',
      schema: guestRegistrationSchema,
      locals,
      action: async (input) => {
        const { room, person } = await s.invitations.registerGuest(token, input);
        await logIn(req, person);
        req.flash('success', req.t('rooms:flash.welcome', { title: room.title }));
        res.redirect(Status.SEE_OTHER, `/experimentierraeume/${room.id}`);
      },
    });
  });
  r.post(`${path}/beitreten`, requireLogin, async (req, res) => {
    const { token } = parse(tokenParamsSchema, req.params);
    const room = await s.invitations.acceptSignedIn(currentUser(req), token);
    req.flash('success', req.t('rooms:flash.joined', { title: room.title }));
    res.redirect(Status.SEE_OTHER, `/experimentierraeume/${room.id}`);
  });
  return r;
}
