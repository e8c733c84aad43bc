import { Router } from 'express';
import { currentUser } from '../http/current-user.ts';
import { requireLogin, requireRole } from '../http/guards.ts';
import { Status } from '../http/status.ts';
import { parse } from '../http/validate.ts';
import type { Journals } from './journals.ts';
import {
  cohortParamsSchema,
  commentSchema,
  entryParamsSchema,
  journalEntrySchema,
  promptSchema,
  sessionParamsSchema,
  sharingSchema,
  teamSchema,
} from './schemas.ts';

const journalUrl = (sessionId: string) => `/community/journal/${sessionId}`;

/** The Reflecting Team: a learner's journal per Q2 session, sharing and comments; the trainer's teams and prompts. */
export function journalRoutes(j: Journals): Router {
  const r = Router();
  const staff = requireRole('trainer', 'admin');

  r.get('/community/journal/:sessionId', requireLogin, async (req, res) => {
    const { sessionId } = parse(sessionParamsSchema, req.params);
    const page = await j.page(currentUser(req), sessionId);
    res.render('community/journal', { title: req.t('community:journal.title', { title: page.session.title }), ...page });
  });
  r.post('/community/journal/:sessionId/entries', requireLogin, async (req, res) => {
    const { sessionId } = parse(sessionParamsSchema, req.params);
    const input = parse(journalEntrySchema, req.body);
    await j.write(currentUser(req), sessionId, input);
    res.redirect(Status.SEE_OTHER, journalUrl(sessionId));
  });
  r.post('/community/journal/entries/:entryId/sharing', requireLogin, async (req, res) => {
    const { entryId } = parse(entryParamsSchema, req.params);
    const { sharing } = parse(sharingSchema, req.body);
    const entry = await j.share(currentUser(req), entryId, sharing);
    res.redirect(Status.SEE_OTHER, journalUrl(entry.sessionId));
  });
  r.post('/community/journal/entries/:entryId/comments', requireLogin, async (req, res) => {
    const { entryId } = parse(entryParamsSchema, req.params);
    const { markdown } = parse(commentSchema, req.body);
    const entry = await j.comment(currentUser(req), entryId, markdown);
    res.redirect(Status.SEE_OTHER, `${journalUrl(entry.sessionId)}#entry-${entryId}`);
  });

  r.get('/trainer/community/cohorts/:cohortId/teams', staff, async (req, res) => {
    const { cohortId } = parse(cohortParamsSchema, req.params);
    const page = await j.teams(currentUser(req), cohortId);
    res.render('community/teams', { title: req.t('community:teams.title', { name: page.cohort.name }), ...page });
  });
  r.post('/trainer/community/cohorts/:cohortId/teams', staff, async (req, res) => {
    const { cohortId } = parse(cohortParamsSchema, req.params);
    const input = parse(teamSchema, req.body);
    await j.formTeam(currentUser(req), cohortId, input);
    res.redirect(Status.SEE_OTHER, `/trainer/community/cohorts/${cohortId}/teams`);
  });
  r.post('/trainer/community/sessions/:sessionId/prompt', staff, async (req, res) => {
    const { sessionId } = parse(sessionParamsSchema, req.params);
    const { text } = parse(promptSchema, req.body);
    await j.setPrompt(currentUser(req), sessionId, text);
    res.redirect(Status.SEE_OTHER, journalUrl(sessionId));
  });
  return r;
}
