import { Router, type Request, type Response } from 'express';
import { REGIONS } from '../accounts/roles.ts';
import { currentUser } from '../http/current-user.ts';
import { onRefusalRender, submitForm } from '../http/forms.ts';
import { requireRole } from '../http/guards.ts';
import { singleUpload, uploadedFile } from '../http/upload.ts';
import { parse } from '../http/validate.ts';
import { berlinLocalInput } from './format.ts';
import { viewHelpers as helpers } from './presenters.ts';
import { cohortSchema, FILE_FIELD, idParamSchema, IMPORT_MAX_BYTES, mentorSchema, requirementsSchema, sessionSchema } from './schemas.ts';
import type { QualificationService } from './service.ts';
import type { Q2Session } from './session-repository.ts';
import { Status } from '../http/status.ts';

/** Admin pages: requirements, sessions, cohorts, mentors and the CSV import of verified authorisations. */
export function adminRoutes(q: QualificationService): Router {
  const r = Router();
  const admin = requireRole('admin');

  const pickLists = async (title: string) => ({ ...helpers, title, ...(await q.adminPlanning.pickLists()), regions: REGIONS });
  const sessionValues = (s: Q2Session) => ({
    ...s,
    startsAt: berlinLocalInput(s.startsAt),
    endsAt: berlinLocalInput(s.endsAt),
    registrationDeadline: berlinLocalInput(s.registrationDeadline),
    cancellationDeadline: berlinLocalInput(s.cancellationDeadline),
    capacity: String(s.capacity),
  });

  r.get('/admin/qualification', admin, async (req, res) => {
    const overview = await q.adminPlanning.overview();
    res.render('qualification/admin', {
      ...helpers,
      title: req.t('qualification:titles.admin'),
      ...overview,
      values: { q1Modules: overview.requirements.q1Modules.join('\n') },
    });
  });
  r.post('/admin/qualification/requirements', admin, async (req, res) => {
    const input = parse(requirementsSchema, req.body);
    await q.requirements.update(input, currentUser(req).id);
    req.flash('success', req.t('qualification:flash.requirementsSaved'));
    res.redirect(Status.SEE_OTHER, '/admin/qualification');
  });

  r.get('/admin/qualification/sessions/new', admin, async (req, res) => {
    res.render('qualification/session-form', {
      ...(await pickLists(req.t('qualification:titles.sessionNew'))),
      action: '/admin/qualification/sessions',
      values: { format: 'praesenz', capacity: '12', trainerIds: [] },
    });
  });
  r.post('/admin/qualification/sessions', admin, async (req, res) =>
    submitForm(req, res, {
      view: 'qualification/session-form',
      schema: sessionSchema,
      locals: { ...(await pickLists(req.t('qualification:titles.sessionNew'))), action: '/admin/qualification/sessions' },
      action: async (input) => {
        const s = await q.planning.createSession(input);
        req.flash('success', req.t('qualification:flash.sessionSaved'));
        res.redirect(Status.SEE_OTHER, `/sessions/${s.id}`);
      },
    }),
  );
  r.get('/admin/qualification/sessions/:id/edit', admin, async (req, res) => {
    const s = await q.planning.sessionOr404(parse(idParamSchema, req.params).id);
    res.render('qualification/session-form', {
      ...(await pickLists(req.t('qualification:titles.sessionEdit'))),
      action: `/admin/qualification/sessions/${s.id}`,
      values: sessionValues(s),
    });
  });
  r.post('/admin/qualification/sessions/:id', admin, async (req, res) => {
    const { id } = parse(idParamSchema, req.params);
    return submitForm(req, res, {
      view: 'qualification/session-form',
      schema: sessionSchema,
      locals: { ...(await pickLists(req.t('qualification:titles.sessionEdit'))), action: `/admin/qualification/sessions/${id}` },
      action: async (input) => {
        await q.adminPlanning.editSession(id, input);
        req.flash('success', req.t('qualification:flash.sessionSaved'));
        res.redirect(Status.SEE_OTHER, `/sessions/${id}`);
      },
    });
  });

  r.get('/admin/qualification/cohorts/new', admin, async (req, res) => {
    res.render('qualification/cohort-form', {
      ...(await pickLists(req.t('qualification:titles.cohortNew'))),
      action: '/admin/qualification/cohorts',
      values: { trainerIds: [] },
    });
  });
  const saveCohort = (id?: string) => async (req: Request, res: Response) =>
    submitForm(req, res, {
      view: 'qualification/cohort-form',
      schema: cohortSchema,
      locals: {
        ...(await pickLists(req.t(id ? 'qualification:titles.cohortEdit' : 'qualification:titles.cohortNew'))),
        action: id ? `/admin/qualification/cohorts/${id}` : '/admin/qualification/cohorts',
      },
      action: async (input) => {
        const c = await q.adminPlanning.saveCohort(id, input);
        req.flash('success', req.t('qualification:flash.cohortSaved'));
        res.redirect(Status.SEE_OTHER, `/trainer/cohorts/${c.id}`);
      },
    });
  r.post('/admin/qualification/cohorts', admin, saveCohort());
  r.get('/admin/qualification/cohorts/:id/edit', admin, async (req, res) => {
    const { cohort, learnerEmails } = await q.adminPlanning.cohortForm(parse(idParamSchema, req.params).id);
    res.render('qualification/cohort-form', {
      ...(await pickLists(req.t('qualification:titles.cohortEdit'))),
      action: `/admin/qualification/cohorts/${cohort.id}`,
      values: { ...cohort, learnerEmails: learnerEmails.join('\n') },
    });
  });
  r.post('/admin/qualification/cohorts/:id', admin, async (req, res) => saveCohort(parse(idParamSchema, req.params).id)(req, res));

  r.post('/admin/qualification/mentors', admin, async (req, res) => {
    const { learnerEmail, mentorEmail } = parse(mentorSchema, req.body);
    await q.adminPlanning.assignMentor(currentUser(req).id, { learnerEmail, mentorEmail });
    req.flash('success', req.t('qualification:flash.mentorSaved'));
    res.redirect(Status.SEE_OTHER, '/admin/qualification#mentors');
  });
  r.post('/admin/qualification/mentors/:id/remove', admin, async (req, res) => {
    await q.planning.removeMentor(parse(idParamSchema, req.params).id);
    req.flash('success', req.t('qualification:flash.mentorRemoved'));
    res.redirect(Status.SEE_OTHER, '/admin/qualification#mentors');
  });

  r.get('/admin/qualification/import', admin, (req, res) => res.render('qualification/import', { ...helpers, title: req.t('qualification:titles.import') }));
  r.post('/admin/qualification/import', admin, singleUpload({ field: FILE_FIELD, maxBytes: IMPORT_MAX_BYTES }), async (req, res) => {
    const preview = await q.csvImport.uploadFile(currentUser(req).id, uploadedFile(req, FILE_FIELD, 'qualification:errors.noFile'));
    res.redirect(Status.SEE_OTHER, `/admin/qualification/import/${preview.importId}`);
  });
  r.get('/admin/qualification/import/:id', admin, async (req, res) => {
    res.render('qualification/import', {
      ...helpers,
      title: req.t('qualification:titles.import'),
      preview: await q.csvImport.show(parse(idParamSchema, req.params).id),
    });
  });
  r.post('/admin/qualification/import/:id/commit', admin, async (req, res) => {
    const { id } = parse(idParamSchema, req.params);
    // a file with errors is refused whole: the preview again, each row with its problems (an unknown import: the upload form)
    onRefusalRender(res, {
      view: 'qualification/import',
      locals: async (err) => ({
        ...helpers,
        title: req.t('qualification:titles.import'),
        preview: err.kind === 'not-found' ? undefined : await q.csvImport.show(id),
      }),
    });
    const done = await q.csvImport.commit(currentUser(req).id, id);
    req.flash('success', req.t('qualification:flash.imported', { count: done.committedRows }));
    res.redirect(Status.SEE_OTHER, `/admin/qualification/import/${id}`);
  });
  return r;
}
