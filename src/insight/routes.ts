import { Router, type Request, type Response } from 'express';
import { currentUser } from '../http/current-user.ts';
import { requireLogin, requireRole } from '../http/guards.ts';
import { parse } from '../http/validate.ts';
import { formatDate, formatDateTime } from '../qualification/format.ts';
import { funnelChart, progressChart, questionsChart, timeSpentChart } from './charts.ts';
import { tableToCsv, tableToXlsx } from './exports.ts';
import {
  cohortParamsSchema,
  dashboardQuerySchema,
  digestFormSchema,
  exportParamsSchema,
  learnerParamsSchema,
  questionsQuerySchema,
  timelineExportParamsSchema,
  timelineQuerySchema,
} from './schemas.ts';
import type { InsightService } from './service.ts';
import { dashboardTables, questionsTable, timelineTable, type Format, type Table } from './tables.ts';

type T = (key: string, opts?: Record<string, unknown>) => string;

const format = (lang: string): Format => ({
  date: (d) => formatDate(d),
  dateTime: (d) => formatDateTime(d),
  percent: (share) =>
    share === null ? '–' : `${new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'de-DE', { maximumFractionDigits: 0 }).format(share * 100)} %`,
});
/** Exports are German whatever the page's language (issue #19: German headers). */
const german = (req: Request): T => req.i18n.getFixedT('de') as unknown as T;
const pageT = (req: Request): T => req.t as unknown as T;
const lang = (res: Response): string => String(res.locals.lang ?? 'de');

async function sendTable(res: Response, table: Table, fileBase: string, kind: 'csv' | 'xlsx'): Promise<void> {
  const name = `${fileBase}-${table.key}.${kind}`;
  res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
  if (kind === 'csv') {
    res.type('text/csv; charset=utf-8').send(tableToCsv(table));
    return;
  }
  res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await tableToXlsx(table));
}

/** The module filter of a timeline: "q2" names the events outside modules (attendance). */
const moduleFilter = (m: string | undefined) => (m === 'q2' ? '' : m);

/** Trainer pages (dashboard, questions, a learner's timeline, exports, digest setting) and the learner's own timeline. */
export function insightRoutes(s: InsightService): Router {
  const r = Router();
  const staff = requireRole('trainer', 'admin');

  r.get('/trainer/insight', staff, async (req, res) => {
    res.render('insight/index', { title: req.t('insight:titles.index'), cohorts: await s.cohortsOf(currentUser(req)) });
  });

  r.get('/trainer/insight/cohorts/:id', staff, async (req, res) => {
    const { id } = parse(cohortParamsSchema, req.params);
    const { days } = parse(dashboardQuerySchema, req.query);
    const viewer = currentUser(req);
    const d = await s.dashboard.forCohort(viewer, id, days ? { inactiveDays: days } : {});
    const t = pageT(req);
    const f = format(lang(res));
    const charts = { funnel: funnelChart(d, t), progress: progressChart(d, t, f.date), time: timeSpentChart(d, t) };
    const tables = dashboardTables(d, t, f, { isAdmin: viewer.roles.includes('admin'), withActions: true });
    res.render('insight/dashboard', { title: t('insight:titles.dashboard', { name: d.cohort.name }), d, charts, tables, days: d.inactiveDays });
  });

  r.get('/trainer/insight/cohorts/:id/questions', staff, async (req, res) => {
    const { id } = parse(cohortParamsSchema, req.params);
    const { sort, module } = parse(questionsQuerySchema, req.query);
    const result = await s.questions.forCohort(currentUser(req), id, { sort, moduleSlug: module });
    const t = pageT(req);
    res.render('insight/questions', {
      title: t('insight:titles.questions', { name: result.cohort.name }),
      result,
      sort: sort ?? 'share',
      module: module ?? '',
      chart: questionsChart(result.rows, t),
      table: questionsTable(result.rows, t, format(lang(res))),
    });
  });

  r.get('/trainer/insight/cohorts/:id/export/:table.:format', staff, async (req, res) => {
    const { id, table, format: kind } = parse(exportParamsSchema, req.params);
    const viewer = currentUser(req);
    const t = german(req);
    const f = format('de');
    if (table === 'questions') {
      const { sort, module } = parse(questionsQuerySchema, req.query);
      await sendTable(res, questionsTable((await s.questions.forCohort(viewer, id, { sort, moduleSlug: module })).rows, t, f), `durchgang-${id}`, kind);
      return;
    }
    const { days } = parse(dashboardQuerySchema, req.query);
    const d = await s.dashboard.forCohort(viewer, id, days ? { inactiveDays: days } : {});
    await sendTable(res, dashboardTables(d, t, f, { isAdmin: false, withActions: false })[table], `durchgang-${id}`, kind);
  });

  const renderTimeline = async (req: Request, res: Response, learnerId: string, own: boolean) => {
    const { module, page } = parse(timelineQuerySchema, req.query);
    const [p, modules] = await Promise.all([s.timeline.of(currentUser(req), learnerId, { moduleSlug: moduleFilter(module), page }), s.moduleTitles()]);
    const t = pageT(req);
    const base = own ? '/timeline' : `/trainer/insight/learners/${learnerId}/timeline`;
    res.render('insight/timeline', {
      title: own ? t('insight:titles.ownTimeline') : t('insight:titles.timeline', { name: p.learner.name }),
      p,
      own,
      base,
      module: module ?? '',
      modules,
      table: timelineTable(p, modules, t, format(lang(res))),
    });
  };
  r.get('/trainer/insight/learners/:learnerId/timeline', staff, async (req, res) =>
    renderTimeline(req, res, parse(learnerParamsSchema, req.params).learnerId, false),
  );
  r.get('/timeline', requireLogin, async (req, res) => renderTimeline(req, res, currentUser(req).id, true));
  r.get('/trainer/insight/learners/:learnerId/timeline.:format', staff, async (req, res) => {
    const { learnerId, format: kind } = parse(timelineExportParamsSchema, req.params);
    const { module } = parse(timelineQuerySchema, req.query);
    const [p, modules] = await Promise.all([
      s.timeline.of(currentUser(req), learnerId, { moduleSlug: moduleFilter(module), page: 1, all: true }),
      s.moduleTitles(),
    ]);
    await sendTable(res, timelineTable(p, modules, german(req), format('de')), `verlauf-${learnerId}`, kind);
  });

  r.get('/trainer/insight/digest', staff, async (req, res) => {
    res.render('insight/digest', { title: req.t('insight:titles.digest'), optedOut: await s.digest.isOptedOut(currentUser(req).id) });
  });
  r.post('/trainer/insight/digest', staff, async (req, res) => {
    const { optOut } = parse(digestFormSchema, req.body);
    await s.digest.setOptOut(currentUser(req).id, optOut === 'on');
    req.flash('success', req.t(optOut === 'on' ? 'insight:digest.flashOff' : 'insight:digest.flashOn'));
    res.redirect(303, '/trainer/insight/digest');
  });
  return r;
}
