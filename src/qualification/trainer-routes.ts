import { Router, type Response } from 'express';
import { currentUser } from '../http/current-user.ts';
import { requireRole } from '../http/guards.ts';
import { parse } from '../http/validate.ts';
import { viewHelpers as helpers } from './presenters.ts';
import { attendanceSchema, decisionSchema, idParamSchema, learnerKindParamSchema, rosterQuerySchema } from './schemas.ts';
import type { Roster } from './roster.ts';
import type { QualificationService } from './service.ts';
import { Status } from '../http/status.ts';

/** Trainer pages: own cohorts and sessions, rosters with CSV export, attendance, verification of prerequisites. */
export function trainerRoutes(q: QualificationService): Router {
  const r = Router();
  const staff = requireRole('trainer', 'admin');

  const sendCsv = (res: Response, roster: Roster, name: string) => {
    res.type('text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${name}.csv"`);
    res.send(q.trainerDesk.toCsv(roster));
  };

  r.get('/trainer', staff, async (req, res) => {
    res.render('qualification/trainer-overview', {
      ...helpers,
      title: req.t('qualification:titles.trainer'),
      ...(await q.trainerDesk.overview(currentUser(req))),
    });
  });

  r.get('/trainer/verifications', staff, async (req, res) => {
    res.render('qualification/verifications', {
      ...helpers,
      title: req.t('qualification:titles.verifications'),
      pending: await q.prerequisites.pending(currentUser(req)),
    });
  });
  r.post('/trainer/verifications/:learnerId/:kind', staff, async (req, res) => {
    const { learnerId, kind } = parse(learnerKindParamSchema, req.params);
    const { decision, reason } = parse(decisionSchema, req.body);
    await q.prerequisites.decide(currentUser(req), learnerId, kind, decision, reason);
    req.flash('success', req.t(decision === 'verified' ? 'qualification:flash.verified' : 'qualification:flash.rejected'));
    res.redirect(Status.SEE_OTHER, '/trainer/verifications');
  });

  r.get('/trainer/cohorts/:id', staff, async (req, res) => {
    const { id } = parse(idParamSchema, req.params);
    const { region } = parse(rosterQuerySchema, req.query);
    const { cohort, roster, sessions } = await q.trainerDesk.cohortPage(currentUser(req), id, region);
    res.render('qualification/roster', {
      ...helpers,
      title: roster.title,
      roster,
      region,
      kind: 'cohort',
      basePath: `/trainer/cohorts/${cohort.id}`,
      sessions,
    });
  });
  r.get('/trainer/cohorts/:id/roster.csv', staff, async (req, res) => {
    const { id } = parse(idParamSchema, req.params);
    const { cohort, roster } = await q.trainerDesk.cohortRoster(currentUser(req), id, parse(rosterQuerySchema, req.query).region);
    sendCsv(res, roster, `durchgang-${cohort.id}`);
  });

  r.get('/trainer/sessions/:id', staff, async (req, res) => {
    const { id } = parse(idParamSchema, req.params);
    const { region } = parse(rosterQuerySchema, req.query);
    const { session, roster } = await q.trainerDesk.sessionRoster(currentUser(req), id, region);
    res.render('qualification/roster', {
      ...helpers,
      title: session.title,
      roster,
      region,
      kind: 'session',
      session,
      basePath: `/trainer/sessions/${session.id}`,
    });
  });
  r.get('/trainer/sessions/:id/roster.csv', staff, async (req, res) => {
    const { id } = parse(idParamSchema, req.params);
    const { session, roster } = await q.trainerDesk.sessionRoster(currentUser(req), id, parse(rosterQuerySchema, req.query).region);
    sendCsv(res, roster, `termin-${session.id}`);
  });
  r.post('/trainer/sessions/:id/attendance', staff, async (req, res) => {
    const { id } = parse(idParamSchema, req.params);
    const { learnerId, status } = parse(attendanceSchema, req.body);
    await q.trainerDesk.markAttendance(currentUser(req), id, learnerId, status);
    req.flash('success', req.t('qualification:flash.attendance'));
    res.redirect(Status.SEE_OTHER, `/trainer/sessions/${id}`);
  });
  return r;
}
