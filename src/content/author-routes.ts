import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { currentUser } from '../http/current-user.ts';
import { statusOf, wantsJson } from '../http/error-mapper.ts';
import { requireRole } from '../http/guards.ts';
import { objectId, objectIdParams } from '../http/ids.ts';
import { singleUpload, uploadedFile, type UploadedFile } from '../http/upload.ts';
import { uploadSlots } from '../http/upload-slots.ts';
import { parse } from '../http/validate.ts';
import type { ContentService } from './service.ts';
import type { ValidationReport } from './types.ts';
import { Status } from '../http/status.ts';

declare module 'express-session' {
  interface SessionData {
    /** The report of the last refused upload, shown on /author/modules/report. */
    contentReport?: ValidationReport;
  }
}

const idParams = objectIdParams('id');
const importBody = z.object({
  module: z
    .string()
    .trim()
    .max(120, 'content:errors.moduleName')
    .optional()
    .transform((v) => v || undefined),
  publish: z
    .string()
    .optional()
    .transform((v) => v === 'on' || v === 'true' || v === '1'),
});
const publishBody = z.object({ versionId: objectId() });

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
  // the upload goes to a temp file on disk, never whole into memory
  const upload = singleUpload({ field: 'package', maxBytes: opts.maxUploadBytes, storage: 'disk', dir: opts.uploadDir });
  const slot = uploadSlots(opts.uploadsAtOnce, 'content:errors.uploadsBusy');

  const importUpload = async (req: Request, file: UploadedFile) => {
    const body = parse(importBody, req.body);
    return service.importPackageOrRefusal(file.path, {
      moduleSlug: body.module,
      publish: body.publish,
      actorId: currentUser(req).id,
      originalName: file.originalName,
      // multer's temp file, removed afterwards: the file store takes its bytes over instead of copying them
      tempFile: true,
    });
  };

  r.get('/author/modules', author, async (_req, res) => {
    const rows = await service.listModulesWithVersions();
    res.render('content/modules', { title: res.locals.t('content:pages.title'), rows });
  });

  r.post('/author/modules/import', author, slot, upload, async (req: Request, res: Response) => {
    const file = uploadedFile(req, 'package', 'content:errors.noFile');
    const outcome = await importUpload(req, file).finally(file.done);
    if (!outcome.ok) {
      // a JSON client gets the refusal with its report; the author sees the report on a page of its own
      if (wantsJson(req)) throw outcome.refusal;
      req.session.contentReport = outcome.report;
      res.redirect(Status.SEE_OTHER, '/author/modules/report');
      return;
    }
    const result = outcome.imported;
    if (wantsJson(req)) {
      res.status(Status.CREATED).json({ module: result.module, version: { ...result.version, files: undefined }, report: result.report });
      return;
    }
    const published = result.module.publishedVersionId === result.version.id;
    req.flash(
      'success',
      req.t(published ? 'content:flash.importedPublished' : 'content:flash.imported', { number: result.version.number, title: result.module.title }),
    );
    res.redirect(Status.SEE_OTHER, `/author/versions/${result.version.id}`);
  });

  r.get('/author/modules/report', author, (req, res) => {
    const report = req.session.contentReport;
    if (!report) return res.redirect('/author/modules');
    if (!report.ok) res.status(statusOf('validation'));
    res.render('content/report', { title: res.locals.t('content:pages.reportRefused'), report });
  });

  r.get('/author/modules/:id', author, async (req, res) => {
    const { id } = parse(idParams, req.params);
    const { module, versions } = await service.moduleOverview(id);
    res.render('content/module', { title: module.title, module, versions });
  });

  r.post('/author/modules/:id/publish', author, async (req, res) => {
    const { id } = parse(idParams, req.params);
    const { versionId } = parse(publishBody, req.body);
    const v = await service.publish(id, versionId);
    req.flash('success', req.t('content:flash.published', { number: v.number }));
    res.redirect(Status.SEE_OTHER, `/author/modules/${id}`);
  });

  r.post('/author/modules/:id/unpublish', author, async (req, res) => {
    const { id } = parse(idParams, req.params);
    await service.unpublish(id);
    req.flash('success', req.t('content:flash.unpublished'));
    res.redirect(Status.SEE_OTHER, `/author/modules/${id}`);
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
    const { version, module } = await service.versionOverview(id);
    res.render('content/version', {
      title: `${module?.title ?? version.title} · v${version.number}`,
      module,
      version,
      filesBase: opts.filesBase(req, version.id),
    });
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
    res.redirect(Status.SEE_OTHER, `/author/modules/${v.moduleId}`);
  });

  return r;
}
