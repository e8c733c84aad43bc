import { Router, type Request, type RequestHandler, type Response } from 'express';
import { currentUser } from '../http/current-user.ts';
import { wantsJson } from '../http/error-mapper.ts';
import { submitForm } from '../http/forms.ts';
import { requireLogin, requireRole } from '../http/guards.ts';
import { Status } from '../http/status.ts';
import { parse } from '../http/validate.ts';
import { REGIONS } from '../accounts/roles.ts';
import { COMPANY_BANDS } from './company-band.ts';
import { formatPeriod } from './period.ts';
import { excerptOf } from './presenters.ts';
import { MODERATION_REASONS } from './model.ts';
import {
  moderationSchema,
  practiceSettingSchema,
  publishFormSchema,
  roomParamsSchema,
  searchQuerySchema,
  slugParamsSchema,
  type PublishChoices,
} from './schemas.ts';
import type { ResultsService } from './service.ts';

const publishUrl = (roomId: string) => `/experimentierraeume/${encodeURIComponent(roomId)}/veroeffentlichen`;
const detailUrl = (slug: string) => `/ergebnisse/${encodeURIComponent(slug)}`;

/** What the results' pages format: periods and dates in the page's language, the regions and bands to choose from. */
const helpers = (res: Response) => {
  const lang = String(res.locals.lang ?? 'de');
  return {
    formatPeriod: (from: string | null, until: string | null) => formatPeriod(from, until, lang),
    formatDate: (d: Date | undefined) =>
      d ? new Date(d).toLocaleDateString(lang === 'en' ? 'en-GB' : 'de-DE', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Berlin' }) : '',
    regions: REGIONS,
    bands: COMPANY_BANDS,
    checked: (v: unknown) => v === true || v === 'on',
  };
};

/**
 * On the profile of a signed-in person: their practice (the rooms they led) and the verify-page
 * switch. Mounted by the composition root before the routers, as the community's.
 */
export function resultsViewLocals(s: ResultsService): RequestHandler {
  return async (req, res, next) => {
    if (!req.user || req.method !== 'GET' || req.path !== '/profile' || wantsJson(req)) return next();
    res.locals.resultsPractice = await s.practice.ofViewer(currentUser(req));
    Object.assign(res.locals, { resultsHelpers: helpers(res) });
    next();
  };
}

/** Pages and JSON of the results: the lead's publish flow, the public list and detail, the practice switch. */
export function resultsRoutes(s: ResultsService): Router {
  const r = Router();

  // public: no login
  r.get('/ergebnisse', async (req, res) => {
    const query = parse(searchQuerySchema, req.query);
    res.render('results/index', { ...helpers(res), title: req.t('results:list.title'), query, ...(await s.public.search(query)) });
  });
  r.get('/api/ergebnisse', async (req, res) => {
    const { items, total, page, pages } = await s.public.search(parse(searchQuerySchema, req.query));
    res.json({ items, total, page, pages });
  });
  r.get('/ergebnisse/:slug', async (req, res) => {
    const { slug } = parse(slugParamsSchema, req.params);
    const summary = await s.public.detail(slug);
    // a shared link shows what the room found out (search engines, messengers)
    res.render('results/detail', {
      ...helpers(res),
      title: summary.title,
      summary,
      description: excerptOf(summary, 160),
      moderationReasons: req.user?.roles.includes('admin') ? MODERATION_REASONS : undefined,
    });
  });
  // the provider's moderation (a complaint): an admin withdraws any published summary, with a reason
  r.post('/ergebnisse/:slug/zurueckziehen', requireRole('admin'), async (req, res) => {
    const { slug } = parse(slugParamsSchema, req.params);
    const { reason } = parse(moderationSchema, req.body);
    await s.moderation.withdraw(currentUser(req), slug, reason);
    if (wantsJson(req)) return res.status(Status.NO_CONTENT).end();
    req.flash('success', req.t('results:flash.moderated'));
    res.redirect(Status.SEE_OTHER, '/ergebnisse');
  });
  r.get('/api/ergebnisse/:slug', async (req, res) => {
    const { slug } = parse(slugParamsSchema, req.params);
    res.json({ summary: await s.public.detail(slug) });
  });

  // the lead Lotse's publication
  r.use(['/experimentierraeume', '/profile/practice'], requireLogin);
  const publishPage = (req: Request, res: Response, roomId: string, page: object) => ({
    ...helpers(res),
    title: req.t('results:publish.title'),
    roomId,
    ...page,
  });
  r.get('/experimentierraeume/:id/veroeffentlichen', async (req, res) => {
    const { id } = parse(roomParamsSchema, req.params);
    res.render('results/publish', publishPage(req, res, id, await s.publishing.form(currentUser(req), id)));
  });
  r.post('/experimentierraeume/:id/veroeffentlichen', async (req, res) => {
    const { id } = parse(roomParamsSchema, req.params);
    const viewer = currentUser(req);
    await submitForm(req, res, {
      view: 'results/publish',
      schema: publishFormSchema,
      // a refusal of the page itself (not a lead, not finished) shows only its message
      locals: () =>
        s.publishing
          .form(viewer, id)
          .then((page) => publishPage(req, res, id, page))
          .catch(() => ({ ...helpers(res), refusedOnly: true, title: req.t('results:publish.refused') })),
      action: async ({ intent, ...choices }: { intent: string } & PublishChoices) => {
        if (intent === 'edit') return res.render('results/publish', publishPage(req, res, id, await s.publishing.formWith(viewer, id, choices)));
        if (intent === 'preview') {
          res.render('results/preview', {
            ...publishPage(req, res, id, await s.publishing.preview(viewer, id, choices)),
            title: req.t('results:preview.title'),
          });
          return;
        }
        const published = await s.publishing.publish(viewer, id, choices);
        if (wantsJson(req)) {
          res.status(Status.CREATED).json({ slug: published.slug, url: detailUrl(published.slug) });
          return;
        }
        req.flash('success', req.t('results:flash.published'));
        res.redirect(Status.SEE_OTHER, detailUrl(published.slug));
      },
    });
  });
  r.post('/experimentierraeume/:id/zurueckziehen', async (req, res) => {
    const { id } = parse(roomParamsSchema, req.params);
    await s.publishing.withdraw(currentUser(req), id);
    req.flash('success', req.t('results:flash.withdrawn'));
    res.redirect(Status.SEE_OTHER, publishUrl(id));
  });

  r.post('/profile/practice', async (req, res) => {
    const { showOnCertificate } = parse(practiceSettingSchema, req.body);
    await s.practice.setShowOnCertificate(currentUser(req), showOnCertificate);
    req.flash('success', req.t(showOnCertificate ? 'results:practice.savedOn' : 'results:practice.savedOff'));
    res.redirect(Status.SEE_OTHER, '/profile#results-practice');
  });
  return r;
}
