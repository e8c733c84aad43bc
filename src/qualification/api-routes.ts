import { Router } from 'express';
import { currentUser } from '../http/current-user.ts';
import { requireLogin, requireRole } from '../http/guards.ts';
import { singleUpload, uploadedFile } from '../http/upload.ts';
import { parse } from '../http/validate.ts';
import { presentSession, sendCalendar } from './presenters.ts';
import {
  attendanceSchema,
  authorisationSchema,
  cohortSchema,
  decisionSchema,
  EVIDENCE_MAX_BYTES,
  FILE_FIELD,
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
import { Status } from '../http/status.ts';

/** The JSON API under /api/qualification: the same services as the pages, session-authenticated (CSRF header). */
export function apiRoutes(q: QualificationService): Router {
  const r = Router();
  const base = '/api/qualification';
  const staff = requireRole('trainer', 'admin');
  const admin = requireRole('admin');

  r.get(`${base}/eligibility`, requireLogin, async (req, res) => {
    res.json(await q.eligibility(currentUser(req).id));
  });
  r.get(`${base}/learners/:id/eligibility`, requireLogin, async (req, res) => {
    res.json(await q.learnerPath.eligibility(currentUser(req), parse(idParamSchema, req.params).id));
  });
  r.get(`${base}/learners/:id/path`, requireLogin, async (req, res) => {
    const view = await q.learnerPath.view(currentUser(req), parse(idParamSchema, req.params).id);
    res.json({ ...view, registrations: view.registrations.map((x) => ({ status: x.status, session: presentSession(x.session, { showLink: false }) })) });
  });

  r.get(`${base}/requirements`, requireLogin, async (_req, res) => {
    res.json(await q.requirements.get());
  });
  r.put(`${base}/requirements`, admin, async (req, res) => {
    res.json(await q.requirements.update(parse(requirementsSchema, req.body), currentUser(req).id));
  });

  r.get(`${base}/prerequisites`, requireLogin, async (req, res) => {
    res.json(await q.prerequisites.get(currentUser(req).id));
  });
  r.put(`${base}/prerequisites/authorisation`, requireLogin, async (req, res) => {
    res.json(await q.prerequisites.saveAuthorisation(currentUser(req).id, parse(authorisationSchema, req.body)));
  });
  r.put(`${base}/prerequisites/workshop`, requireLogin, async (req, res) => {
    res.json(await q.prerequisites.saveWorkshop(currentUser(req).id, parse(workshopSchema, req.body)));
  });
  r.post(`${base}/prerequisites/:kind/evidence`, requireLogin, singleUpload({ field: FILE_FIELD, maxBytes: EVIDENCE_MAX_BYTES }), async (req, res) => {
    const { kind } = parse(kindParamSchema, req.params);
    const file = uploadedFile(req, FILE_FIELD, 'qualification:errors.noFile');
    res.status(Status.CREATED).json(await q.prerequisites.attachEvidence(currentUser(req).id, kind, file));
  });
  r.get(`${base}/verifications`, staff, async (req, res) => {
    res.json(await q.prerequisites.pending(currentUser(req)));
  });
  r.post(`${base}/learners/:learnerId/prerequisites/:kind/decision`, staff, async (req, res) => {
    const { learnerId, kind } = parse(learnerKindParamSchema, req.params);
    const { decision, reason } = parse(decisionSchema, req.body);
    res.json(await q.prerequisites.decide(currentUser(req), learnerId, kind, decision, reason));
  });

  r.post(`${base}/imports`, admin, async (req, res) => {
    const { csv, fileName } = parse(importBodySchema, req.body);
    res.status(Status.CREATED).json(await q.csvImport.upload(currentUser(req).id, csv, fileName));
  });
  r.get(`${base}/imports/:id`, admin, async (req, res) => {
    res.json(await q.csvImport.show(parse(idParamSchema, req.params).id));
  });
  r.post(`${base}/imports/:id/commit`, admin, async (req, res) => {
    res.json(await q.csvImport.commit(currentUser(req).id, parse(idParamSchema, req.params).id));
  });

  r.get(`${base}/sessions`, requireLogin, async (req, res) => {
    const { topic } = parse(sessionsQuerySchema, req.query);
    const rows = await q.sessionView.list(currentUser(req), topic, { withLinks: true });
    res.json(rows.map(({ session, state, counts }) => ({ ...session, registration: state, ...counts })));
  });
  r.post(`${base}/sessions`, admin, async (req, res) => {
    res.status(Status.CREATED).json(await q.planning.createSession(parse(sessionSchema, req.body)));
  });
  r.get(`${base}/sessions/:id`, requireLogin, async (req, res) => {
    const { session, state, counts } = await q.sessionView.one(currentUser(req), parse(idParamSchema, req.params).id);
    res.json({ ...session, registration: state, ...counts });
  });
  r.put(`${base}/sessions/:id`, admin, async (req, res) => {
    res.json(await q.adminPlanning.editSession(parse(idParamSchema, req.params).id, parse(sessionSchema, req.body)));
  });
  r.post(`${base}/sessions/:id/registration`, requireLogin, async (req, res) => {
    const result = await q.registration.register(currentUser(req).id, parse(idParamSchema, req.params).id);
    res.status(Status.CREATED).json(result);
  });
  r.delete(`${base}/sessions/:id/registration`, requireLogin, async (req, res) => {
    res.json(await q.registration.cancel(currentUser(req).id, parse(idParamSchema, req.params).id));
  });
  r.get(`${base}/sessions/:id/calendar.ics`, requireLogin, async (req, res) => {
    sendCalendar(res, await q.sessionView.calendar(currentUser(req), parse(idParamSchema, req.params).id));
  });
  r.get(`${base}/sessions/:id/roster`, staff, async (req, res) => {
    const { id } = parse(idParamSchema, req.params);
    res.json((await q.trainerDesk.sessionRoster(currentUser(req), id, parse(rosterQuerySchema, req.query).region)).roster);
  });
  r.post(`${base}/sessions/:id/attendance`, staff, async (req, res) => {
    const { id } = parse(idParamSchema, req.params);
    const { learnerId, status } = parse(attendanceSchema, req.body);
    res.status(Status.CREATED).json(await q.trainerDesk.markAttendance(currentUser(req), id, learnerId, status));
  });

  r.get(`${base}/cohorts`, staff, async (req, res) => {
    res.json((await q.planning.trainerOverview(currentUser(req))).cohorts);
  });
  r.post(`${base}/cohorts`, admin, async (req, res) => {
    res.status(Status.CREATED).json(await q.adminPlanning.saveCohort(undefined, parse(cohortSchema, req.body)));
  });
  r.put(`${base}/cohorts/:id`, admin, async (req, res) => {
    const input = parse(cohortSchema, req.body);
    res.json(await q.adminPlanning.saveCohort(parse(idParamSchema, req.params).id, input));
  });
  r.get(`${base}/cohorts/:id/roster`, staff, async (req, res) => {
    const { id } = parse(idParamSchema, req.params);
    res.json((await q.trainerDesk.cohortRoster(currentUser(req), id, parse(rosterQuerySchema, req.query).region)).roster);
  });

  r.post(`${base}/mentors`, admin, async (req, res) => {
    res.status(Status.CREATED).json(await q.adminPlanning.assignMentor(currentUser(req).id, parse(mentorSchema, req.body)));
  });
  r.get(`${base}/mentees`, requireLogin, async (req, res) => {
    res.json(await q.planning.menteesOf(currentUser(req).id));
  });
  return r;
}
