import { Router, type Response } from 'express';
import { currentUser } from '../http/current-user.ts';
import { requireRole } from '../http/guards.ts';
import { parse } from '../http/validate.ts';
import { viewHelpers as helpers } from './presenters.ts';
import { attendanceSchema, decisionSchema, idParamSchema, learnerKindParamSchema, rosterQuerySchema } from './schemas.ts';
import type { Roster } from './roster.ts';
import type { QualificationService } from './service.ts';

/** Trainer pages: own cohorts and sessions, rosters with CSV export, attendance, verification of prerequisites. */
export function trainerRoutes(q: QualificationService): Router {
  const r = Router();
  const staff = requireRole('trainer', 'admin');

  const sendCsv = (res: Response, roster: Roster, name: string) => {
    res.type('text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${name}.csv"`);
    res.send(q.roster.toCsv(roster));
  };

  r.get('/trainer', staff, async (req, res) => {
    const [overview, pending] = await Promise.all([q.planning.trainerOverview(currentUser(req)), q.prerequisites.pending(currentUser(req))]);
    res.render('qualification/trainer-overview', { ...helpers, title: req.t('qualification:titles.trainer'), ...overview, pendingCount: pending.length });
  });

  r.get('/trainer/verifications', staff, async (req, res) => {
    res.render('qualification/verifications', { ...helpers, title: req.t('qualification:titles.verifications'), pending: await q.prerequisites.pending(currentUser(req)) });
  });
  r.post('/trainer/verifications/:learnerId/:kind', staff, async (req, res) => {
    const { learnerId, kind } = parse(learnerKindParamSchema, req.params);
    const { decision, reason } = parse(decisionSchema, req.body);
    await q.prerequisites.decide(currentUser(req), learnerId, kind, decision, reason);
    req.flash('success', req.t(decision === 'verified' ? 'qualification:flash.verified' : 'qualification:flash.rejected'));
    res.redirect(303, '/trainer/verifications');
  });

  r.get('/trainer/cohorts/:id', staff, async (req, res) => {
    const cohort = await q.planning.visibleCohort(currentUser(req), parse(idParamSchema, req.params).id);
    const { region } = parse(rosterQuerySchema, req.query);
    const [roster, sessions] = await Promise.all([q.roster.forCohort(cohort, region), q.planning.trainerOverview(currentUser(req))]);
    res.render('qualification/roster', { ...helpers, title: roster.title, roster, region, kind: 'cohort', basePath: `/trainer/cohorts/${cohort.id}`, sessions: sessions.sessions.filter((s) => s.cohortId === cohort.id) });
  });
  r.get('/trainer/cohorts/:id/roster.csv', staff, async (req, res) => {
    const cohort = await q.planning.visibleCohort(currentUser(req), parse(idParamSchema, req.params).id);
    sendCsv(res, await q.roster.forCohort(cohort, parse(rosterQuerySchema, req.query).region), `durchgang-${cohort.id}`);
  });

  r.get('/trainer/sessions/:id', staff, async (req, res) => {
    const session = await q.planning.sessionOr404(parse(idParamSchema, req.params).id);
    await q.planning.assertTrains(currentUser(req), session);
    const { region } = parse(rosterQuerySchema, req.query);
    res.render('qualification/roster', { ...helpers, title: session.title, roster: await q.roster.forSession(session, region), region, kind: 'session', session, basePath: `/trainer/sessions/${session.id}` });
  });
  r.get('/trainer/sessions/:id/roster.csv', staff, async (req, res) => {
    const session = await q.planning.sessionOr404(parse(idParamSchema, req.params).id);
    await q.planning.assertTrains(currentUser(req), session);
    sendCsv(res, await q.roster.forSession(session, parse(rosterQuerySchema, req.query).region), `termin-${session.id}`);
  });
  r.post('/trainer/sessions/:id/attendance', staff, async (req, res) => {
    const session = await q.planning.sessionOr404(parse(idParamSchema, req.params).id);
    await q.planning.assertTrains(currentUser(req), session);
    const { learnerId, status } = parse(attendanceSchema, req.body);
    await q.attendance.mark(currentUser(req).id, session, learnerId, status);
    req.flash('success', req.t('qualification:flash.attendance'));
    res.redirect(303, `/trainer/sessions/${session.id}`);
  });
  return r;
}
