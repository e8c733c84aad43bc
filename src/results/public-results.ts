import { DomainError, notFound } from '../shared/errors.ts';
import { foldedWords } from './fold.ts';
import type { PeoplePort } from './platform-ports.ts';
import { excerptOf, summaryView, type SummaryView } from './presenters.ts';
import type { PublishedSummary, ResultsRepository } from './repository.ts';
import type { SearchQuery } from './schemas.ts';

export const PAGE_SIZE = 10;
/** More words than this add little and each is a condition on every candidate. */
const MAX_WORDS = 6;

/**
 * The public "Ergebnisse" (no login): the published summaries, searchable by free text (topic,
 * title, trades, results texts; each word typed must start a word of the summary, after folding)
 * and filterable by region, trade and topic; a withdrawn one is gone at once (410).
 */
export function createPublicResults(deps: { repo: ResultsRepository; people: PeoplePort }) {
  const { repo } = deps;
  const withNames = async (list: PublishedSummary[]): Promise<SummaryView[]> => {
    const ids = [...new Set(list.filter((s) => s.showLotse && s.publisherId).map((s) => s.publisherId!))];
    const names = ids.length ? await deps.people.namesOf(ids) : new Map<string, string>();
    return list.map((s) => summaryView(s, names));
  };

  return {
    /** One page of the list, the filters' choices, and how many pages there are. */
    async search(q: SearchQuery) {
      const words = [...new Set(foldedWords(q.q ?? ''))].slice(0, MAX_WORDS);
      const skip = (q.page - 1) * PAGE_SIZE;
      const [{ items, total }, facets] = await Promise.all([
        repo.search({ words, region: q.region, trade: q.trade, topic: q.topic, skip, limit: PAGE_SIZE }),
        repo.facets(),
      ]);
      const views = await withNames(items);
      return {
        items: views.map((v) => ({ ...v, excerpt: excerptOf(v) })),
        total,
        page: q.page,
        pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
        facets,
      };
    },

    /** The detail page: 404 for a slug never published, 410 once withdrawn. */
    async detail(slug: string): Promise<SummaryView> {
      const s = await repo.findBySlug(slug);
      if (!s) throw notFound('results:errors.notFound');
      if (s.status !== 'published') throw new DomainError('gone', 'results:errors.withdrawn');
      return (await withNames([s]))[0]!;
    },
  };
}
export type PublicResults = ReturnType<typeof createPublicResults>;
