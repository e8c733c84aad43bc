import express, { Router, type Request, type Response } from 'express';
import multer from 'multer';
import { requireLogin, requireRole } from '../http/guards.ts';
import { parse } from '../http/validate.ts';
import { DomainError } from '../shared/errors.ts';
import type { CredentialCheck } from './check-credential.ts';
import { QUALIFICATION } from './issuer.ts';
import { ISSUE_MODES } from './model.ts';
import {
  checkSchema,
  codeParamSchema,
  codeQuerySchema,
  issueModeSchema,
  learnerIdSchema,
  objectIdSchema,
  rejectSchema,
  revokeSchema,
  statusListParamSchema,
} from './schemas.ts';
import type { CertificateService } from './service.ts';

const client = (req: Request) => req.ip ?? 'unknown';
const actorOf = (req: Request) => ({ id: req.user!.id, roles: req.user!.roles as string[] });
const germanDate = (d: Date | string | undefined | null) =>
  d ? new Date(d).toLocaleDateString('de-DE', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'Europe/Berlin' }) : '';
const viewHelpers = { formatDate: germanDate };
const fileName = (name: string, ext: string) => `Zertifikat-${name.normalize('NFKD').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '')}.${ext}`;

/** The check's result as JSON: always 200, the verdict is in `overall` (a revoked credential is a valid answer). */
function checkResponse(res: Response, check: CredentialCheck) {
  res.json({ ...check, revokedAt: check.revokedAt?.toISOString() });
}

/**
 * Public machine-readable endpoints, mounted before sessions and CSRF: partners' software calls them
 * without cookies. JWKS, issuer profile, achievement, status list, code look-up, credential check.
 */
export function certificateApiRoutes(service: CertificateService): Router {
  const r = Router();
  r.get('/.well-known/jwks.json', async (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').json(await service.jwks());
  });
  r.get('/issuer', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=3600').json(service.issuerProfile());
  });
  r.get(`/achievements/${QUALIFICATION}`, (_req, res) => {
    const profile = service.issuerProfile();
    res.json({ '@context': profile['@context'], ...service.achievement() });
  });
  r.get('/credentials/status/:listId', async (req, res) => {
    const { listId } = parse(statusListParamSchema, req.params);
    const jwt = await service.statusListCredential(listId);
    if (!jwt) throw new DomainError('not-found', 'certificates:errors.noStatusList');
    // never cached: a revocation must be visible at once
    res.set('Cache-Control', 'no-store').type('application/vc+jwt').send(jwt);
  });
  r.get('/api/verify/:code', async (req, res) => {
    const { code } = parse(codeParamSchema, req.params);
    const result = await service.verifyCode(code, client(req));
    res.status(result.status === 'unknown' ? 404 : 200).json(result);
  });
  r.post(
    '/api/verify/credential',
    express.text({ type: ['text/*', 'application/jwt', 'application/vc+jwt'], limit: '64kb' }),
    express.json({ limit: '64kb' }),
    async (req, res) => {
      const text = typeof req.body === 'string' ? req.body : req.body && typeof req.body === 'object' ? JSON.stringify(req.body) : '';
      const { credential } = parse(checkSchema, { credential: text });
      checkResponse(res, await service.checkCredential(credential));
    },
  );
  return r;
}

/** Pages: the public verification, the holder's certificate, the trainer's approvals, the admin's list. */
export function certificateWebRoutes(service: CertificateService): Router {
  const r = Router();
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: 65_536, files: 1, fields: 5 } });

  r.get('/verify', (req, res) => {
    const { code } = parse(codeQuerySchema, req.query);
    if (code) return res.redirect(303, `/verify/${encodeURIComponent(code)}`);
    res.render('certificates/verify', { ...viewHelpers, ...service.publicInfo(), values: {} });
  });
  r.get('/verify/:code', async (req, res) => {
    const { code } = parse(codeParamSchema, req.params);
    const result = await service.verifyCode(code, client(req));
    res.status(result.status === 'unknown' ? 404 : 200).render('certificates/verify-result', { ...viewHelpers, result });
  });
  r.post('/verify/check', upload.single('file'), async (req, res) => {
    const text = req.file ? req.file.buffer.toString('utf8') : String(req.body?.credential ?? '');
    const parsed = checkSchema.safeParse({ credential: text });
    if (!parsed.success) {
      const message = parsed.error.issues[0]?.message ?? 'certificates:errors.credentialEmpty';
      return res.status(400).render('certificates/verify', { ...viewHelpers, ...service.publicInfo(), values: {}, errors: { credential: req.t(message) }, errorSummary: req.t('errors:validationSummary') });
    }
    const check = await service.checkCredential(parsed.data.credential);
    res.render('certificates/check-result', { ...viewHelpers, ...service.publicInfo(), check });
  });

  r.get('/certificates', requireLogin, async (req, res) => {
    res.render('certificates/mine', { ...viewHelpers, ...(await service.overview(req.user!.id)) });
  });
  r.post('/certificates/request', requireLogin, async (req, res) => {
    try {
      const result = await service.request(req.user!.id);
      req.flash('success', req.t(result.outcome === 'issued' ? 'certificates:flash.issued' : 'certificates:flash.requested'));
      res.redirect(303, '/certificates');
    } catch (err) {
      // a refusal is shown on the page itself, with the list of what is missing
      if (!(err instanceof DomainError) || err.kind !== 'conflict' || !err.details.missing) throw err;
      res.status(409).render('certificates/mine', { ...viewHelpers, ...(await service.overview(req.user!.id)), refused: err.details.missing });
    }
  });
  r.get('/certificates/:id/pdf', requireLogin, async (req, res) => {
    const { id } = parse(objectIdSchema, req.params);
    const { certificate, pdf } = await service.pdf(id, actorOf(req));
    res.type('application/pdf').attachment(fileName(certificate.holderName, 'pdf')).send(pdf);
  });
  r.get('/certificates/:id/credential.jwt', requireLogin, async (req, res) => {
    const { id } = parse(objectIdSchema, req.params);
    const c = await service.forDownload(id, actorOf(req));
    res.type('application/vc+jwt').attachment(fileName(c.holderName, 'jwt')).send(c.jwt);
  });
  r.get('/certificates/:id/credential.json', requireLogin, async (req, res) => {
    const { id } = parse(objectIdSchema, req.params);
    const c = await service.forDownload(id, actorOf(req));
    res.type('application/json').attachment(fileName(c.holderName, 'json')).send(JSON.stringify(service.envelope(c.jwt), null, 2));
  });

  const trainer = requireRole('trainer', 'admin');
  r.get('/trainer/certificates', trainer, async (req, res) => {
    res.render('certificates/trainer', { ...viewHelpers, requests: await service.pendingRequests(actorOf(req)) });
  });
  r.post('/trainer/certificates/:learnerId/approve', trainer, async (req, res) => {
    const { learnerId } = parse(learnerIdSchema, req.params);
    const c = await service.approve(actorOf(req), learnerId);
    req.flash('success', req.t('certificates:flash.approved', { name: c.holderName }));
    res.redirect(303, '/trainer/certificates');
  });
  r.post('/trainer/certificates/:learnerId/reject', trainer, async (req, res) => {
    const { learnerId } = parse(learnerIdSchema, req.params);
    const { reason } = parse(rejectSchema, req.body);
    await service.reject(actorOf(req), learnerId, reason);
    req.flash('info', req.t('certificates:flash.rejected'));
    res.redirect(303, '/trainer/certificates');
  });

  const admin = requireRole('admin');
  r.get('/admin/certificates', admin, async (_req, res) => {
    res.render('certificates/admin', { ...viewHelpers, issueMode: await service.issueMode(), issueModes: ISSUE_MODES, certificates: await service.recent() });
  });
  r.post('/admin/certificates/settings', admin, async (req, res) => {
    const { issueMode } = parse(issueModeSchema, req.body);
    await service.setIssueMode(issueMode, req.user!.id);
    req.flash('success', req.t('certificates:flash.settingsSaved'));
    res.redirect(303, '/admin/certificates');
  });
  r.post('/admin/certificates/issue', admin, async (req, res) => {
    const { learnerId } = parse(learnerIdSchema, req.body);
    const c = await service.issue(learnerId, req.user!.id);
    req.flash('success', req.t('certificates:flash.approved', { name: c.holderName }));
    res.redirect(303, '/admin/certificates');
  });
  r.post('/admin/certificates/:id/revoke', admin, async (req, res) => {
    const { id } = parse(objectIdSchema, req.params);
    const { reason } = parse(revokeSchema, req.body);
    const c = await service.revoke(req.user!.id, id, reason);
    req.flash('success', req.t('certificates:flash.revoked', { name: c.holderName }));
    res.redirect(303, '/admin/certificates');
  });
  return r;
}
