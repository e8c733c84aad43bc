import { Router, type Request } from 'express';
import { REGIONS } from '../accounts/roles.ts';
import { requireRole } from '../http/guards.ts';
import { parse } from '../http/validate.ts';
import { formatDate } from '../qualification/format.ts';
import { csvOf, xlsxOf } from './export.ts';
import { overviewTable } from './overview.ts';
import { overviewQuerySchema } from './schemas.ts';
import type { RoomsService } from './service.ts';

/** Exports are German whatever the page's language (funders read them). */
const german = (req: Request) => req.i18n.getFixedT('de') as unknown as (key: string) => string;

/** The provider's overview of every room (region, year), and its CSV and XLSX export for funders. */
export function adminRoutes(s: RoomsService): Router {
  const r = Router();
  const admin = requireRole('admin');
  r.get('/admin/experimentierraeume', admin, async (req, res) => {
    const filter = parse(overviewQuerySchema, req.query);
    const rows = await s.overview.rows(filter);
    const query = new URLSearchParams(Object.entries(filter).flatMap(([k, v]) => (v ? [[k, String(v)]] : []))).toString();
    const thisYear = new Date().getFullYear();
    res.render('rooms/admin', {
      title: req.t('rooms:admin.title'),
      rows,
      filter,
      regions: REGIONS,
      years: Array.from({ length: 6 }, (_, i) => thisYear + 1 - i),
      exportQuery: query ? `?${query}` : '',
      formatDate,
    });
  });
  r.get('/admin/experimentierraeume/export.:format', admin, async (req, res) => {
    const format = req.params.format === 'xlsx' ? 'xlsx' : req.params.format === 'csv' ? 'csv' : undefined;
    if (!format) {
      res.status(404).render('errors/404', { title: req.t('errors:notFound'), message: req.t('errors:notFound'), status: 404 });
      return;
    }
    const table = overviewTable(await s.overview.rows(parse(overviewQuerySchema, req.query)), german(req));
    res.setHeader('Content-Disposition', `attachment; filename="experimentierraeume.${format}"`);
    if (format === 'csv') {
      res.type('text/csv; charset=utf-8').send(csvOf(table));
      return;
    }
    res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await xlsxOf(table, 'Experimentierräume'));
  });
  return r;
}
