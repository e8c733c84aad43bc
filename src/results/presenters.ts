import { markdownRenderer } from '../shared/markdown.ts';
import type { PublishedSummary, SummaryContent } from './repository.ts';

/**
 * Published results allow no images at all (a photo of a workshop shows faces); links and
 * formatting as in the community (src/shared/markdown.ts).
 */
export const renderResultsMarkdown = markdownRenderer();

/** A summary as the public sees it: never the room's id, the publisher's id or the search field. */
export interface SummaryView {
  slug: string;
  title: string;
  topic: string;
  region: string;
  trades: string[];
  companySizes: string[];
  companyBand: string | null;
  datesHeld: number | null;
  periodFrom: string | null;
  periodUntil: string | null;
  triedHtml: string;
  workedHtml: string;
  nextStepsHtml: string;
  /** Only where the publisher opted in, and while their account exists. */
  lotseName?: string;
  publishedAt?: Date;
  updatedAt?: Date;
}

type Presentable = SummaryContent & Partial<Pick<PublishedSummary, 'slug' | 'publishedAt' | 'updatedAt'>>;

export function summaryView(s: Presentable, names: Map<string, string> = new Map()): SummaryView {
  const lotseName = s.showLotse && s.publisherId ? names.get(s.publisherId) : undefined;
  return {
    slug: s.slug ?? '',
    title: s.title,
    topic: s.topic,
    region: s.region,
    trades: s.trades,
    companySizes: s.companySizes,
    companyBand: s.companyBand,
    datesHeld: s.datesHeld,
    periodFrom: s.periodFrom,
    periodUntil: s.periodUntil,
    triedHtml: s.tried ? renderResultsMarkdown(s.tried) : '',
    workedHtml: s.worked ? renderResultsMarkdown(s.worked) : '',
    nextStepsHtml: s.nextSteps ? renderResultsMarkdown(s.nextSteps) : '',
    ...(lotseName ? { lotseName } : {}),
    ...(s.publishedAt ? { publishedAt: s.publishedAt } : {}),
    ...(s.updatedAt ? { updatedAt: s.updatedAt } : {}),
  };
}

/** The first words of a summary's texts for the result list (plain text, from the sanitised HTML). */
export function excerptOf(v: SummaryView, max = 240): string {
  const plain = [v.workedHtml, v.triedHtml, v.nextStepsHtml]
    .join(' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
  return plain.length > max ? `${plain.slice(0, max).replace(/\s\S*$/, '')} …` : plain;
}
