import { Router } from 'express';
import { submitForm } from '../../http/forms.ts';
import { requireRole } from '../../http/guards.ts';
import { parse } from '../../http/validate.ts';
import type { ClientService } from '../clients/service.ts';
import { clientIdSchema, newClientSchema, statementBrowserSchema, type StatementBrowserQuery } from '../schemas.ts';
import type { ReadStatements } from '../statements/read-statements.ts';
import { SCOPES, type Agent, type Credential, type StatementQuery } from '../types.ts';
import { isIri, isUuid } from '../validation/formats.ts';
import { Status } from '../../http/status.ts';
import { currentUser } from '../../http/current-user.ts';

/** The admin browser reads with every right, like the app itself. */
const ADMIN_READER: Credential = {
  key: 'admin',
  name: 'Admin',
  scopes: ['all'],
  authority: { objectType: 'Agent', name: 'Admin', mbox: 'mailto:admin@localhost' },
};

/** The learner filter: an e-mail address, or an account as "homePage|name". */
function learnerAgent(v: string): Agent | undefined {
  if (v.includes('|')) {
    const [homePage, name] = v.split('|');
    return homePage && name ? { account: { homePage, name } } : undefined;
  }
  if (/^\S+@\S+$/.test(v)) return { mbox: v.startsWith('mailto:') ? v : `mailto:${v}` };
  return undefined;
}

function toQuery(q: StatementBrowserQuery): { query: StatementQuery; problems: string[] } {
  const query: StatementQuery = { limit: 25 };
  const problems: string[] = [];
  if (q.learner) {
    const agent = learnerAgent(q.learner);
    if (agent) query.agent = agent;
    else problems.push('learner');
  }
  if (q.verb) {
    if (isIri(q.verb)) query.verb = q.verb;
    else problems.push('verb');
  }
  if (q.activity) {
    if (isIri(q.activity)) query.activity = q.activity;
    else problems.push('activity');
  }
  if (q.registration) {
    if (isUuid(q.registration)) query.registration = q.registration.toLowerCase();
    else problems.push('registration');
  }
  return { query, problems };
}

/** Admin pages: LRS clients (create, revoke, last use) and a statement browser. */
export function adminRoutes(deps: { clients: ClientService; read: ReadStatements }): Router {
  const r = Router();
  const admin = requireRole('admin');
  const scopes = [...SCOPES];

  r.get('/admin/lrs/clients', admin, async (_req, res) => {
    res.render('lrs/clients', { clients: await deps.clients.list(), scopes, values: { scopes: ['statements/write', 'statements/read/mine'] }, errors: {} });
  });

  r.post('/admin/lrs/clients', admin, async (req, res) =>
    submitForm(req, res, {
      view: 'lrs/clients',
      schema: newClientSchema,
      locals: { clients: await deps.clients.list(), scopes },
      action: async (input) => {
        const { client, secret } = await deps.clients.create(input, currentUser(req).id);
        // the secret is shown on this one response and never again
        res.status(Status.CREATED).render('lrs/client-created', { client, secret, endpoint: `${req.protocol}://${req.get('host') ?? 'localhost'}/xapi` });
      },
    }),
  );

  r.post('/admin/lrs/clients/:id/revoke', admin, async (req, res) => {
    const { id } = parse(clientIdSchema, req.params);
    const client = await deps.clients.revoke(id, currentUser(req).id);
    req.flash('success', req.t('lrs:admin.flash.revoked', { name: client.name }));
    res.redirect('/admin/lrs/clients');
  });

  r.get('/admin/lrs/statements', admin, async (req, res) => {
    const q = parse(statementBrowserSchema, req.query);
    if (q.id) {
      const found = isUuid(q.id) ? await deps.read.one(q.id.toLowerCase(), false, ADMIN_READER, 'exact', []).catch(() => undefined) : undefined;
      const voided = !found && isUuid(q.id) ? await deps.read.one(q.id.toLowerCase(), true, ADMIN_READER, 'exact', []).catch(() => undefined) : undefined;
      const statement = found?.statement ?? voided?.statement;
      res
        .status(statement ? 200 : 404)
        .render('lrs/statement', { statement, json: statement ? JSON.stringify(statement, null, 2) : '', voided: Boolean(voided), id: q.id });
      return;
    }
    const { query, problems } = toQuery(q);
    const errors = Object.fromEntries(problems.map((f) => [f, req.t(`lrs:admin.errors.${f}`)]));
    const page = problems.length ? { statements: [], more: '' } : await deps.read.page(q.more ? { more: q.more } : query, ADMIN_READER, []);
    res.status(problems.length ? 400 : 200).render('lrs/statements', { statements: page.statements, more: page.more, values: q, errors });
  });

  return r;
}
