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
import { DomainError } from '../src/shared/errors.ts';
import { cliContext, err, out, runCli, withCliDatabase } from './cli-support.ts';

const USAGE = `Aufruf:
  npm run lrs -- client create --name <Name> --scopes <${SCOPES.join(',')}>
  npm run lrs -- client list
  npm run lrs -- client revoke <id>
  npm run lrs -- replay   (alle gespeicherten Anweisungen erneut durch die Projektionen, z. B. den Lernfortschritt)`;

/**
 * Replays into the projections the app wires (the player's progress records): the whole app is made
 * for its wiring, but not started (no seeding, no background work) and serves nothing.
 */
async function replay(): Promise<number> {
  return withCliDatabase(async (db) => {
    const app = await createApp(cliContext(db));
    try {
      const started = Date.now();
      const r = await app.lrs.service.replayStatements({ onBatch: (n) => err(`… ${n} Anweisungen`) });
      out(`${r.statements} Anweisungen erneut verarbeitet in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
      if (r.failedBatches) err(`${r.failedBatches} Stapel schlugen fehl (Einzelheiten im Log); erneut aufrufen, sobald die Ursache behoben ist.`);
      return r.failedBatches ? 1 : 0;
    } finally {
      await app.close();
    }
  });
}



async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { name: { type: 'string' }, scopes: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const [group, command, arg] = positionals;
  if (group === 'replay' && !values.help) return replay();
  if (values.help || group !== 'client' || !['create', 'list', 'revoke'].includes(command ?? '')) {
    err(USAGE);
    return values.help ? 0 : 2;
  }
  if (command === 'create' && (!values.name || !values.scopes)) {
    err('--name und --scopes sind nötig.');
    err(USAGE);
    return 2;
  }
  return withCliDatabase(async ({ config, connection }) => {
    try {
      const clients = createClientService({ repo: createClientRepository(connection), clock: systemClock, publicUrl: () => config.publicUrl ?? `http://localhost:${config.port}` });
      if (command === 'create') {
        const scopes = values.scopes!.split(',').map((s) => s.trim()).filter(Boolean) as Scope[];
        const { client, secret } = await clients.create({ name: values.name!, scopes });
        out(`Client „${client.name}“ angelegt (Berechtigungen: ${client.scopes.join(', ')}).`);
        out(`key:    ${client.key}`);
        out(`secret: ${secret}`);
        out('Das Geheimnis wird nur jetzt angezeigt.');
      } else if (command === 'list') {
        for (const c of await clients.list()) {
          out(`${c.id}  ${c.key}  ${c.name}  [${c.scopes.join(',')}]  ${c.revokedAt ? 'widerrufen' : 'aktiv'}  zuletzt: ${c.lastUsedAt?.toISOString() ?? 'nie'}`);
        }
      } else {
        if (!arg) {
          err(USAGE);
          return 2;
        }
        const c = await clients.revoke(arg);
        out(`Client „${c.name}“ widerrufen.`);
      }
      return 0;
    } catch (e) {
      if (e instanceof DomainError) {
        err(`Fehler: ${e.message} ${JSON.stringify(e.details.fields ?? [])}`);
        return 2;
      }
      throw e;
    }
  });
}

runCli(main);
