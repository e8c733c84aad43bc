import os from 'node:os';
import { unlink } from 'node:fs/promises';
import type { Request, RequestHandler } from 'express';
import multer from 'multer';
import { DomainError } from '../shared/errors.ts';

export interface SingleUploadOptions {
  /** The form field that carries the file. */
  field: string;
  maxBytes: number;
  /** 'disk' (default): a temp file, never the whole upload in memory; 'memory' for small files read at once. */
  storage?: 'disk' | 'memory';
  /** Temp directory for 'disk' (default: the OS's). */
  dir?: string;
  /** How many other form fields the form has at most. */
  fields?: number;
}

/**
 * The one multer setup for a form with one file. utf8: browsers send UTF-8 file names; busboy's
 * default (latin1) would garble umlauts. Too large a file becomes 413 in the error mapper.
 */
export function singleUpload(opts: SingleUploadOptions): RequestHandler {
  const storage = opts.storage === 'memory' ? multer.memoryStorage() : multer.diskStorage({ destination: opts.dir ?? os.tmpdir() });
  return multer({ storage, defParamCharset: 'utf8', limits: { fileSize: opts.maxBytes, files: 1, fields: opts.fields ?? 10 } }).single(opts.field);
}

export interface UploadedFile {
  originalName: string;
  size: number;
  /** The temp file (disk storage). */
  path: string;
  /** The bytes (memory storage). */
  buffer: Buffer | undefined;
  /** Removes the temp file; call it when done (safe to call twice). */
  done: () => Promise<void>;
}

/** The uploaded file of a request or a validation error on its field (`message`: an i18n key). */
export function uploadedFile(req: Request, field: string, message: string): UploadedFile {
  const f = req.file;
  if (!f) throw new DomainError('validation', message, { fields: [{ field, message }] });
  return {
    originalName: f.originalname,
    size: f.size,
    path: f.path,
    buffer: f.buffer,
    done: () => (f.path ? unlink(f.path).catch(() => {}) : Promise.resolve()),
  };
}
