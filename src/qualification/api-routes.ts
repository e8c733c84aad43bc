import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../app-context.ts';
import { requireLogin, requireRole } from '../http/guards.ts';
import { parse } from '../http/validate.ts';
import { DomainError, forbidden } from '../shared/errors.ts';
import { sessionIcs } from './ics.ts';
import { presentSession, viewerOf } from './presenters.ts';
import {
  attendanceSchema,
  authorisationSchema,
  cohortSchema,
  decisionSchema,
  idParamSchema,
  importBodySchema,
  kindParamSchema,
  learnerKindParamSchema,
  mentorSchema,
  requirementsSchema,
  rosterQuerySchema,
  sessionSchema,
  sessionsQuerySchema,
  workshopSchema,
} from './schemas.ts';
import type { QualificationService } from './service.ts';
import { EVIDENCE_MAX_BYTES, singleFile, uploadedFile } from './upload.ts';

/** Resolves people given by e-mail (forms) or id (JSON); unknown e-mails are a validation error naming them. */
export async function resolveLearners(q: QualificationService, ids: string[], emails: string[]): Promise<string[]> {
  const people = await q.directory.findByEmails(emails);
  const found = emails.map((e) => ({ e, p: people.get(e.trim().toLowerCase()) }));
  const unknown = found.filter((f) => !f.p).map((f) => f.e);
  if (unknown.length) throw new DomainError('validation', 'qualification:errors.unknownEmails', { emails: unknown.join(', '), fields: [{ field: 'learnerEmails', message: 'qualification:errors.unknownEmails' }] });
  return [...new Set([...ids, ...found.map((f) => f.p!.id)])];
}

/** Sends a session's calendar file to a registered participant. */
export async function sendIcs(q: QualificationService, ctx: AppContext, req: Request, res: Response, sessionId: string) {
  const session = await q.planning.sessionOr404(sessionId);
  const state = await q.registration.stateOf(req.user!.id, session.id);
  if (state.status !== 'registered' && !(await q.planning.canTrain(viewerOf(req), session))) throw forbidden('qualification:errors.icsForbidden');
  res.type('text/calendar; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="q2-termin-${session.id}.ics"`);
  res.send(sessionIcs(session, { baseUrl: ctx.publicUrl(), now: ctx.clock.now() }));
}

/** The JSON API under /api/qualification: the same services as the pages, session-authenticated (CSRF header). */
export function apiRoutes(q: QualificationService, ctx: AppContext): Router {
  const r = Router();
  const base = '/api/qualification';
  const staff = requireRole('trainer', 'admin');
  const admin = requireRole('admin');

  r.get(`${base}/eligibility`, requireLogin, async (req, res) => {
    res.json(await q.eligibility(req.user!.id));
  });
  r.get(`${base}/learners/:id/eligibility`, requireLogin, async (req, res) => {
    const { id } = parse(idParamSchema, req.params);
    await q.planning.assertMayViewPath(viewerOf(req), id);
    res.json(await q.eligibility(id));
  });
  r.get(`${base}/learners/:id/path`, requireLogin, async (req, res) => {
    const { id } = parse(idParamSchema, req.params);
    await q.planning.assertMayViewPath(viewerOf(req), id);
    const view = await q.path.view(id);
    res.json({ ...view, registrations: view.registrations.map((x) => ({ status: x.status, session: presentSession(x.session, { showLink: false }) })) });
  });

  r.get(`${base}/requirements`, requireLogin, async (_req, res) => {
    res.json(await q.requirements.get());
  });
  r.put(`${base}/requirements`, admin, async (req, res) => {
    res.json(await q.requirements.update(parse(requirementsSchema, req.body), req.user!.id));
  });

  r.get(`${base}/prerequisites`, requireLogin, async (req, res) => {
    res.json(await q.prerequisites.get(req.user!.id));
  });
  r.put(`${base}/prerequisites/authorisation`, requireLogin, async (req, res) => {
    res.json(await q.prerequisites.saveAuthorisation(req.user!.id, parse(authorisationSchema, req.body)));
  });
  r.put(`${base}/prerequisites/workshop`, requireLogin, async (req, res) => {
    res.json(await q.prerequisites.saveWorkshop(req.user!.id, parse(workshopSchema, req.body)));
  });
  r.post(`${base}/prerequisites/:kind/evidence`, requireLogin, singleFile(EVIDENCE_MAX_BYTES), async (req, res) => {
    const { kind } = parse(kindParamSchema, req.params);
    const file = uploadedFile(req);
    try {
      res.status(201).json(await q.prerequisites.attachEvidence(req.user!.id, kind, file));
    } finally {
      await file.done();
    }
  });
  r.get(`${base}/verifications`, staff, async (req, res) => {
    res.json(await q.prerequisites.pending(viewerOf(req)));
  });
  r.post(`${base}/learners/:learnerId/prerequisites/:kind/decision`, staff, async (req, res) => {
    const { learnerId, kind } = parse(learnerKindParamSchema, req.params);
    const { decision, reason } = parse(decisionSchema, req.body);
    res.json(await q.prerequisites.decide(viewerOf(req), learnerId, kind, decision, reason));
  });

  r.post(`${base}/imports`, admin, async (req, res) => {
    const { csv, fileName } = parse(importBodySchema, req.body);
    res.status(201).json(await q.csvImport.upload(req.user!.id, csv, fileName));
  });
  r.get(`${base}/imports/:id`, admin, async (req, res) => {
    res.json(await q.csvImport.show(parse(idParamSchema, req.params).id));
  });
  r.post(`${base}/imports/:id/commit`, admin, async (req, res) => {
    res.json(await q.csvImport.commit(req.user!.id, parse(idParamSchema, req.params).id));
  });

  r.get(`${base}/sessions`, requireLogin, async (req, res) => {
    const { topic } = parse(sessionsQuerySchema, req.query);
    const list = await q.planning.upcoming(topic);
    const [rows, trained] = await Promise.all([q.registration.listWithStates(req.user!.id, list), q.planning.trainedSessionIds(viewerOf(req), list)]);
    res.json(rows.map(({ session: s, state, counts }) => ({ ...presentSession(s, { showLink: state.status === 'registered' || trained.has(s.id) }), registration: state, ...counts })));
  });
  r.post(`${base}/sessions`, admin, async (req, res) => {
    res.status(201).json(await q.planning.createSession(parse(sessionSchema, req.body)));
  });
  r.get(`${base}/sessions/:id`, requireLogin, async (req, res) => {
    const s = await q.planning.sessionOr404(parse(idParamSchema, req.params).id);
    const state = await q.registration.stateOf(req.user!.id, s.id);
    const showLink = state.status === 'registered' || (await q.planning.canTrain(viewerOf(req), s));
    res.json({ ...presentSession(s, { showLink }), registration: state, ...(await q.registration.counts(s.id)) });
  });
  r.put(`${base}/sessions/:id`, admin, async (req, res) => {
    const s = await q.planning.updateSession(parse(idParamSchema, req.params).id, parse(sessionSchema, req.body));
    await q.registration.promoteWaiting(s.id);
    res.json(s);
  });
  r.post(`${base}/sessions/:id/registration`, requireLogin, async (req, res) => {
    const result = await q.registration.register(req.user!.id, parse(idParamSchema, req.params).id);
    res.status(201).json(result);
  });
  r.delete(`${base}/sessions/:id/registration`, requireLogin, async (req, res) => {
    res.json(await q.registration.cancel(req.user!.id, parse(idParamSchema, req.params).id));
  });
  r.get(`${base}/sessions/:id/calendar.ics`, requireLogin, async (req, res) => {
    await sendIcs(q, ctx, req, res, parse(idParamSchema, req.params).id);
  });
  r.get(`${base}/sessions/:id/roster`, staff, async (req, res) => {
    const s = await q.planning.sessionOr404(parse(idParamSchema, req.params).id);
    await q.planning.assertTrains(viewerOf(req), s);
    res.json(await q.roster.forSession(s, parse(rosterQuerySchema, req.query).region));
  });
  r.post(`${base}/sessions/:id/attendance`, staff, async (req, res) => {
    const s = await q.planning.sessionOr404(parse(idParamSchema, req.params).id);
    await q.planning.assertTrains(viewerOf(req), s);
    const { learnerId, status } = parse(attendanceSchema, req.body);
    res.status(201).json(await q.attendance.mark(req.user!.id, s, learnerId, status));
  });

  r.get(`${base}/cohorts`, staff, async (req, res) => {
    res.json((await q.planning.trainerOverview(viewerOf(req))).cohorts);
  });
  r.post(`${base}/cohorts`, admin, async (req, res) => {
    const input = parse(cohortSchema, req.body);
    const learnerIds = await resolveLearners(q, input.learnerIds, input.learnerEmails);
    res.status(201).json(await q.planning.createCohort({ name: input.name, region: input.region, trainerIds: input.trainerIds, learnerIds }));
  });
  r.put(`${base}/cohorts/:id`, admin, async (req, res) => {
    const input = parse(cohortSchema, req.body);
    const learnerIds = await resolveLearners(q, input.learnerIds, input.learnerEmails);
    res.json(await q.planning.updateCohort(parse(idParamSchema, req.params).id, { name: input.name, region: input.region, trainerIds: input.trainerIds, learnerIds }));
  });
  r.get(`${base}/cohorts/:id/roster`, staff, async (req, res) => {
    const c = await q.planning.visibleCohort(viewerOf(req), parse(idParamSchema, req.params).id);
    res.json(await q.roster.forCohort(c, parse(rosterQuerySchema, req.query).region));
  });

  r.post(`${base}/mentors`, admin, async (req, res) => {
    const m = parse(mentorSchema, req.body);
    const learnerId = m.learnerId ?? (m.learnerEmail ? (await q.directory.findByEmail(m.learnerEmail))?.id : undefined);
    const mentorId = m.mentorId ?? (m.mentorEmail ? (await q.directory.findByEmail(m.mentorEmail))?.id : undefined);
    if (!learnerId || !mentorId) throw new DomainError('not-found', 'qualification:errors.personNotFound');
    await q.planning.assignMentor(req.user!.id, learnerId, mentorId);
    res.status(201).json({ learnerId, mentorId });
  });
  r.get(`${base}/mentees`, requireLogin, async (req, res) => {
    res.json(await q.planning.menteesOf(req.user!.id));
  });
  return r;
}
