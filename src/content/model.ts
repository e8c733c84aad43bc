import { Schema, type Connection, type Types } from 'mongoose';
import { defineModel } from '../db/define-model.ts';

export interface ModuleDoc {
  _id: Types.ObjectId;
  /** URL-safe short name, unique ("q1-technik"). */
  slug: string;
  title: string;
  description: string;
  /** The version new attempts launch; null while unpublished. */
  publishedVersionId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const moduleSchema = new Schema<ModuleDoc>(
  {
    slug: { type: String, required: true, unique: true },
    title: { type: String, required: true },
    description: { type: String, default: '' },
    publishedVersionId: { type: String, default: null },
  },
  { timestamps: true, collection: 'content_modules' },
);
moduleSchema.index({ title: 1 });
moduleSchema.index({ publishedVersionId: 1 });

export type VersionStorage = 'storing' | 'stored' | 'failed';

/**
 * One immutable version of a module. The parsed model, file index and report are JSON strings: their
 * keys come from packages (anything goes) and FerretDB refuses dots and dollars in stored keys.
 */
export interface VersionDoc {
  _id: Types.ObjectId;
  moduleId: string;
  number: number;
  format: 'scorm12' | 'scorm2004' | 'xapi' | 'cmi5';
  edition: number | null;
  title: string;
  manifestJson: string;
  launchablesJson: string;
  filesJson: string;
  reportJson: string;
  /** The original zip's id in its blob store (package-blobs.ts). */
  packageFileId: Types.ObjectId;
  /** Which blob store holds it; versions recorded before there was a choice are in GridFS. */
  packageStore?: 'gridfs' | 'file';
  /**
   * Where the zip's copy stands. An import records a version only once its zip is stored ('stored');
   * 'storing' and 'failed' come from earlier releases, which acknowledged the import first and copied
   * the zip into GridFS afterwards (package-storing.ts finishes such copies). Only a 'stored' version
   * can be published or exported.
   */
  storage: VersionStorage;
  /** Publish as soon as the copy is stored (an earlier release's import that asked for publication). */
  publishWhenStored: boolean;
  packageSize: number;
  originalName: string;
  fileCount: number;
  totalBytes: number;
  /** Set by the player on the first launch; from then on the version cannot be deleted. */
  launchedAt: Date | null;
  createdBy: string | null;
  createdAt: Date;
}

const versionSchema = new Schema<VersionDoc>(
  {
    moduleId: { type: String, required: true },
    number: { type: Number, required: true },
    format: { type: String, required: true },
    edition: { type: Number, default: null },
    title: { type: String, required: true },
    manifestJson: { type: String, required: true },
    launchablesJson: { type: String, required: true },
    filesJson: { type: String, required: true },
    reportJson: { type: String, required: true },
    packageFileId: { type: Schema.Types.ObjectId, required: true },
    packageStore: { type: String, enum: ['gridfs', 'file'] },
    storage: { type: String, enum: ['storing', 'stored', 'failed'], default: 'stored' },
    publishWhenStored: { type: Boolean, default: false },
    packageSize: { type: Number, required: true },
    originalName: { type: String, default: '' },
    fileCount: { type: Number, required: true },
    totalBytes: { type: Number, required: true },
    launchedAt: { type: Date, default: null },
    createdBy: { type: String, default: null },
  },
  { timestamps: { createdAt: true, updatedAt: false }, collection: 'content_versions' },
);
versionSchema.index({ moduleId: 1, number: 1 }, { unique: true });
versionSchema.index({ storage: 1 });

export function contentModels(connection: Connection) {
  return {
    Module: defineModel(connection, 'ContentModule', moduleSchema),
    Version: defineModel(connection, 'ContentVersion', versionSchema),
  };
}
