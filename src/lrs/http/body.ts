import type { Request } from 'express';
import { DomainError, validationError } from '../../shared/errors.ts';
import type { AttachmentPart } from '../statements/store-statements.ts';

/**
 * The largest bodies the LRS reads: statements (with attachments) 16 MiB; documents (state, agent
 * and activity profiles) 2 MiB — cmi5 and SCORM-over-xAPI content keeps a few kilobytes there; the
 * alternate request syntax's form (1.0.3 §1.3), which is read before it can be authenticated, 1 MiB.
 */
export const BODY_LIMITS = { statements: 16 * 1024 * 1024, documents: 2 * 1024 * 1024, alternate: 1024 * 1024 };

/** A body that stops arriving for this long is given up (a slow or stalled upload holds no memory). */
export const BODY_IDLE_MS = 15_000;

/**
 * Reads the whole request body; 413 beyond the limit (checked on Content-Length and while reading);
 * the connection is dropped when no data comes for `idleMs`.
 */
export async function readBody(req: Request, limit: number, idleMs = BODY_IDLE_MS): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  const tooLarge = () => new DomainError('too-large', 'lrs:errors.tooLarge', { limitBytes: limit });
  if (declared > limit) {
    req.resume();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let idle: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(idle);
    idle = setTimeout(() => req.destroy(new DomainError('validation', 'lrs:errors.bodyTimeout')), idleMs);
  };
  arm();
  try {
    for await (const chunk of req) {
      arm();
      size += (chunk as Buffer).length;
      if (size > limit) {
        req.resume();
        throw tooLarge();
      }
      chunks.push(chunk as Buffer);
    }
  } finally {
    clearTimeout(idle);
  }
  return Buffer.concat(chunks);
}

const bad = (message: string) => validationError(message, [{ field: 'body', message }]);

export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw bad('lrs:errors.badJson');
  }
}

/** The value of one parameter of a header like `multipart/mixed; boundary="abc"`. */
export function headerParam(header: string, name: string): string | undefined {
  const re = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]*))`, 'i');
  const m = re.exec(header);
  return m ? (m[1] ?? m[2]) : undefined;
}

/**
 * multipart/mixed of a statement request (Communication §1.5.2): the first part is the statement(s)
 * as application/json, every further part one attachment with Content-Type and X-Experience-API-Hash.
 */
export function parseMultipartMixed(contentType: string, body: Buffer): { statements: unknown; parts: AttachmentPart[] } {
  const boundary = headerParam(contentType, 'boundary');
  if (!boundary) throw bad('lrs:errors.noBoundary');
  const delimiter = Buffer.from(`--${boundary}`);
  const raw: Buffer[] = [];
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw bad('lrs:errors.noBoundary');
  for (;;) {
    const start = pos + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) throw bad('lrs:errors.badMultipart');
    // the part runs from after the delimiter's line break to before the next one's
    let from = start;
    if (body[from] === 0x0d && body[from + 1] === 0x0a) from += 2;
    else if (body[from] === 0x0a) from += 1;
    let to = next;
    if (body[to - 2] === 0x0d && body[to - 1] === 0x0a) to -= 2;
    else if (body[to - 1] === 0x0a) to -= 1;
    raw.push(body.subarray(from, to));
    pos = next;
  }
  const parsed = raw.map((part) => {
    let split = part.indexOf('\r\n\r\n');
    let sep = 4;
    if (split < 0) {
      split = part.indexOf('\n\n');
      sep = 2;
    }
    if (split < 0) throw bad('lrs:errors.badMultipart');
    const headers: Record<string, string> = {};
    for (const line of part.subarray(0, split).toString('utf8').split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    return { headers, content: part.subarray(split + sep) };
  });
  const [first, ...rest] = parsed;
  if (!first || !/^application\/json\b/i.test(first.headers['content-type'] ?? '')) throw bad('lrs:errors.firstPartJson');
  const parts = rest.map((p) => {
    const sha2 = p.headers['x-experience-api-hash'];
    const type = p.headers['content-type'];
    if (!sha2) throw bad('lrs:errors.partHash');
    if (!type) throw bad('lrs:errors.partType');
    if ((p.headers['content-transfer-encoding'] ?? '').toLowerCase() !== 'binary') throw bad('lrs:errors.partBinary');
    return { contentType: type, sha2: sha2.toLowerCase(), content: Buffer.from(p.content) };
  });
  return { statements: parseJson(first.content), parts };
}

/** A multipart/mixed response: statement JSON first, then each attachment (Communication §2.1.3). */
export function buildMultipartMixed(
  json: unknown,
  attachments: Array<{ sha2: string; contentType: string; content: Buffer }>,
): { contentType: string; body: Buffer } {
  const boundary = `xapi-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  const chunks: Buffer[] = [Buffer.from(`--${boundary}\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(json)}\r\n`)];
  for (const a of attachments) {
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Type: ${a.contentType}\r\nContent-Transfer-Encoding: binary\r\nX-Experience-API-Hash: ${a.sha2}\r\n\r\n`),
      a.content,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { contentType: `multipart/mixed; boundary=${boundary}`, body: Buffer.concat(chunks) };
}
