import { fileURLToPath } from 'node:url';
import { Router, type Request, type Response } from 'express';
import { currentUser } from '../http/current-user.ts';
import { requireLogin, requireRole } from '../http/guards.ts';
import { onRefusalRender } from '../http/forms.ts';
import { parse } from '../http/validate.ts';
import type { Origins } from '../http/origins.ts';
import { contentFrame } from './content-frame.ts';
import { attemptPageUrl } from './launch/launch-views.ts';
import type { ModuleLinksPort } from './ports.ts';
import type { PlayerService } from './service.ts';
import {
  attemptParams,
  finishedQuerySchema,
  moduleParams,
  navQuerySchema,
  openQuerySchema,
  sequencingRequestSchema,
  startSchema,
  versionParams,
  waiveFormSchema,
  waiveSchema,
} from './schemas.ts';
import { Status } from '../http/status.ts';

// the browser bundle is not among the package's exports: served from its file in node_modules
const scormAgainPath = fileURLToPath(new URL('../../node_modules/scorm-again/dist/scorm-again.min.js', import.meta.url));
const crossFrameLmsPath = fileURLToPath(new URL('../../node_modules/scorm-again/dist/cross-frame-lms.min.js', import.meta.url));
/** The logged-in user as a learner: SCORM and cmi5 hand the name to the content (cmi.core.student_name, the actor). */
const learnerOf = (req: Request) => ({ id: currentUser(req).id, name: req.user?.name ?? '' });

/** The learner's dashboard, the player page and its navigation, the author's preview and the admin's waiver. */
export function playerRoutes(
  service: PlayerService,
  origins: Pick<Origins, 'contentFor' | 'platformOf' | 'sandboxed'>,
  moduleLinks: ModuleLinksPort = { linksFor: async () => [] },
): Router {
  const r = Router();

  r.get('/dashboard', requireLogin, async (req: Request, res: Response) => {
    const rows = await service.dashboard(currentUser(req).id);
    res.render('player/dashboard', { title: req.t('player:dashboard.title'), rows });
  });

  r.post('/player/modules/:moduleId/start', requireLogin, async (req: Request, res: Response) => {
    const { moduleId } = parse(moduleParams, req.params);
    const { mode } = parse(startSchema, req.body);
    const attempt = await service.startModule(learnerOf(req), moduleId, mode);
    res.redirect(Status.SEE_OTHER, attemptPageUrl(attempt.id));
  });

  // "Vorschau starten" on the author's pages: any version, in a preview attempt that counts for nobody
  r.post('/player/preview/:versionId', requireRole('author', 'admin'), async (req: Request, res: Response) => {
    const { versionId } = parse(versionParams, req.params);
    const attempt = await service.launchPreview(learnerOf(req), versionId);
    res.redirect(Status.SEE_OTHER, attemptPageUrl(attempt.id));
  });

  r.get('/player/attempts/:attemptId', requireLogin, async (req: Request, res: Response) => {
    const { attemptId } = parse(attemptParams, req.params);
    const { item } = parse(openQuerySchema, req.query);
    const view = await service.openItem(learnerOf(req), attemptId, item, origins.platformOf(req), origins.contentFor(req));
    // a preview counts for nobody: no links into a learner's spaces
    const links = view.preview ? [] : await moduleLinks.linksFor(currentUser(req), view.moduleSlug);
    res.setHeader('Cache-Control', 'no-store');
    res.render('player/player', { title: view.itemTitle, view, links, frame: contentFrame(view, origins.contentFor(req), origins.sandboxed) });
  });

  // cmi5 OwnWindow: every "Inhalt öffnen" is a new launch (cmi5 §8.2: the fetch URL answers once, so
  // the page's first launch URL cannot be opened twice); the window lands on the fresh launch URL
  r.get('/player/attempts/:attemptId/window', requireLogin, async (req: Request, res: Response) => {
    const { attemptId } = parse(attemptParams, req.params);
    const { item } = parse(openQuerySchema, req.query);
    const view = await service.openItem(learnerOf(req), attemptId, item, origins.platformOf(req), origins.contentFor(req));
    res.setHeader('Cache-Control', 'no-store');
    if (!view.contentUrl) return res.redirect(Status.SEE_OTHER, attemptPageUrl(attemptId));
    res.redirect(Status.SEE_OTHER, contentFrame(view, origins.contentFor(req), origins.sandboxed).url);
  });

  // cmi5 returnURL (§10.2.6): where an AU goes when it exits. Inside the player's frame the page hands
  // over to the player page, which moves on; in a window of its own it moves on itself. No login
  // needed to show it: it only says where the learner goes, and that page asks for the login.
  r.get('/player/attempts/:attemptId/returned', async (req: Request, res: Response) => {
    const { attemptId } = parse(attemptParams, req.params);
    const { item } = parse(openQuerySchema, req.query);
    const next = await service.returnTarget(req.user ? learnerOf(req) : undefined, attemptId, item);
    res.setHeader('Cache-Control', 'no-store');
    res.render('player/returned', { title: req.t('player:returned.title'), attemptId, next });
  });

  // adl.nav.request after Terminate, and the table of contents: the server decides where it leads
  r.get('/player/attempts/:attemptId/nav', requireLogin, async (req: Request, res: Response) => {
    const { attemptId } = parse(attemptParams, req.params);
    const q = parse(navQuerySchema, req.query);
    // exit, suspend and abandon requests leave the attempt: honoured by going back where the learner came from
    if (q.request !== 'continue' && q.request !== 'previous' && q.request !== 'choice')
      return res.redirect(Status.SEE_OTHER, await service.exitUrl(learnerOf(req), attemptId));
    const result = await service.navigate(learnerOf(req), attemptId, q.request, q.from, q.target);
    if ('itemId' in result) return res.redirect(Status.SEE_OTHER, attemptPageUrl(attemptId, result.itemId));
    // a jump that cannot be honoured stays in the player and says why (not the dashboard)
    req.flash('info', req.t(`player:nav.refused.${result.refused}`));
    res.redirect(Status.SEE_OTHER, result.stayUrl);
  });

  // after a SCO ended its own session (SCORM 1.2 LMSFinish): the next step the page offers
  r.get('/player/attempts/:attemptId/finished', requireLogin, async (req: Request, res: Response) => {
    const { attemptId } = parse(attemptParams, req.params);
    const { from } = parse(finishedQuerySchema, req.query);
    res.setHeader('Cache-Control', 'no-store');
    const after = await service.afterFinish(learnerOf(req), attemptId, from);
    res.json({ ...after, toc: after.toc.map((e) => ({ ...e, label: req.t(`player:tocStatus.${e.status}`) })) });
  });

  // SCORM 2004: the player's controls (Weiter, Zurück, Unterbrechen, Beenden, the table of contents)
  r.post('/player/attempts/:attemptId/sequencing', requireLogin, async (req: Request, res: Response) => {
    const { attemptId } = parse(attemptParams, req.params);
    const { request, target } = parse(sequencingRequestSchema, req.body);
    const result = await service.sequencingRequest(learnerOf(req), attemptId, request, target);
    if (!result.open) return res.redirect(Status.SEE_OTHER, result.exitUrl);
    if (result.refused) req.flash('info', req.t('player:nav.refusedBySequencing'));
    res.redirect(Status.SEE_OTHER, attemptPageUrl(attemptId));
  });

  // after a SCO's Terminate: where the page goes next, or its refreshed controls (rendered as on the page)
  r.get('/player/attempts/:attemptId/sequencing', requireLogin, async (req: Request, res: Response) => {
    const { attemptId } = parse(attemptParams, req.params);
    const state = await service.sequencingState(learnerOf(req), attemptId);
    res.setHeader('Cache-Control', 'no-store');
    if (!state.nav) return res.json({ next: state.next });
    const nav = { ...state.nav, navUrl: `/player/attempts/${attemptId}/sequencing` };
    const html = await new Promise<string>((resolve, reject) =>
      res.render('player/sequencing-nav', { nav }, (err: Error | null, out: string) => (err ? reject(err) : resolve(out))),
    );
    res.json({ next: state.next, html, requestValid: state.nav.requestValid });
  });

  r.get('/player/assets/scorm-again.js', (_req, res) => {
    res.sendFile(scormAgainPath, { maxAge: '1d' });
  });
  r.get('/player/assets/cross-frame-lms.js', (_req, res) => {
    res.sendFile(crossFrameLmsPath, { maxAge: '1d' });
  });

  r.get('/admin/player/waive', requireRole('admin'), async (req: Request, res: Response) => {
    res.render('player/waive', { title: req.t('player:waive.title'), modules: await service.waiverOptions(), values: {} });
  });

  // the page's form names the learner by e-mail; automation and older callers name the attempt
  r.post('/admin/player/waive', requireRole('admin'), async (req: Request, res: Response) => {
    const admin = currentUser(req);
    if (!('attemptId' in (req.body ?? {}))) {
      // a refusal shows the form again, with the modules as they are then
      onRefusalRender(res, {
        view: 'player/waive',
        values: req.body,
        locals: async () => ({ title: req.t('player:waive.title'), modules: await service.waiverOptions() }),
      });
      const input = parse(waiveFormSchema, req.body, 'errors:validationSummary');
      const done = await service.waiveForLearner(admin, input);
      req.flash('success', req.t('player:waive.doneFor', { name: done.learnerName }));
      return res.redirect(Status.SEE_OTHER, '/admin/player/waive');
    }
    const input = parse(waiveSchema, req.body);
    await service.waiveAttemptItem(admin, input.attemptId, input.itemId, input.reason);
    if (req.accepts('html')) {
      req.flash('success', req.t('player:waive.done'));
      return res.redirect(Status.SEE_OTHER, '/dashboard');
    }
    res.status(Status.NO_CONTENT).end();
  });
  return r;
}
