import { randomBytes } from 'node:crypto';
import type { Clock } from '../shared/clock.ts';
import { conflict, DomainError, forbidden, notFound } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { personalDataIn, preparePersonalTerms, type Finding } from './anonymise.ts';
import { companyBand } from './company-band.ts';
import { fold, searchTokens } from './fold.ts';
import { periodOf } from './period.ts';
import type { PeoplePort, StatementsPort, Viewer } from './platform-ports.ts';
import type { RoomsPort, RoomSummarySource } from './ports.ts';
import { summaryView, type SummaryView } from './presenters.ts';
import { sharedSummaryStatement } from './records.ts';
import type { PublishedSummary, ResultsRepository, SummaryContent } from './repository.ts';
import type { PublishChoices } from './schemas.ts';

/** The texts of a summary that are checked for personal data, in the order the form shows them. */
const CHECKED_FIELDS = ['title', 'topic', 'trades', 'tried', 'worked', 'nextSteps'] as const;
type CheckedField = (typeof CHECKED_FIELDS)[number];

/** What the publish page shows of the room: the facts as they would be published. */
export interface RoomFacts {
  title: string;
  topic: string;
  region: string;
  trades: string[];
  companySizes: string[];
  companyBand: string;
  datesHeld: number;
  period: { year: { from: string; until: string } | null; month: { from: string; until: string } | null };
}

const factsOf = (s: RoomSummarySource): RoomFacts => ({
  title: s.title,
  topic: s.topic,
  region: s.region,
  trades: s.trades,
  companySizes: s.companySizes,
  companyBand: companyBand(s.companyCount),
  datesHeld: s.datesHeld,
  period: { year: periodOf(s.heldFrom, s.heldUntil, 'year'), month: periodOf(s.heldFrom, s.heldUntil, 'month') },
});

/** The room's results board, one text per column: the dates' entries in date order, blank-line separated. */
const boardText = (s: RoomSummarySource, key: 'tried' | 'worked' | 'nextSteps') =>
  [...s.results]
    .sort((a, b) => a.dateIndex - b.dateIndex)
    .map((r) => r[key].trim())
    .filter(Boolean)
    .join('\n\n');

/** The form's first values: the earlier publication's choices, or the room's board with every fact included and the Lotse not named. */
function draftOf(s: RoomSummarySource, earlier: PublishedSummary | undefined): PublishChoices {
  if (earlier)
    return {
      title: earlier.title,
      tried: earlier.tried,
      worked: earlier.worked,
      nextSteps: earlier.nextSteps,
      includeTrades: earlier.trades.length > 0,
      includeCompanySizes: earlier.companySizes.length > 0,
      includeCompanyBand: earlier.companyBand !== null,
      includeDatesHeld: earlier.datesHeld !== null,
      includePeriod: earlier.periodFrom !== null,
      periodPrecision: earlier.periodFrom && earlier.periodFrom.length > 4 ? 'month' : 'year',
      namedAsLotse: earlier.showLotse,
    };
  return {
    title: s.title,
    tried: boardText(s, 'tried'),
    worked: boardText(s, 'worked'),
    nextSteps: boardText(s, 'nextSteps'),
    includeTrades: true,
    includeCompanySizes: true,
    includeCompanyBand: true,
    includeDatesHeld: true,
    includePeriod: true,
    periodPrecision: 'year',
    namedAsLotse: false,
  };
}

/** The stored content: the room's facts the Lotse included, and their texts; nothing else from the room. */
function contentOf(s: RoomSummarySource, c: PublishChoices, publisherId: string): SummaryContent {
  const period = c.includePeriod ? periodOf(s.heldFrom, s.heldUntil, c.periodPrecision) : null;
  const trades = c.includeTrades ? [...s.trades] : [];
  return {
    publisherId,
    showLotse: c.namedAsLotse,
    title: c.title,
    topic: s.topic,
    region: s.region,
    trades,
    companySizes: c.includeCompanySizes ? [...s.companySizes] : [],
    companyBand: c.includeCompanyBand ? companyBand(s.companyCount) : null,
    datesHeld: c.includeDatesHeld ? s.datesHeld : null,
    periodFrom: period?.from ?? null,
    periodUntil: period?.until ?? null,
    tried: c.tried,
    worked: c.worked,
    nextSteps: c.nextSteps,
    searchTokens: searchTokens(c.title, s.topic, ...trades, c.tried, c.worked, c.nextSteps),
  };
}

const quoted = (findings: Finding[]) => [...new Set(findings.map((f) => `„${f.word}“`))].join(', ');

/**
 * Refuses (422) a summary that names anyone of the room (anonymise.ts), with every offending word
 * per field, so the Lotse can fix exactly those.
 */
function assertAnonymous(content: SummaryContent, s: RoomSummarySource): void {
  const terms = preparePersonalTerms(s.personalTerms, [...s.trades, s.topic]);
  const texts: Record<CheckedField, string> = {
    title: content.title,
    topic: content.topic,
    trades: content.trades.join(', '),
    tried: content.tried,
    worked: content.worked,
    nextSteps: content.nextSteps,
  };
  const perField = CHECKED_FIELDS.map((field) => ({ field, findings: personalDataIn(texts[field], terms) })).filter((f) => f.findings.length);
  if (!perField.length) return;
  throw new DomainError('unprocessable', 'results:errors.personalData', {
    words: quoted(perField.flatMap((f) => f.findings)),
    ...Object.fromEntries(perField.map((f) => [`${f.field}Words`, quoted(f.findings)])),
    findings: perField.flatMap((f) => f.findings.map((x) => ({ field: f.field, kind: x.kind, word: x.word }))),
    fields: perField.map((f) => ({ field: f.field, message: `results:errors.found.${f.field}` })),
  });
}

/** A slug of the topic's words and ten random hex digits: readable, not guessable, not the room's id. */
const newSlug = (topic: string) => {
  const words = fold(topic)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return `${words || 'ergebnis'}-${randomBytes(5).toString('hex')}`;
};

/**
 * The lead Lotse's side (issue #21): prefill, preview, publish, update, withdraw. Only a lead of the
 * room may (403), and only of a finished room (409); nothing is stored before their explicit publish.
 */
export function createPublishing(deps: {
  repo: ResultsRepository;
  rooms: RoomsPort;
  lrs: StatementsPort;
  people: PeoplePort;
  clock: Clock;
  logger: Logger;
  publicUrl: () => string;
}) {
  const { repo, rooms } = deps;

  async function ledRoom(viewer: Viewer, roomId: string): Promise<RoomSummarySource> {
    if (!(await rooms.leads(roomId, viewer.id))) throw forbidden('results:errors.notLead');
    const source = await rooms.summarySource(roomId);
    if (!source) throw notFound('results:errors.roomNotFound');
    return source;
  }
  async function finishedRoom(viewer: Viewer, roomId: string): Promise<RoomSummarySource> {
    const source = await ledRoom(viewer, roomId);
    if (source.status !== 'finished') throw conflict('results:errors.notFinished');
    return source;
  }
  const names = async (viewer: Viewer) => deps.people.namesOf([viewer.id]);

  /** The publish page: the room's facts, the form's values, and the earlier publication if any. */
  async function form(viewer: Viewer, roomId: string) {
    const source = await finishedRoom(viewer, roomId);
    const earlier = await repo.findByRoom(roomId);
    return {
      room: factsOf(source),
      values: draftOf(source, earlier),
      earlier: earlier && {
        slug: earlier.slug,
        status: earlier.status,
        moderationReason: earlier.withdrawnBy === 'moderation' ? earlier.moderationReason : null,
      },
    };
  }

  return {
    form,
    /** The page again with the Lotse's values (the preview's "edit" button, a refused publication). */
    async formWith(viewer: Viewer, roomId: string, values: PublishChoices) {
      return { ...(await form(viewer, roomId)), values };
    },

    /** What would be published, checked but not stored. */
    async preview(viewer: Viewer, roomId: string, choices: PublishChoices): Promise<{ summary: SummaryView; room: RoomFacts; values: PublishChoices }> {
      const source = await finishedRoom(viewer, roomId);
      const content = contentOf(source, choices, viewer.id);
      assertAnonymous(content, source);
      return { summary: summaryView(content, await names(viewer)), room: factsOf(source), values: choices };
    },

    /** Publishes (or updates) the room's summary after the same check, and records the "shared" statement. */
    async publish(viewer: Viewer, roomId: string, choices: PublishChoices): Promise<PublishedSummary> {
      const source = await finishedRoom(viewer, roomId);
      const content = contentOf(source, choices, viewer.id);
      assertAnonymous(content, source);
      const at = deps.clock.now();
      const published = await repo.publish(roomId, newSlug(source.topic), content, at);
      const name = (await names(viewer)).get(viewer.id) ?? '';
      const statement = sharedSummaryStatement({
        baseUrl: deps.publicUrl(),
        person: { id: viewer.id, name },
        slug: published.slug,
        title: published.title,
        at,
      });
      await deps.lrs.storeStatements([statement]).catch((err: unknown) => deps.logger.warn({ err }, 'results: shared statement not stored'));
      return published;
    },

    /** Takes the summary off /ergebnisse at once; any lead of the room may, whatever its status now. */
    async withdraw(viewer: Viewer, roomId: string): Promise<void> {
      await ledRoom(viewer, roomId);
      if (!(await repo.withdraw(roomId, deps.clock.now()))) throw notFound('results:errors.nothingToWithdraw');
    },
  };
}
export type Publishing = ReturnType<typeof createPublishing>;
