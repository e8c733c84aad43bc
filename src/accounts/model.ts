import { Schema, type Connection } from 'mongoose';
import { REGIONS, ROLES } from './roles.ts';
import { defineModel } from '../db/define-model.ts';

export interface UserDoc {
  _id: import('mongoose').Types.ObjectId;
  name: string;
  email: string;
  /** Lower-cased e-mail: the unique key (collation indexes are not available on FerretDB). */
  emailKey: string;
  organisation: string;
  region: (typeof REGIONS)[number];
  roles: (typeof ROLES)[number][];
  active: boolean;
  passwordHash: string;
  /** Raised on password change and deactivation: sessions of an older generation end. */
  sessionVersion: number;
  createdAt: Date;
  updatedAt: Date;
}

const userSchema = new Schema<UserDoc>(
  {
    name: { type: String, required: true },
    email: { type: String, required: true },
    emailKey: { type: String, required: true, unique: true },
    organisation: { type: String, default: '' },
    region: { type: String, enum: REGIONS, required: true },
    roles: { type: [String], enum: ROLES, default: ['learner'] },
    active: { type: Boolean, default: true },
    passwordHash: { type: String, required: true },
    sessionVersion: { type: Number, default: 0 },
  },
  { timestamps: true, collection: 'users' },
);
userSchema.index({ roles: 1, name: 1 });
userSchema.index({ name: 1 });

export interface ResetTokenDoc {
  tokenHash: string;
  userId: string;
  expiresAt: Date;
  usedAt: Date | null;
}
const resetTokenSchema = new Schema<ResetTokenDoc>(
  {
    tokenHash: { type: String, required: true, unique: true },
    userId: { type: String, required: true, index: true },
    expiresAt: { type: Date, required: true, index: true },
    usedAt: { type: Date, default: null },
  },
  { collection: 'password_reset_tokens' },
);

/** The accounts component's models on the app's connection (registered once per connection). */
export function accountModels(connection: Connection) {
  return {
    User: defineModel(connection, 'User', userSchema),
    ResetToken: defineModel(connection, 'ResetToken', resetTokenSchema),
  };
}
export type AccountModels = ReturnType<typeof accountModels>;
