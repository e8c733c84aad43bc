import os from 'node:os';
import { unlink } from 'node:fs/promises';
import type { Request, RequestHandler } from 'express';
import multer from 'multer';
import { DomainError } from '../shared/errors.ts';

/** Evidence files may be scans: 10 MB is plenty for a PDF or photo of a certificate. */
export const EVIDENCE_MAX_BYTES = 10 * 1024 * 1024;
export const IMPORT_MAX_BYTES = 2 * 1024 * 1024;

/**
 * One file in the field "file", written to a temp file (never held in memory), size-limited; an
 * oversized upload ends in multer's LIMIT_FILE_SIZE, which the error mapper answers with 413.
 */
export function singleFile(maxBytes: number): RequestHandler {
  // utf8: browsers send UTF-8 file names; busboy's default (latin1) would garble umlauts
  return multer({ dest: os.tmpdir(), defParamCharset: 'utf8', limits: { fileSize: maxBytes, files: 1, fields: 10 } }).single('file');
}

/** The uploaded temp file or a validation error; the caller must call `done()` to remove it. */
export function uploadedFile(req: Request): { path: string; originalName: string; size: number; done: () => Promise<void> } {
  const f = req.file;
  if (!f) throw new DomainError('validation', 'qualification:errors.noFile', { fields: [{ field: 'file', message: 'qualification:errors.noFile' }] });
  return { path: f.path, originalName: f.originalname, size: f.size, done: () => unlink(f.path).catch(() => {}) };
}
