import { Schema, type Connection, type Types } from 'mongoose';
import { defineModel } from '../db/define-model.ts';

/** A Reflecting Team: learners of one cohort, formed by its trainer. */
export interface TeamDoc {
  _id: Types.ObjectId;
  cohortId: string;
  name: string;
  memberIds: string[];
  createdBy: string;
  createdAt: Date;
}

/** Who reads a journal entry besides its author: nobody (default), their team(s) and trainers, or their mentor. */
export type Sharing = 'private' | 'team' | 'mentor';

/** One entry of a learner's reflection journal for one Q2 session. */
export interface JournalEntryDoc {
  _id: Types.ObjectId;
  sessionId: string;
  learnerId: string;
  markdown: string;
  html: string;
  sharing: Sharing;
  createdAt: Date;
  sharedAt: Date | null;
}

/** A team member's (or mentor's, or trainer's) comment on a shared entry. */
export interface JournalCommentDoc {
  _id: Types.ObjectId;
  entryId: string;
  authorId: string;
  markdown: string;
  html: string;
  createdAt: Date;
}

/** The trainer's prompt for the journals of one Q2 session. */
export interface JournalPromptDoc {
  _id: string;
  text: string;
  by: string;
  at: Date;
}

const teamSchema = new Schema<TeamDoc>(
  {
    cohortId: { type: String, required: true },
    name: { type: String, required: true },
    memberIds: { type: [String], default: [] },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'community_teams', versionKey: false },
);
teamSchema.index({ cohortId: 1 });
teamSchema.index({ memberIds: 1 });

const entrySchema = new Schema<JournalEntryDoc>(
  {
    sessionId: { type: String, required: true },
    learnerId: { type: String, required: true },
    markdown: { type: String, required: true },
    html: { type: String, required: true },
    sharing: { type: String, default: 'private' },
    createdAt: { type: Date, required: true },
    sharedAt: { type: Date, default: null },
  },
  { collection: 'community_journal_entries', versionKey: false },
);
entrySchema.index({ sessionId: 1, learnerId: 1, createdAt: -1 });
entrySchema.index({ learnerId: 1 });

const commentSchema = new Schema<JournalCommentDoc>(
  {
    entryId: { type: String, required: true },
    authorId: { type: String, default: '' },
    markdown: { type: String, required: true },
    html: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'community_journal_comments', versionKey: false },
);
commentSchema.index({ entryId: 1, createdAt: 1 });
commentSchema.index({ authorId: 1 });

const promptSchema = new Schema<JournalPromptDoc>(
  { _id: { type: String, required: true }, text: { type: String, required: true }, by: { type: String, required: true }, at: { type: Date, required: true } },
  { collection: 'community_journal_prompts', versionKey: false },
);

export function journalModels(connection: Connection) {
  return {
    Team: defineModel(connection, 'CommunityTeam', teamSchema),
    Entry: defineModel(connection, 'CommunityJournalEntry', entrySchema),
    Comment: defineModel(connection, 'CommunityJournalComment', commentSchema),
    Prompt: defineModel(connection, 'CommunityJournalPrompt', promptSchema),
  };
}
