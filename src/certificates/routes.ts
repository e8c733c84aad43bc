import express, { Router, type Request, type Response } from 'express';
import { currentUser } from '../http/current-user.ts';
import { statusOf } from '../http/error-mapper.ts';
import { onRefusalRender } from '../http/forms.ts';
import { requireLogin, requireRole } from '../http/guards.ts';
import { singleUpload } from '../http/upload.ts';
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
import { Status } from '../http/status.ts';

const client = (req: Request) => req.ip ?? 'unknown';
const germanDate = (d: Date | string | undefined | null) =>
  d ? new Date(d).toLocaleDateString('de-DE', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'Europe/Berlin' }) : '';
const germanMonth = (d: Date | string | undefined) =>
  d ? new Date(d).toLocaleDateString('de-DE', { month: 'long', year: 'numeric', timeZone: 'Europe/Berlin' }) : '';
const viewHelpers = { formatDate: germanDate, formatMonth: germanMonth };
const fileName = (name: string, ext: string) =>
  `Zertifikat-${name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')}.${ext}`;

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
    // an unknown code is an answer about a state, not a refusal: the same body, with "not found"
    if (result.status === 'unknown') res.status(statusOf('not-found'));
    res.json(result);
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
  // the credential to check, uploaded as a file (read at once) or pasted into the form
  const upload = singleUpload({ field: 'file', maxBytes: 65_536, storage: 'memory', fields: 5 });

  r.get('/verify', (req, res) => {
    const { code } = parse(codeQuerySchema, req.query);
    if (code) return res.redirect(Status.SEE_OTHER, `/verify/${encodeURIComponent(code)}`);
    res.render('certificates/verify', { ...viewHelpers, ...service.publicInfo(), values: {} });
  });
  r.get('/verify/:code', async (req, res) => {
    const { code } = parse(codeParamSchema, req.params);
    const result = await service.verifyCode(code, client(req));
    if (result.status === 'unknown') res.status(statusOf('not-found'));
    res.render('certificates/verify-result', { ...viewHelpers, result });
  });
  r.post('/verify/check', upload, async (req, res) => {
    onRefusalRender(res, { view: 'certificates/verify', values: {}, locals: { ...viewHelpers, ...service.publicInfo() } });
    const text = req.file ? req.file.buffer.toString('utf8') : String(req.body?.credential ?? '');
    const { credential } = parse(checkSchema, { credential: text }, 'errors:validationSummary');
    res.render('certificates/check-result', { ...viewHelpers, ...service.publicInfo(), check: await service.checkCredential(credential) });
  });

  r.get('/certificates', requireLogin, async (req, res) => {
    res.render('certificates/mine', { ...viewHelpers, ...(await service.overview(currentUser(req).id)) });
  });
  r.post('/certificates/request', requireLogin, async (req, res) => {
    const learnerId = currentUser(req).id;
    // a refusal is shown on the page itself, with the list of what is missing
    onRefusalRender(res, {
      view: 'certificates/mine',
      locals: async (err) => ({ ...viewHelpers, ...(await service.overview(learnerId)), refused: err.details.missing }),
    });
    const result = await service.request(learnerId);
    req.flash('success', req.t(result.outcome === 'issued' ? 'certificates:flash.issued' : 'certificates:flash.requested'));
    res.redirect(Status.SEE_OTHER, '/certificates');
  });
  r.get('/certificates/:id/pdf', requireLogin, async (req, res) => {
    const { id } = parse(objectIdSchema, req.params);
    const { certificate, pdf } = await service.pdf(id, currentUser(req));
    res.type('application/pdf').attachment(fileName(certificate.holderName, 'pdf')).send(pdf);
  });
  r.get('/certificates/:id/credential.jwt', requireLogin, async (req, res) => {
    const { id } = parse(objectIdSchema, req.params);
    const c = await service.forDownload(id, currentUser(req));
    res.type('application/vc+jwt').attachment(fileName(c.holderName, 'jwt')).send(c.jwt);
  });
  r.get('/certificates/:id/credential.json', requireLogin, async (req, res) => {
    const { id } = parse(objectIdSchema, req.params);
    const c = await service.forDownload(id, currentUser(req));
    res
      .type('application/json')
      .attachment(fileName(c.holderName, 'json'))
      .send(JSON.stringify(service.envelope(c.jwt), null, 2));
  });

  const trainer = requireRole('trainer', 'admin');
  r.get('/trainer/certificates', trainer, async (req, res) => {
    res.render('certificates/trainer', { ...viewHelpers, requests: await service.pendingRequests(currentUser(req)) });
  });
  r.post('/trainer/certificates/:learnerId/approve', trainer, async (req, res) => {
    const { learnerId } = parse(learnerIdSchema, req.params);
    const c = await service.approve(currentUser(req), learnerId);
    req.flash('success', req.t('certificates:flash.approved', { name: c.holderName }));
    res.redirect(Status.SEE_OTHER, '/trainer/certificates');
  });
  r.post('/trainer/certificates/:learnerId/reject', trainer, async (req, res) => {
    const { learnerId } = parse(learnerIdSchema, req.params);
    const { reason } = parse(rejectSchema, req.body);
    await service.reject(currentUser(req), learnerId, reason);
    req.flash('info', req.t('certificates:flash.rejected'));
    res.redirect(Status.SEE_OTHER, '/trainer/certificates');
  });

  const admin = requireRole('admin');
  r.get('/admin/certificates', admin, async (_req, res) => {
    res.render('certificates/admin', { ...viewHelpers, ...(await service.adminOverview()), issueModes: ISSUE_MODES });
  });
  r.post('/admin/certificates/settings', admin, async (req, res) => {
    const { issueMode } = parse(issueModeSchema, req.body);
    await service.setIssueMode(issueMode, currentUser(req).id);
    req.flash('success', req.t('certificates:flash.settingsSaved'));
    res.redirect(Status.SEE_OTHER, '/admin/certificates');
  });
  r.post('/admin/certificates/issue', admin, async (req, res) => {
    const { learnerId } = parse(learnerIdSchema, req.body);
    const c = await service.issue(learnerId, currentUser(req).id);
    req.flash('success', req.t('certificates:flash.approved', { name: c.holderName }));
    res.redirect(Status.SEE_OTHER, '/admin/certificates');
  });
  r.post('/admin/certificates/:id/revoke', admin, async (req, res) => {
    const { id } = parse(objectIdSchema, req.params);
    const { reason } = parse(revokeSchema, req.body);
    const c = await service.revoke(currentUser(req).id, id, reason);
    req.flash('success', req.t('certificates:flash.revoked', { name: c.holderName }));
    res.redirect(Status.SEE_OTHER, '/admin/certificates');
  });
  return r;
}
