import { createHmac } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express, type Router } from 'express';
import type { AppContext } from './app-context.ts';
import { createAccountComponent, type AccountComponent } from './accounts/component.ts';
import { DEMO_LOTSE_EMAIL } from './accounts/service.ts';
import { createContentComponent, type ContentComponent } from './content/component.ts';
import { createLrsComponent, type LrsComponent } from './lrs/component.ts';
import { createPlayerComponent, type PlayerComponent } from './player/component.ts';
import { createCertificateComponent, type CertificateComponent } from './certificates/component.ts';
import { createCsrf } from './http/csrf.ts';
import { curriculumComponent } from './curriculum/seed-q1-modules.ts';
import { scormPageAdapter } from './player/content-frame.ts';
import { createQualificationComponent, createQualificationStore, type QualificationComponent } from './qualification/component.ts';
import { accountsDirectory } from './qualification/directory.ts';
import { contentModuleTitles } from './qualification/module-titles.ts';
import type { EligibilityPort, ProgressPort } from './qualification/ports.ts';
import { createContentOriginApp } from './http/content-origin-app.ts';
import { createErrorMapper, notFoundHandler } from './http/error-mapper.ts';
import { flashMiddleware } from './http/flash.ts';
import { healthRoutes } from './http/health.ts';
import { requestLogging } from './http/request-logging.ts';
import { securityHeaders } from './http/security.ts';
import { sessionMiddleware, sessionSecret } from './http/session.ts';
import { viewLocals } from './http/view-locals.ts';
import { requestLanguage, textsForRequest } from './i18n/i18n.ts';
import { createCommunityComponent, type CommunityComponent } from './community/component.ts';
import { mentorSpaceUrl } from './community/links.ts';
import { createInsightComponent, type InsightComponent } from './insight/component.ts';
import { siteRoutes } from './site/routes.ts';
import { createResultsComponent, type ResultsComponent } from './results/component.ts';
import type { RoomsPort } from './results/ports.ts';
import { accountsPeople } from './accounts/privacy.ts';
import { createPrivacyComponent, type PrivacyComponent } from './privacy/component.ts';
import { componentPrivacyEntries } from './privacy/entries.ts';
import { createPrivacyFoundation } from './privacy/foundation.ts';
import { createRoomStore, createRoomsComponent, type RoomsComponent } from './rooms/component.ts';

const viewsDir = fileURLToPath(new URL('../views/', import.meta.url));

/** A component plugs into the app at these places. */
export interface ComponentParts {
  /** Runs once after the app is built and before it listens (indexes, seeds, demo data). */
  start?(): Promise<void>;
  /** Stops the component's timers and background work. */
  close?(): Promise<void>;
  /** Mounted on the content origin's listener (src/http/content-origin-app.ts): what packages load, never a platform route. */
  contentOriginRouter?: Router;
  /** Mounted before sessions, body parsers and CSRF: APIs with their own auth and parsing (the LRS). */
  apiRouter?: Router;
  /** Mounted after sessions, body parsers and CSRF: pages and session-authenticated JSON. */
  webRouter?: Router;
}

export interface App {
  express: Express;
  /** The app for the content origin's own listener. */
  contentExpress: Express;
  accounts: AccountComponent;
  content: ContentComponent;
  lrs: LrsComponent;
  player: PlayerComponent;
  certificates: CertificateComponent;
  qualification: QualificationComponent;
  privacy: PrivacyComponent;
  insight: InsightComponent;
  community: CommunityComponent;
  rooms: RoomsComponent;
  results: ResultsComponent;
  /** Runs the components' start steps in order. */
  start(): Promise<void>;
  /** Stops background work (session clean-up, timers); the caller closes the connection. */
  close(): Promise<void>;
}

/**
 * Other components' services a test replaces with a stand-in, handed in at construction like the
 * real ones (only where walking the real component would be the whole test: Q1 progress, eligibility).
 */
export interface StandIns {
  /** The player's progress records, as the qualification reads them. */
  progress?: ProgressPort;
  /** The qualification's eligibility, as the certificates read it. */
  eligibility?: EligibilityPort;
  /** The Experimentierräume, as the public results read them. */
  rooms?: RoomsPort;
}

/**
 * The composition root: context → components in dependency order → one Express app. Every component
 * gets what it needs at construction: accounts, content, lrs; the qualification's store (the player
 * lists its Q1 modules first); the player; the qualification (reads the player's progress); the
 * rooms' store and the results (read the rooms through their port; the certificates read the
 * results' practice); the certificates (read the qualification's eligibility); the community (reads
 * a room's members) and the rooms (store documents through the community). Before them all the privacy foundation: its
 * audit trail and consent record go into the components that record staff actions and consents;
 * the privacy component itself comes last, with every component's entry in the register.
 */
export async function createApp(ctx: AppContext, opts: { standIns?: StandIns } = {}): Promise<App> {
  const standIns = opts.standIns ?? {};
  const { config, connection, logger } = ctx;
  const secret = await sessionSecret(config.sessionSecret, config.dataDir);
  const privacyFoundation = createPrivacyFoundation(ctx, config.privacy);
  const { audit } = privacyFoundation;
  const accounts = await createAccountComponent(ctx, { audit, consent: privacyFoundation.consent, activity: privacyFoundation.activity });
  const content = await createContentComponent(ctx, {
    viewTokenKey: createHmac('sha256', secret).update('content-view-tokens').digest('base64url'),
    pageAdapter: scormPageAdapter,
  });
  const lrs = await createLrsComponent(ctx, { audit });
  const people = accountsDirectory(accounts.service);
  // display names as the results and the community read them (an erased person is left out)
  const namesOf = async (ids: string[]) => new Map((await people.findUsers(ids)).map((p) => [p.id, p.name]));
  const titles = contentModuleTitles(content.service);
  // the demo Lotse the accounts make (demo data only): the certificates certify her, the rooms open her room
  const demoLotse = async () => (await accounts.service.findUsersByEmails([DEMO_LOTSE_EMAIL]))[0];
  const qualificationStore = createQualificationStore(ctx);
  const moduleOrder = async () => (await qualificationStore.requirements.get()).q1Modules;
  // the player page links a module's Q&A for its members: the community is built after the player
  // (it reads the player's progress), so the port asks it when a page is rendered
  const late: { community?: CommunityComponent } = {};
  const moduleLinks = {
    linksFor: async (viewer: { id: string; roles: string[] }, slug: string) => {
      const href = await late.community?.links.moduleQa(viewer, slug);
      return href ? [{ href, labelKey: 'community:links.moduleQa' }] : [];
    },
  };
  const player = await createPlayerComponent(ctx, { content: content.service, lrs: lrs.service, people, moduleOrder, audit, moduleLinks });
  const qualification = createQualificationComponent(ctx, {
    store: qualificationStore,
    directory: people,
    lrs: lrs.service,
    progress: standIns.progress ?? player.service,
    titles,
    audit,
    mentorLinks: { mentorSpace: mentorSpaceUrl },
  });
  // the rooms' store before the results (they read the rooms through it) and the community (it reads
  // a room's members from it); the rooms component itself stores documents through the community
  const roomStore = createRoomStore(ctx, { people: { findUsers: accounts.service.findUsers } });
  const results = createResultsComponent(ctx, {
    rooms: standIns.rooms ?? roomStore.resultsPort,
    lrs: lrs.service,
    people: { namesOf },
    audit,
  });
  const certificates = await createCertificateComponent(ctx, {
    people: accounts.service,
    eligibility: standIns.eligibility ?? qualification.service,
    learnerScope: qualification.service,
    audit,
    practice: results.practice,
    demo: {
      lotse: demoLotse,
      requirements: async () => {
        const { q1Modules, q2Topics } = await qualificationStore.requirements.get();
        const moduleTitles = await titles.moduleTitles(q1Modules);
        return {
          q1Modules: q1Modules.map((slug) => ({ moduleSlug: slug, title: moduleTitles.get(slug) ?? slug })),
          q2Topics: q2Topics.map(({ key, title, requiresQ1 }) => ({ key, title, requiresQ1 })),
        };
      },
    },
  });
  const curriculum = curriculumComponent({ enabled: config.seedQ1Modules, content: content.service, logger });
  const insight = createInsightComponent(ctx, {
    lrs: lrs.service,
    qualification: qualification.service,
    titles,
    registrations: { ownersOf: (registrations) => player.service.registrationOwners(registrations) },
  });
  const certified = { isCertified: async (id: string) => Boolean((await certificates.service.overview(id)).current) };
  const community = await createCommunityComponent(ctx, {
    qualification: qualification.service,
    progress: standIns.progress ?? player.service,
    certified,
    rooms: roomStore.membersPort,
    people: {
      namesOf,
      contactsOf: async (ids) => (await people.findUsers(ids)).map((p) => ({ id: p.id, name: p.name, email: p.email })),
    },
    lrs: lrs.service,
  });
  late.community = community;
  const rooms = createRoomsComponent(ctx, roomStore, {
    certified,
    people: {
      findUsers: accounts.service.findUsers,
      findUsersByEmails: (emails) => accounts.service.findUsersByEmails(emails),
      registerGuest: (input) => accounts.service.registerGuest(input),
    },
    files: community.service.files,
    modules: {
      publishedModules: async () =>
        (await content.service.listPublishedVersions()).map(({ module: m }) => ({ slug: m.slug, title: m.title, description: m.description })),
    },
    lrs: lrs.service,
    demo: { lotse: demoLotse },
  });
  const privacy = createPrivacyComponent(ctx, {
    foundation: privacyFoundation,
    people: accountsPeople(accounts.service, connection),
    entries: componentPrivacyEntries(connection, {
      publicUrl: ctx.publicUrl,
      certificatePdf: async (id, learnerId) => (await certificates.service.pdf(id, { id: learnerId, roles: ['learner'] })).pdf,
    }),
    settings: config.privacy,
  });
  // start() runs in this order: the demo data need accounts (the demo Lotse) → certificates (hers) → rooms (hers)
  const components: ComponentParts[] = [accounts, content, curriculum, lrs, player, certificates, qualification, insight, community, rooms, results, privacy];

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.set('views', viewsDir);
  app.set('view engine', 'pug');
  if (config.env === 'production') app.enable('view cache');

  app.use(requestLogging(logger));
  // no second origin to be had: package files on ours, before the platform's headers and sessions
  // (their own CSP puts every document in a sandbox of its own, src/content/serve-routes.ts)
  if (ctx.origins.sandboxed) for (const c of components) if (c.contentOriginRouter) app.use(c.contentOriginRouter);
  app.use(securityHeaders(ctx.origins));
  // The xAPI endpoint comes before the static files, health checks and language middleware: its
  // clients are content and tools, none of them choose a language, and cloning i18next for every
  // statement was a fifth of a single POST's time outside the database (issue #16). A refusal still
  // speaks the language the `lng` cookie or query asks for (the error mapper's fallback).
  app.use(lrs.xapiRouter);
  app.use('/static', express.static(path.join(viewsDir, 'static'), { maxAge: config.env === 'production' ? '1d' : 0 }));
  app.use(healthRoutes(connection));
  app.use(requestLanguage(ctx.i18n));
  for (const c of components) if (c.apiRouter) app.use(c.apiRouter);

  const { middleware: sessions, store } = await sessionMiddleware({
    connection,
    secret,
    jobs: ctx.jobs,
    clock: ctx.clock,
  });
  app.use(sessions);
  app.use(accounts.passport.initialize());
  app.use(accounts.passport.session());
  app.use(express.urlencoded({ extended: true, limit: config.bodyLimit, parameterLimit: 200 }));
  app.use(express.json({ limit: config.bodyLimit }));
  app.use(flashMiddleware);
  const csrf = createCsrf({ secret });
  app.use(csrf.tokenForView);
  app.use(viewLocals);
  app.use(csrf.protect);

  app.use(community.viewLocals);
  app.use(rooms.viewLocals);
  app.use(results.viewLocals);
  // guests (company participants of an Experimentierraum) see their rooms and the modules those list as self-study, nothing else of the qualification
  app.use(rooms.guestFence);
  app.use(siteRoutes());
  for (const c of components) if (c.webRouter) app.use(c.webRouter);
  app.use(notFoundHandler);
  app.use(createErrorMapper(ctx.texts, textsForRequest(ctx.i18n)));
  const contentExpress = createContentOriginApp({
    routers: components.flatMap((c) => (c.contentOriginRouter ? [c.contentOriginRouter] : [])),
    logger,
    trustProxy: config.trustProxy,
    germanT: ctx.texts,
  });

  return {
    express: app,
    contentExpress,
    accounts,
    content,
    lrs,
    player,
    certificates,
    qualification,
    privacy,
    insight,
    community,
    rooms,
    results,
    start: async () => {
      for (const c of components) await c.start?.();
    },
    close: async () => {
      for (const c of [...components].reverse()) await c.close?.();
      await store.close().catch(() => {});
    },
  };
}
