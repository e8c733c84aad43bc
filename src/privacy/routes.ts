import { pipeline } from 'node:stream/promises';
import { Router } from 'express';
import { currentUser } from '../http/current-user.ts';
import { submitForm } from '../http/forms.ts';
import { requireLogin, requireRole } from '../http/guards.ts';
import { objectIdParams } from '../http/ids.ts';
import { Status } from '../http/status.ts';
import { parse } from '../http/validate.ts';
import { AUDIT_ACTIONS } from './ports.ts';
import { auditQuerySchema, erasureRequestSchema, exportTokenSchema, onBehalfSchema } from './schemas.ts';
import type { PrivacyService } from './service.ts';
import { viewHelpers } from './format.ts';

const erasureIdSchema = objectIdParams('id', 'privacy:errors.erasureNotFound');

/** Pages of the privacy component: information, the person's own privacy page, the admin's. */
export function privacyRoutes(service: PrivacyService): Router {
  const r = Router();
  const information = () => ({
    ...viewHelpers,
    operator: service.settings.operator,
    settings: service.settings,
    // one line per purpose (a GridFS bucket is two collections with one purpose)
    purposes: [...new Set(service.registry.personalCollections().map((c) => c.purpose))],
    kept: [...new Set(service.registry.personalCollections().flatMap((c) => (c.kept ? [c.kept] : [])))],
  });

  r.get('/datenschutz', (_req, res) => res.render('privacy/datenschutz', information()));
  r.get('/impressum', (_req, res) => res.render('privacy/impressum', information()));

  const profileLocals = async (userId: string) => ({
    ...viewHelpers,
    ...(await service.overview(userId)),
    settings: service.settings,
    coolOffDays: service.settings.erasureCoolOffDays,
  });
  r.get('/profile/privacy', requireLogin, async (req, res) => {
    res.render('privacy/profile', await profileLocals(currentUser(req).id));
  });
  r.post('/profile/privacy/export', requireLogin, async (req, res) => {
    const actor = currentUser(req);
    await service.exports.request(actor, actor.id);
    req.flash('success', req.t('privacy:flash.exportQueued'));
    res.redirect(Status.SEE_OTHER, '/profile/privacy');
  });
  r.post('/profile/privacy/erasure', requireLogin, (req, res) =>
    submitForm(req, res, {
      view: 'privacy/profile',
      schema: erasureRequestSchema,
      locals: () => profileLocals(currentUser(req).id),
      action: async () => {
        const actor = currentUser(req);
        await service.erasures.request(actor, actor.id);
        req.flash('success', req.t('privacy:flash.erasureRequested'));
        res.redirect(Status.SEE_OTHER, '/profile/privacy');
      },
    }),
  );
  r.post('/profile/privacy/erasure/:id/cancel', requireLogin, async (req, res) => {
    const { id } = parse(erasureIdSchema, req.params);
    await service.erasures.cancel(currentUser(req), id);
    req.flash('success', req.t('privacy:flash.erasureCancelled'));
    res.redirect(Status.SEE_OTHER, '/profile/privacy');
  });

  // the mailed link: only its owner, signed in, and once
  r.get('/privacy/exports/:token', requireLogin, async (req, res) => {
    const { token } = parse(exportTokenSchema, req.params);
    const file = await service.exports.download(currentUser(req), token);
    res.setHeader('Content-Type', 'application/zip');
    res.setHeader('Content-Disposition', `attachment; filename="${file.fileName}"`);
    res.setHeader('Cache-Control', 'no-store');
    // a broken read ends the response (Express 5 hands the rejection to the error mapper)
    await pipeline(file.stream, res);
  });

  const admin = requireRole('admin');
  const adminLocals = async () => ({
    ...viewHelpers,
    erasures: await service.erasures.list(),
    register: service.registry.personalCollections(),
    coolOffDays: service.settings.erasureCoolOffDays,
  });
  r.get('/admin/privacy', admin, async (_req, res) => res.render('privacy/admin', await adminLocals()));
  r.post('/admin/privacy/erasures/:id/confirm', admin, async (req, res) => {
    const { id } = parse(erasureIdSchema, req.params);
    const e = await service.erasures.confirm(currentUser(req), id);
    req.flash('success', req.t('privacy:flash.erasureConfirmed', { reference: e.reference }));
    res.redirect(Status.SEE_OTHER, '/admin/privacy');
  });
  for (const kind of ['export', 'erasure'] as const) {
    r.post(`/admin/privacy/${kind}`, admin, (req, res) =>
      submitForm(req, res, {
        view: 'privacy/admin',
        schema: onBehalfSchema,
        locals: adminLocals,
        action: async ({ email }) => {
          await (kind === 'export' ? service.exportFor(currentUser(req), email) : service.eraseFor(currentUser(req), email));
          req.flash('success', req.t(kind === 'export' ? 'privacy:flash.exportOnBehalf' : 'privacy:flash.erasureOnBehalf'));
          res.redirect(Status.SEE_OTHER, '/admin/privacy');
        },
      }),
    );
  }

  r.get('/admin/audit', admin, async (req, res) => {
    const query = parse(auditQuerySchema, req.query);
    const entries = await service.audit.list({ ...query, limit: 100 });
    res.render('privacy/audit', {
      ...viewHelpers,
      entries,
      query,
      actions: AUDIT_ACTIONS,
      next: entries.length === 100 ? entries[entries.length - 1]!.at.toISOString() : undefined,
    });
  });
  r.get('/admin/audit.csv', admin, async (_req, res) => {
    const csv = await service.audit.csv();
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="protokoll.csv"');
    res.send(csv);
  });
  return r;
}
