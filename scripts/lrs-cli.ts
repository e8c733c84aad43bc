/**
 * The LRS from the command line:
 *   npm run lrs -- client create --name <Name> --scopes <scope,scope>
 *   npm run lrs -- client list
 *   npm run lrs -- client revoke <id>
 *   npm run lrs -- replay        every stored statement through the projections again
 * Uses the running server's embedded database when there is one (chooseDatabase, role 'cli').
 */
import { parseArgs } from 'node:util';
import { createApp } from '../src/app.ts';
import { createClientRepository } from '../src/lrs/clients/repository.ts';
import { createClientService } from '../src/lrs/clients/service.ts';
import { SCOPES, type Scope } from '../src/lrs/types.ts';
import { systemClock } from '../src/shared/clock.ts';
import type { TFunction } from 'i18next';
import { translate } from '../src/http/translate.ts';
import { createI18n } from '../src/i18n/i18n.ts';
import { DomainError } from '../src/shared/errors.ts';
import { cliContext, err, out, runCli, withCliDatabase } from './cli-support.ts';

/**
 * Replays into the projections the app wires (the player's progress records): the whole app is made
 * for its wiring, but not started (no seeding, no background work) and serves nothing.
 */
async function replay(t: TFunction): Promise<number> {
  return withCliDatabase(async (db) => {
    const app = await createApp(await cliContext(db));
    try {
      const started = Date.now();
      const r = await app.lrs.service.replayStatements({ onBatch: (n) => err(t('cli.batchProgress', { count: n })) });
      out(t('cli.replayed', { count: r.statements, seconds: ((Date.now() - started) / 1000).toFixed(1) }));
      if (r.repairedFailures) out(t('cli.repaired', { count: r.repairedFailures }));
      if (r.failedBatches) err(t('cli.failedBatches', { count: r.failedBatches }));
      return r.failedBatches ? 1 : 0;
    } finally {
      await app.close();
    }
  });
}

async function main(argv: string[]): Promise<number> {
  const t = (await createI18n()).i18n.getFixedT('de', 'lrs');
  const usage = t('cli.usage', { scopes: SCOPES.join(',') });
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { name: { type: 'string' }, scopes: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const [group, command, arg] = positionals;
  if (group === 'replay' && !values.help) return replay(t);
  if (values.help || group !== 'client' || !['create', 'list', 'revoke'].includes(command ?? '')) {
    err(usage);
    return values.help ? 0 : 2;
  }
  if (command === 'create' && (!values.name || !values.scopes)) {
    err(t('cli.nameAndScopes'));
    err(usage);
    return 2;
  }
  return withCliDatabase(async ({ config, connection }) => {
    try {
      const clients = createClientService({
        repo: createClientRepository(connection),
        clock: systemClock,
        publicUrl: () => config.publicUrl ?? `http://localhost:${config.port}`,
      });
      if (command === 'create') {
        const scopes = values
          .scopes!.split(',')
          .map((s) => s.trim())
          .filter(Boolean) as Scope[];
        const { client, secret } = await clients.create({ name: values.name!, scopes });
        out(t('cli.created', { name: client.name, scopes: client.scopes.join(', ') }));
        out(`key:    ${client.key}`);
        out(`secret: ${secret}`);
        out(t('cli.secretOnce'));
      } else if (command === 'list') {
        for (const c of await clients.list()) {
          const state = t(c.revokedAt ? 'cli.revokedState' : 'cli.activeState');
          out(
            t('cli.listRow', {
              id: c.id,
              key: c.key,
              name: c.name,
              scopes: c.scopes.join(','),
              state,
              lastUsed: c.lastUsedAt?.toISOString() ?? t('cli.never'),
            }),
          );
        }
      } else {
        if (!arg) {
          err(usage);
          return 2;
        }
        const c = await clients.revoke(arg);
        out(t('cli.revoked', { name: c.name }));
      }
      return 0;
    } catch (e) {
      if (e instanceof DomainError) {
        const fields = (e.details.fields ?? []).map((f) => `${f.field}: ${translate(t, f.message, e.details)}`);
        err(t('cli.error', { message: [translate(t, e.message, e.details), ...fields].join(' · ') }));
        return 2;
      }
      throw e;
    }
  });
}

runCli(main);
