import { Router, type Request, type Response } from 'express';
import type { createPassport } from './passport.ts';
import { submitForm } from '../http/forms.ts';
import { currentUser } from '../http/current-user.ts';
import { statusOf } from '../http/error-mapper.ts';
import { requireLogin, requireRole } from '../http/guards.ts';
import { parse } from '../http/validate.ts';
import { DomainError } from '../shared/errors.ts';
import { REGIONS, ROLES, type SessionUser } from './roles.ts';
import {
  adminRolesSchema,
  adminUserQuerySchema,
  changePasswordSchema,
  forgotSchema,
  loginSchema,
  objectIdSchema,
  profileSchema,
  registerFormSchema,
  resetSchema,
} from './schemas.ts';
import type { AccountService } from './service.ts';

/** Only same-site paths are followed after login (no open redirect). */
const safeNext = (next: unknown) => (typeof next === 'string' && /^\/(?!\/)[^\s\\]*$/.test(next) ? next : '/');

const logIn = (req: Request, user: SessionUser) => new Promise<void>((resolve, reject) => req.logIn(user, (err) => (err ? reject(err as Error) : resolve())));

/** Pages and actions of the accounts component: sign-in, registration, passwords, profile, admin. */
export function accountRoutes(accounts: AccountService, passport: ReturnType<typeof createPassport>, opts: { noticeVersion?: string } = {}): Router {
  const r = Router();
  const formLocals = { regions: REGIONS };
  const registerLocals = { ...formLocals, noticeVersion: opts.noticeVersion };

  r.get('/login', (req, res) => res.render('accounts/login', { values: {}, next: safeNext(req.query.next) }));
  r.post('/login', (req, res) =>
    submitForm(req, res, {
      view: 'accounts/login',
      schema: loginSchema,
      locals: { next: safeNext(req.body?.next) },
      action: async () => {
        const user = await new Promise<SessionUser>((resolve, reject) => {
          passport.authenticate('local', { session: false }, (err: unknown, u: SessionUser | false) =>
            err ? reject(err as Error) : u ? resolve(u) : reject(new DomainError('unauthenticated', 'accounts:errors.badCredentials')),
          )(req, res, () => {});
        });
        // passport regenerates the session id on logIn (session fixation)
        await logIn(req, user);
        req.flash('success', req.t('accounts:flash.loggedIn', { name: user.name }));
        res.redirect(safeNext(req.body?.next));
      },
    }),
  );

  r.post('/logout', requireLogin, (req, res, next) => {
    req.logOut((err) => {
      if (err) return next(err);
      req.flash('info', req.t('accounts:flash.loggedOut'));
      res.redirect('/');
    });
  });

  r.get('/register', (_req, res) => res.render('accounts/register', { ...registerLocals, values: {} }));
  r.post('/register', (req, res) =>
    submitForm(req, res, {
      view: 'accounts/register',
      schema: registerFormSchema,
      locals: registerLocals,
      action: async (input) => {
        const user = await accounts.register(input);
        await logIn(req, user);
        req.flash('success', req.t('accounts:flash.registered', { name: user.name }));
        res.redirect('/');
      },
    }),
  );

  r.get('/password/forgot', (_req, res) => res.render('accounts/forgot', { values: {} }));
  r.post('/password/forgot', (req, res) =>
    submitForm(req, res, {
      view: 'accounts/forgot',
      schema: forgotSchema,
      action: async ({ email }) => {
        await accounts.requestPasswordReset(email, req.ip ?? 'unknown');
        req.flash('info', req.t('accounts:flash.resetSent'));
        res.redirect('/login');
      },
    }),
  );

  r.get('/password/reset/:token', async (req, res) => {
    const usable = await accounts.resetTokenUsable(req.params.token);
    if (!usable) res.status(statusOf('gone'));
    res.render('accounts/reset', { values: {}, usable, token: req.params.token });
  });
  r.post('/password/reset/:token', (req, res) =>
    submitForm(req, res, {
      view: 'accounts/reset',
      schema: resetSchema,
      locals: { usable: true, token: req.params.token },
      action: async ({ password }) => {
        await accounts.resetPassword(String(req.params.token), password);
        req.flash('success', req.t('accounts:flash.resetDone'));
        res.redirect('/login');
      },
    }),
  );

  r.get('/profile', requireLogin, (req, res) => res.render('accounts/profile', { ...formLocals, values: req.user }));
  r.post('/profile', requireLogin, (req, res) =>
    submitForm(req, res, {
      view: 'accounts/profile',
      schema: profileSchema,
      locals: formLocals,
      action: async (input) => {
        await accounts.updateProfile(currentUser(req).id, input);
        req.flash('success', req.t('accounts:flash.profileSaved'));
        res.redirect('/profile');
      },
    }),
  );
  r.post('/profile/password', requireLogin, (req, res) =>
    submitForm(req, res, {
      view: 'accounts/profile',
      schema: changePasswordSchema,
      locals: { ...formLocals, passwordForm: true, profile: req.user },
      action: async ({ currentPassword, password }) => {
        const user = await accounts.changePassword(currentUser(req).id, currentPassword, password);
        await logIn(req, user); // a fresh session id, and this session keeps the new version
        req.flash('success', req.t('accounts:flash.passwordChanged'));
        res.redirect('/profile');
      },
    }),
  );

  const admin = requireRole('admin');
  r.get('/admin/users', admin, async (req: Request, res: Response) => {
    const query = parse(adminUserQuerySchema, req.query);
    const pageSize = 25;
    const { users, total } = await accounts.searchUsers(query, pageSize);
    res.render('accounts/admin-users', { users, total, query, roles: ROLES, pages: Math.max(1, Math.ceil(total / pageSize)) });
  });
  r.post('/admin/users/:id/roles', admin, async (req, res) => {
    const { id } = parse(objectIdSchema, req.params);
    const { roles } = parse(adminRolesSchema, req.body);
    const user = await accounts.setRoles(currentUser(req).id, id, roles);
    req.flash('success', req.t('accounts:flash.rolesSaved', { name: user.name }));
    res.redirect(`/admin/users?q=${encodeURIComponent(user.email)}`);
  });
  r.post('/admin/users/:id/active', admin, async (req, res) => {
    const { id } = parse(objectIdSchema, req.params);
    const active = req.body?.active === 'true';
    const user = await accounts.setActive(currentUser(req).id, id, active);
    req.flash('success', req.t(active ? 'accounts:flash.activated' : 'accounts:flash.deactivated', { name: user.name }));
    res.redirect(`/admin/users?q=${encodeURIComponent(user.email)}`);
  });
  return r;
}
