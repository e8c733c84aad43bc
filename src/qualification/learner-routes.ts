import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { submitForm } from '../http/forms.ts';
import { requireLogin } from '../http/guards.ts';
import { parse } from '../http/validate.ts';
import { DomainError } from '../shared/errors.ts';
import { sendIcs } from './api-routes.ts';
import { formatDate, formatDateTime, isoDate } from './format.ts';
import type { MissingItem } from './ports.ts';
import { presentSession, viewerOf } from './presenters.ts';
import { authorisationSchema, idParamSchema, kindParamSchema, sessionsQuerySchema, workshopSchema } from './schemas.ts';
import type { QualificationService } from './service.ts';
import { EVIDENCE_MAX_BYTES, singleFile, uploadedFile } from './upload.ts';

/** The workshop form names its date field apart from the authorisation's (both forms share one page). */
const workshopFormSchema = z.object({ workshopDate: workshopSchema.shape.date, place: workshopSchema.shape.place });
const helpers = { formatDate, formatDateTime, isoDate };

/** Learner pages: the path, the prerequisites with evidence, the Q2 sessions with registration. */
export function learnerRoutes(q: QualificationService, ctx: AppContext): Router {
  const r = Router();

  async function prerequisitesLocals(learnerId: string) {
    const p = await q.prerequisites.get(learnerId);
    return {
      ...helpers,
      prerequisites: p,
      maxMegabytes: EVIDENCE_MAX_BYTES / 1024 / 1024,
      saved: { number: p.authorisation.number, date: isoDate(p.authorisation.date), partner: p.authorisation.partner, workshopDate: isoDate(p.workshop.date), place: p.workshop.place },
    };
  }

  async function renderPath(req: Request, res: Response, learnerId: string, readOnly: boolean) {
    const view = await q.path.view(learnerId);
    const requirements = await q.requirements.get();
    const [learner] = readOnly ? await q.directory.findUsers([learnerId]) : [undefined];
    const mentees = readOnly ? [] : await q.planning.menteesOf(req.user!.id);
    const title = learner ? req.t('qualification:titles.pathOf', { name: learner.name }) : req.t('qualification:titles.path');
    res.render('qualification/path', { ...helpers, title, view, requirements, readOnly, learner, mentees });
  }

  r.get('/path', requireLogin, (req, res) => renderPath(req, res, req.user!.id, false));

  r.get('/path/prerequisites', requireLogin, async (req, res) => {
    const locals = await prerequisitesLocals(req.user!.id);
    res.render('qualification/prerequisites', { ...locals, title: req.t('qualification:titles.prerequisites'), values: locals.saved });
  });
  r.post('/path/prerequisites/authorisation', requireLogin, async (req, res) =>
    submitForm(req, res, {
      view: 'qualification/prerequisites',
      schema: authorisationSchema,
      locals: { ...(await prerequisitesLocals(req.user!.id)), title: req.t('qualification:titles.prerequisites') },
      action: async (input) => {
        await q.prerequisites.saveAuthorisation(req.user!.id, input);
        req.flash('success', req.t('qualification:flash.saved'));
        res.redirect('/path/prerequisites#authorisation');
      },
    }),
  );
  r.post('/path/prerequisites/workshop', requireLogin, async (req, res) =>
    submitForm(req, res, {
      view: 'qualification/prerequisites',
      schema: workshopFormSchema,
      locals: { ...(await prerequisitesLocals(req.user!.id)), title: req.t('qualification:titles.prerequisites') },
      action: async (input) => {
        await q.prerequisites.saveWorkshop(req.user!.id, { date: input.workshopDate, place: input.place });
        req.flash('success', req.t('qualification:flash.saved'));
        res.redirect('/path/prerequisites#workshop');
      },
    }),
  );
  // multipart: the CSRF token comes in the query string (the body is parsed only here, by multer)
  r.post('/path/prerequisites/:kind/evidence', requireLogin, singleFile(EVIDENCE_MAX_BYTES), async (req, res) => {
    const { kind } = parse(kindParamSchema, req.params);
    const file = uploadedFile(req);
    try {
      await q.prerequisites.attachEvidence(req.user!.id, kind, file);
    } finally {
      await file.done();
    }
    req.flash('success', req.t('qualification:flash.evidenceSaved'));
    res.redirect(`/path/prerequisites#${kind}`);
  });

  r.get('/qualification/evidence/:id', requireLogin, async (req, res) => {
    const { id } = parse(idParamSchema, req.params);
    const file = await q.prerequisites.evidenceFor(viewerOf(req), id);
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('Content-Length', String(file.length));
    res.setHeader('Content-Disposition', `attachment; filename="${file.fileName}"`);
    res.setHeader('Cache-Control', 'private, no-store');
    q.prerequisites.openEvidence(id).on('error', () => res.destroy()).pipe(res);
  });

  // mentors, trainers and admins read a learner's path; never edit it
  r.get('/path/:id', requireLogin, async (req, res) => {
    const { id } = parse(idParamSchema, req.params);
    await q.planning.assertMayViewPath(viewerOf(req), id);
    await renderPath(req, res, id, id !== req.user!.id);
  });

  r.get('/sessions', requireLogin, async (req, res) => {
    const { topic } = parse(sessionsQuerySchema, req.query);
    const [sessions, requirements] = await Promise.all([q.planning.upcoming(topic), q.requirements.get()]);
    const rows = (await q.registration.listWithStates(req.user!.id, sessions)).map((row) => ({ ...row, session: presentSession(row.session, { showLink: false }) }));
    res.render('qualification/sessions', { ...helpers, title: req.t('qualification:titles.sessions'), rows, requirements, topic });
  });

  async function renderSession(req: Request, res: Response, sessionId: string, extra: { reasons?: MissingItem[]; status?: number } = {}) {
    const s = await q.planning.sessionOr404(sessionId);
    const [state, counts, requirements, trains] = await Promise.all([
      q.registration.stateOf(req.user!.id, s.id),
      q.registration.counts(s.id),
      q.requirements.get(),
      q.planning.canTrain(viewerOf(req), s),
    ]);
    const showLink = state.status === 'registered' || trains;
    // what would stop a registration, shown before the learner tries (the server checks again on submit)
    const openGaps = state.status === 'none' && !extra.reasons ? await q.registration.gate(req.user!.id, s.id) : [];
    res.status(extra.status ?? 200).render('qualification/session', {
      openGaps,
      ...helpers,
      title: s.title,
      session: presentSession(s, { showLink }),
      topic: requirements.q2Topics.find((t) => t.key === s.topic),
      state,
      counts,
      trains,
      reasons: extra.reasons,
      cancellable: ctx.clock.now() <= s.cancellationDeadline,
    });
  }

  r.get('/sessions/:id', requireLogin, async (req, res) => renderSession(req, res, parse(idParamSchema, req.params).id));
  r.post('/sessions/:id/register', requireLogin, async (req, res) => {
    const { id } = parse(idParamSchema, req.params);
    try {
      const result = await q.registration.register(req.user!.id, id);
      req.flash('success', req.t(result.status === 'registered' ? 'qualification:flash.registered' : 'qualification:flash.waiting', { position: result.status === 'waiting' ? result.position : 0 }));
      res.redirect(`/sessions/${id}`);
    } catch (err) {
      // the same refusal as the API: every reason with its link, on the session's page
      if (!(err instanceof DomainError) || !Array.isArray(err.details.reasons)) throw err;
      await renderSession(req, res, id, { reasons: err.details.reasons as MissingItem[], status: err.kind === 'forbidden' ? 403 : 409 });
    }
  });
  r.post('/sessions/:id/cancel', requireLogin, async (req, res) => {
    const { id } = parse(idParamSchema, req.params);
    await q.registration.cancel(req.user!.id, id);
    req.flash('success', req.t('qualification:flash.cancelled'));
    res.redirect(`/sessions/${id}`);
  });
  r.get('/sessions/:id/calendar.ics', requireLogin, async (req, res) => sendIcs(q, ctx, req, res, parse(idParamSchema, req.params).id));
  return r;
}
