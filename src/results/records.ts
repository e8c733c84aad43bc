import { randomUUID } from 'node:crypto';
import { learnerAgent, PLATFORM_CONTEXT, PLATFORM_VERBS } from '../shared/platform-statements.ts';

export const SHARED_VERB = PLATFORM_VERBS.shared.id;

/**
 * The statement for a published summary (xAPI 1.0.3 §2.4): verb "shared", the summary's public page
 * as the activity (its URL is its id), so the LRS shows which Lotse shared which results. Neither the
 * room nor its texts go into the statement: the page is the record of what was shared.
 */
export function sharedSummaryStatement(opts: { baseUrl: string; person: { id: string; name: string }; slug: string; title: string; at: Date }) {
  const { baseUrl } = opts;
  return {
    id: randomUUID(),
    actor: learnerAgent(baseUrl, opts.person),
    verb: PLATFORM_VERBS.shared,
    object: {
      objectType: 'Activity',
      id: summaryUrl(baseUrl, opts.slug),
      definition: {
        type: 'http://activitystrea.ms/schema/1.0/article',
        name: { 'de-DE': opts.title },
        description: { 'de-DE': 'Veröffentlichte Ergebnisse eines Lern- und Experimentierraums' },
      },
    },
    context: { ...PLATFORM_CONTEXT },
    timestamp: opts.at.toISOString(),
  };
}

/** The public page of a summary. */
export const summaryUrl = (baseUrl: string, slug: string) => `${baseUrl}/ergebnisse/${encodeURIComponent(slug)}`;
