import { Schema, type Connection, type Types } from 'mongoose';
import { defineModel } from '../db/define-model.ts';
import type { CompanySize } from './ports.ts';
import type { CompanyBand } from './company-band.ts';

/**
 * The results' own collections (issue #21). A published summary holds only what its lead Lotse
 * chose to publish, checked free of personal data (anonymise.ts); the rooms' data stays with the
 * rooms component and is read through RoomsPort.
 */

/** One published (or withdrawn) summary of a finished Experimentierraum; one per room. */
export interface PublishedSummaryDoc {
  _id: Types.ObjectId;
  /** The public name in /ergebnisse/<slug>: random, never derived from the room's id. */
  slug: string;
  /** Which room it summarises, for its leads' update and withdrawal; never shown or sent publicly. */
  roomId: string;
  /** The lead who published it last; null once that account is erased (the summary stays). */
  publisherId: string | null;
  /** The publisher opted in to be named as the Lotse ("als Lotse genannt werden"); the name is read at display time. */
  showLotse: boolean;
  status: SummaryStatus;
  title: string;
  topic: string;
  region: string;
  /** Empty when the Lotse left them out. */
  trades: string[];
  companySizes: CompanySize[];
  companyBand: CompanyBand | null;
  datesHeld: number | null;
  /** 'YYYY' or 'YYYY-MM' (period.ts); null when left out. */
  periodFrom: string | null;
  periodUntil: string | null;
  /** The results board as the Lotse edited it (Markdown; rendered through the shared allow-list). */
  tried: string;
  worked: string;
  nextSteps: string;
  /** Folded distinct words of title, topic, trades and texts: the search field (fold.ts). */
  searchTokens: string[];
  publishedAt: Date;
  updatedAt: Date;
  withdrawnAt: Date | null;
  /** Who withdrew it: one of its leads, or an admin's moderation (a complaint); null while published. */
  withdrawnBy: 'lead' | 'moderation' | null;
  /** The moderation's reason (a code of MODERATION_REASONS, also in the audit trail); null otherwise. */
  moderationReason: ModerationReason | null;
}
export type SummaryStatus = 'published' | 'withdrawn';
/** Why an admin took a summary off /ergebnisse: codes, not free text (they go into the audit trail). */
export const MODERATION_REASONS = ['complaint', 'personal-data', 'inappropriate', 'other'] as const;
export type ModerationReason = (typeof MODERATION_REASONS)[number];

/** A Lotse's switch: show their rooms on their certificate's public verify page (default off). */
export interface PracticeSettingDoc {
  /** The account id. */
  _id: string;
  showOnCertificate: boolean;
  updatedAt: Date;
}

const summarySchema = new Schema<PublishedSummaryDoc>(
  {
    slug: { type: String, required: true },
    roomId: { type: String, required: true },
    publisherId: { type: String, default: null },
    showLotse: { type: Boolean, default: false },
    status: { type: String, required: true },
    title: { type: String, required: true },
    topic: { type: String, required: true },
    region: { type: String, required: true },
    trades: { type: [String], default: [] },
    companySizes: { type: [String], default: [] },
    companyBand: { type: String, default: null },
    datesHeld: { type: Number, default: null },
    periodFrom: { type: String, default: null },
    periodUntil: { type: String, default: null },
    tried: { type: String, default: '' },
    worked: { type: String, default: '' },
    nextSteps: { type: String, default: '' },
    searchTokens: { type: [String], default: [] },
    publishedAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    withdrawnAt: { type: Date, default: null },
    withdrawnBy: { type: String, default: null },
    moderationReason: { type: String, default: null },
  },
  { collection: 'results_summaries', versionKey: false },
);
// the detail page /ergebnisse/:slug
summarySchema.index({ slug: 1 }, { unique: true });
// publish, update, withdraw by room (one summary per room; decides a race of two leads), and the profile's "published?" per room ($in)
summarySchema.index({ roomId: 1 }, { unique: true });
// erasure: the publisher's id is cleared
summarySchema.index({ publisherId: 1 });
// /ergebnisse without filters, newest first, and its count
summarySchema.index({ status: 1, publishedAt: -1 });
// the region filter
summarySchema.index({ status: 1, region: 1, publishedAt: -1 });
// the topic filter, and the distinct topics for its select
summarySchema.index({ status: 1, topic: 1, publishedAt: -1 });
// the trade filter, and the distinct trades for its select (multikey)
summarySchema.index({ status: 1, trades: 1, publishedAt: -1 });
// free text: an anchored prefix regex on the first word the visitor typed (multikey); other words and filters are checked on the documents it finds
summarySchema.index({ searchTokens: 1, status: 1, publishedAt: -1 });

const practiceSettingSchema = new Schema<PracticeSettingDoc>(
  { _id: { type: String, required: true }, showOnCertificate: { type: Boolean, default: false }, updatedAt: { type: Date, required: true } },
  { collection: 'results_practice_settings', versionKey: false },
);
// read by _id only (the profile, the verify page)

export function resultsModels(connection: Connection) {
  return {
    Summary: defineModel(connection, 'ResultsSummary', summarySchema),
    PracticeSetting: defineModel(connection, 'ResultsPracticeSetting', practiceSettingSchema),
  };
}
