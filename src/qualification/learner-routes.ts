import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { currentUser } from '../http/current-user.ts';
import { onRefusalRender, submitForm } from '../http/forms.ts';
import { requireLogin } from '../http/guards.ts';
import { singleUpload, uploadedFile } from '../http/upload.ts';
import { parse } from '../http/validate.ts';
import { isoDate } from './format.ts';
import type { MissingItem } from './ports.ts';
import { sendCalendar, viewHelpers } from './presenters.ts';
import { authorisationSchema, EVIDENCE_MAX_BYTES, FILE_FIELD, idParamSchema, kindParamSchema, sessionsQuerySchema, workshopSchema } from './schemas.ts';
import type { QualificationService } from './service.ts';

/** The workshop form names its date field apart from the authorisation's (both forms share one page). */
const workshopFormSchema = z.object({ workshopDate: workshopSchema.shape.date, place: workshopSchema.shape.place });

/** Learner pages: the path, the prerequisites with evidence, the Q2 sessions with registration. */
export function learnerRoutes(q: QualificationService): Router {
  const r = Router();

  async function prerequisitesLocals(learnerId: string) {
    const p = await q.prerequisites.get(learnerId);
    return {
      ...viewHelpers,
      prerequisites: p,
      maxMegabytes: EVIDENCE_MAX_BYTES / 1024 / 1024,
      saved: {
        number: p.authorisation.number,
        date: isoDate(p.authorisation.date),
        partner: p.authorisation.partner,
        workshopDate: isoDate(p.workshop.date),
        place: p.workshop.place,
      },
    };
  }

  /** One's own path, or read-only somebody else's (learner-path.ts says who may). */
  async function renderPath(req: Request, res: Response, learnerId: string) {
    const page = await q.learnerPath.page(currentUser(req), learnerId);
    const title = page.learner ? req.t('qualification:titles.pathOf', { name: page.learner.name }) : req.t('qualification:titles.path');
    res.render('qualification/path', { ...viewHelpers, title, ...page });
  }

  /** The session page's locals; after a refused registration with the refusal's reasons. */
  async function sessionLocals(req: Request, sessionId: string, refused?: { reasons?: MissingItem[] }) {
    const page = await q.sessionView.page(currentUser(req), sessionId, refused);
    return { ...viewHelpers, title: page.session.title, ...page };
  }

  r.get('/path', requireLogin, (req, res) => renderPath(req, res, currentUser(req).id));

  r.get('/path/prerequisites', requireLogin, async (req, res) => {
    const locals = await prerequisitesLocals(currentUser(req).id);
    res.render('qualification/prerequisites', { ...locals, title: req.t('qualification:titles.prerequisites'), values: locals.saved });
  });
  r.post('/path/prerequisites/authorisation', requireLogin, async (req, res) =>
    submitForm(req, res, {
      view: 'qualification/prerequisites',
      schema: authorisationSchema,
      locals: { ...(await prerequisitesLocals(currentUser(req).id)), title: req.t('qualification:titles.prerequisites') },
      action: async (input) => {
        await q.prerequisites.saveAuthorisation(currentUser(req).id, input);
        req.flash('success', req.t('qualification:flash.saved'));
        res.redirect('/path/prerequisites#authorisation');
      },
    }),
  );
  r.post('/path/prerequisites/workshop', requireLogin, async (req, res) =>
    submitForm(req, res, {
      view: 'qualification/prerequisites',
      schema: workshopFormSchema,
      locals: { ...(await prerequisitesLocals(currentUser(req).id)), title: req.t('qualification:titles.prerequisites') },
      action: async (input) => {
        await q.prerequisites.saveWorkshop(currentUser(req).id, { date: input.workshopDate, place: input.place });
        req.flash('success', req.t('qualification:flash.saved'));
        res.redirect('/path/prerequisites#workshop');
      },
    }),
  );
  // multipart: the CSRF token comes in the query string (the body is parsed only here, by multer)
  r.post('/path/prerequisites/:kind/evidence', requireLogin, singleUpload({ field: FILE_FIELD, maxBytes: EVIDENCE_MAX_BYTES }), async (req, res) => {
    const { kind } = parse(kindParamSchema, req.params);
    await q.prerequisites.attachEvidence(currentUser(req).id, kind, uploadedFile(req, FILE_FIELD, 'qualification:errors.noFile'));
    req.flash('success', req.t('qualification:flash.evidenceSaved'));
    res.redirect(`/path/prerequisites#${kind}`);
  });

  r.get('/qualification/evidence/:id', requireLogin, async (req, res) => {
    const { id } = parse(idParamSchema, req.params);
    const file = await q.prerequisites.evidenceFor(currentUser(req), id);
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('Content-Length', String(file.length));
    res.setHeader('Content-Disposition', `attachment; filename="${file.fileName}"`);
    res.setHeader('Cache-Control', 'private, no-store');
    q.prerequisites
      .openEvidence(id)
      .on('error', () => res.destroy())
      .pipe(res);
  });

  // mentors, trainers and admins read a learner's path; never edit it
  r.get('/path/:id', requireLogin, async (req, res) => renderPath(req, res, parse(idParamSchema, req.params).id));

  r.get('/sessions', requireLogin, async (req, res) => {
    const { topic } = parse(sessionsQuerySchema, req.query);
    const { rows, requirements } = await q.sessionView.listPage(currentUser(req), topic);
    res.render('qualification/sessions', { ...viewHelpers, title: req.t('qualification:titles.sessions'), rows, requirements, topic });
  });

  r.get('/sessions/:id', requireLogin, async (req, res) => {
    res.render('qualification/session', await sessionLocals(req, parse(idParamSchema, req.params).id));
  });
  r.post('/sessions/:id/register', requireLogin, async (req, res) => {
    const { id } = parse(idParamSchema, req.params);
    // an unknown session is the 404 page, not a session page
    await q.planning.sessionOr404(id);
    // the same refusal as the API: every reason with its link, on the session's page (403 or 409)
    onRefusalRender(res, {
      view: 'qualification/session',
      locals: (err) => sessionLocals(req, id, { reasons: err.details.reasons as MissingItem[] | undefined }),
    });
    const result = await q.registration.register(currentUser(req).id, id);
    req.flash(
      'success',
      req.t(result.status === 'registered' ? 'qualification:flash.registered' : 'qualification:flash.waiting', {
        position: result.status === 'waiting' ? result.position : 0,
      }),
    );
    res.redirect(`/sessions/${id}`);
  });
  r.post('/sessions/:id/cancel', requireLogin, async (req, res) => {
    const { id } = parse(idParamSchema, req.params);
    await q.registration.cancel(currentUser(req).id, id);
    req.flash('success', req.t('qualification:flash.cancelled'));
    res.redirect(`/sessions/${id}`);
  });
  r.get('/sessions/:id/calendar.ics', requireLogin, async (req, res) => {
    sendCalendar(res, await q.sessionView.calendar(currentUser(req), parse(idParamSchema, req.params).id));
  });
  return r;
}
