import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import multer from 'multer';
import { z } from 'zod';
import { wantsJson } from '../http/error-mapper.ts';
import { requireRole } from '../http/guards.ts';
import { uploadSlots } from '../http/upload-slots.ts';
import { parse } from '../http/validate.ts';
import { DomainError } from '../shared/errors.ts';
import type { ContentService } from './service.ts';
import type { ValidationReport } from './types.ts';

declare module 'express-session' {
  interface SessionData {
    /** The report of the last refused upload, shown on /author/modules/report. */
    contentReport?: ValidationReport;
  }
}

const idParams = z.object({ id: z.string().regex(/^[a-f0-9]{24}$/, 'errors:notFound') });
const importBody = z.object({
  module: z.string().trim().max(120, 'content:errors.moduleName').optional().transform((v) => v || undefined),
  publish: z.string().optional().transform((v) => v === 'on' || v === 'true' || v === '1'),
});
const publishBody = z.object({ versionId: z.string().regex(/^[a-f0-9]{24}$/, 'errors:notFound') });

const attachment = (res: Response, filename: string) =>
  res.setHeader('Content-Disposition', `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`);

/** The author's pages: modules, upload with report, versions, publication, deletion, export, files. */
export function authorRoutes(
  service: ContentService,
  opts: {
    uploadDir: string;
    maxUploadBytes: number;
    uploadsAtOnce: number;
    /** Base URL of a version's files on the content origin, with a view token (never our own origin). */
    filesBase: (req: Request, versionId: string) => string;
  },
): Router {
  const r = Router();
  const author = requireRole('author', 'admin');
  mkdirSync(opts.uploadDir, { recursive: true });
  // the upload goes to a temp file on disk, never whole into memory
  const upload = multer({ dest: opts.uploadDir, limits: { fileSize: opts.maxUploadBytes, files: 1, fields: 10 } }).single('package');
  const slot = uploadSlots(opts.uploadsAtOnce, 'content:errors.uploadsBusy');

  r.get('/author/modules', author, async (_req, res) => {
    const rows = await service.listModulesWithVersions();
    res.render('content/modules', { title: res.locals.t('content:pages.title'), rows });
  });

  r.post('/author/modules/import', author, slot, upload, async (req: Request, res: Response) => {
    const file = req.file;
    try {
      if (!file) throw new DomainError('validation', 'content:errors.noFile', { fields: [{ field: 'package', message: 'content:errors.noFile' }] });
      const body = parse(importBody, req.body);
      const result = await service.importPackage(file.path, {
        moduleSlug: body.module,
        publish: body.publish,
        actorId: req.user!.id,
        originalName: file.originalname,
        // multer's temp file, removed below: the file store takes its bytes over instead of copying them
        tempFile: true,
      });
      if (wantsJson(req)) {
        res.status(201).json({ module: result.module, version: { ...result.version, files: undefined }, report: result.report });
        return;
      }
      const published = result.module.publishedVersionId === result.version.id;
      req.flash('success', req.t(published ? 'content:flash.importedPublished' : 'content:flash.imported', { number: result.version.number, title: result.module.title }));
      res.redirect(303, `/author/versions/${result.version.id}`);
    } catch (err) {
      const report = err instanceof DomainError ? (err.details.report as ValidationReport | undefined) : undefined;
      if (!report || wantsJson(req)) throw err;
      req.session.contentReport = report;
      res.redirect(303, '/author/modules/report');
    } finally {
      if (file) await rm(file.path, { force: true });
    }
  });

  r.get('/author/modules/report', author, (req, res) => {
    const report = req.session.contentReport;
    if (!report) return res.redirect('/author/modules');
    res.status(report.ok ? 200 : 400).render('content/report', { title: res.locals.t('content:pages.reportRefused'), report });
  });

  r.get('/author/modules/:id', author, async (req, res) => {
    const { id } = parse(idParams, req.params);
    const module = await service.getModule(id);
    if (!module) throw new DomainError('not-found', 'content:errors.moduleNotFound');
    res.render('content/module', { title: module.title, module, versions: await service.listVersions(module.id) });
  });

  r.post('/author/modules/:id/publish', author, async (req, res) => {
    const { id } = parse(idParams, req.params);
    const { versionId } = parse(publishBody, req.body);
    const v = await service.publish(id, versionId);
    req.flash('success', req.t('content:flash.published', { number: v.number }));
    res.redirect(303, `/author/modules/${id}`);
  });

  r.post('/author/modules/:id/unpublish', author, async (req, res) => {
    const { id } = parse(idParams, req.params);
    await service.unpublish(id);
    req.flash('success', req.t('content:flash.unpublished'));
    res.redirect(303, `/author/modules/${id}`);
  });

  r.get('/author/modules/:id/export', author, async (req, res) => {
    const { id } = parse(idParams, req.params);
    const { stream, filename } = await service.exportModule(id);
    res.setHeader('Content-Type', 'application/zip');
    attachment(res, filename);
    await pipeline(stream, res);
  });

  r.get('/author/versions/:id', author, async (req, res) => {
    const { id } = parse(idParams, req.params);
    const version = await service.getVersion(id);
    if (!version) throw new DomainError('not-found', 'content:errors.versionNotFound');
    const module = await service.getModule(version.moduleId);
    res.render('content/version', { title: `${module?.title ?? version.title} · v${version.number}`, module, version, filesBase: opts.filesBase(req, version.id) });
  });

  r.get('/author/versions/:id/export', author, async (req, res) => {
    const { id } = parse(idParams, req.params);
    const { stream, filename, size } = await service.exportVersion(id);
    res.setHeader('Content-Type', 'application/zip');
    res.setHeader('Content-Length', String(size));
    attachment(res, filename);
    await pipeline(stream, res);
  });

  r.post('/author/versions/:id/delete', author, async (req, res) => {
    const { id } = parse(idParams, req.params);
    const v = await service.deleteVersion(id);
    req.flash('success', req.t('content:flash.deleted', { number: v.number }));
    res.redirect(303, `/author/modules/${v.moduleId}`);
  });

  return r;
}
