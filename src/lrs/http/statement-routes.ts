import { Router, type Response } from 'express';
import { validationError } from '../../shared/errors.ts';
import { parseParams, putStatementSchema, singleStatementSchema, statementQuerySchema } from '../schemas.ts';
import { acceptedLanguages } from '../statements/format.ts';
import type { ReadStatements } from '../statements/read-statements.ts';
import type { StoreStatements, AttachmentPart } from '../statements/store-statements.ts';
import { isPlainObject } from '../validation/formats.ts';
import { buildMultipartMixed, parseJson, parseMultipartMixed } from './body.ts';
import { credentialOf, onlyParams, xapiRequest, type XapiRequest } from './xapi-request.ts';
import { Status } from '../../http/status.ts';

const QUERY_PARAMS = [
  'agent',
  'verb',
  'activity',
  'registration',
  'related_activities',
  'related_agents',
  'since',
  'until',
  'limit',
  'format',
  'attachments',
  'ascending',
];
const SINGLE_PARAMS = ['statementId', 'voidedStatementId', 'format', 'attachments'];

/** The statements of a POST/PUT body: JSON, or multipart/mixed with attachments (Communication §1.5). */
function statementsOf(x: XapiRequest): { body: unknown; parts: AttachmentPart[] } {
  const type = x.contentType.toLowerCase();
  if (type.startsWith('multipart/mixed')) {
    const { statements, parts } = parseMultipartMixed(x.contentType, x.body);
    return { body: statements, parts };
  }
  if (type.startsWith('application/json') || (type === '' && x.body.length)) return { body: parseJson(x.body), parts: [] };
  throw validationError('lrs:errors.statementType', [{ field: 'Content-Type', message: 'lrs:errors.statementType' }]);
}

/**
 * Statement Resource (Communication §2.1). The router has set X-Experience-API-Consistent-Through on
 * every answer of this resource already (xapi-router.ts); access is checked by the use cases.
 */
export function statementRoutes(deps: { store: StoreStatements; read: ReadStatements }): Router {
  const r = Router();

  const sendResult = async (
    res: Response,
    json: unknown,
    hashes: string[],
    statements: Record<string, unknown>[],
    withAttachments: boolean,
    lastModified?: Date,
  ) => {
    if (lastModified) res.setHeader('Last-Modified', lastModified.toUTCString());
    if (!withAttachments) {
      res.status(Status.OK).json(json);
      return;
    }
    const out = buildMultipartMixed(json, await deps.read.attachments(hashes, statements));
    res.status(Status.OK).type(out.contentType).send(out.body);
  };

  r.get('/statements', async (req, res) => {
    const x = xapiRequest(res);
    const credential = credentialOf(res);
    const languages = acceptedLanguages(x.header('accept-language'));
    if (x.params.statementId !== undefined || x.params.voidedStatementId !== undefined) {
      onlyParams(x, SINGLE_PARAMS);
      const p = parseParams(singleStatementSchema, x.params);
      const one = await deps.read.one(p.id, p.voided, credential, p.format, languages);
      await sendResult(res, one.statement, one.attachmentHashes, [one.statement], p.attachments ?? false, one.lastModified);
      return;
    }
    if (x.params.more !== undefined) {
      onlyParams(x, ['more']);
      const page = await deps.read.page({ more: x.params.more }, credential, languages);
      const more = page.more ? `${req.baseUrl}/statements?more=${page.more}` : '';
      await sendResult(res, { statements: page.statements, more }, page.attachmentHashes, page.statements, false, page.lastModified);
      return;
    }
    onlyParams(x, QUERY_PARAMS);
    const query = parseParams(statementQuerySchema, x.params);
    const page = await deps.read.page(query, credential, languages);
    const more = page.more ? `${req.baseUrl}/statements?more=${page.more}` : '';
    await sendResult(res, { statements: page.statements, more }, page.attachmentHashes, page.statements, query.attachments ?? false, page.lastModified);
  });

  r.put('/statements', async (_req, res) => {
    const x = xapiRequest(res);
    onlyParams(x, ['statementId']);
    const { statementId } = parseParams(putStatementSchema, x.params);
    const { body, parts } = statementsOf(x);
    if (!isPlainObject(body)) throw validationError('lrs:errors.putOneStatement', [{ field: 'body', message: 'lrs:errors.putOneStatement' }]);
    await deps.store([body], credentialOf(res), { version: x.version!, parts, batch: false, statementId });
    res.status(Status.NO_CONTENT).end();
  });

  r.post('/statements', async (_req, res) => {
    const x = xapiRequest(res);
    onlyParams(x, []);
    const { body, parts } = statementsOf(x);
    const batch = Array.isArray(body);
    const list = batch ? (body as unknown[]) : [body];
    const ids = await deps.store(list, credentialOf(res), { version: x.version!, parts, batch });
    res.status(Status.OK).json(ids);
  });

  return r;
}
