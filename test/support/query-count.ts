import { expect } from 'chai';
import type { CommandStartedEvent } from 'mongodb';
import type { Agent, TestApp } from './test-app.ts';

/** What one request asked the database: the commands by name ("find", "aggregate") and by collection. */
export interface CommandTally {
  total: number;
  byCommand: Record<string, number>;
  /** "find content_versions": 3 — to see at a glance which query repeats. */
  byTarget: Record<string, number>;
}

/**
 * The session store's own reads and writes (express-session touches a session at most once a minute)
 * are not part of a page's work and would make counts depend on timing, so they are left out.
 */
const IGNORED_COLLECTIONS = new Set(['sessions']);

function tally(events: CommandStartedEvent[]): CommandTally {
  const out: CommandTally = { total: 0, byCommand: {}, byTarget: {} };
  for (const e of events) {
    const collection = String((e.command as Record<string, unknown>)[e.commandName] ?? '');
    if (IGNORED_COLLECTIONS.has(collection)) continue;
    out.total += 1;
    out.byCommand[e.commandName] = (out.byCommand[e.commandName] ?? 0) + 1;
    const target = `${e.commandName} ${collection}`.trim();
    out.byTarget[target] = (out.byTarget[target] ?? 0) + 1;
  }
  return out;
}

/**
 * Counts the database commands the app sends while `act` runs, from the driver's command monitoring
 * on the app's own MongoClient (the test app boots with monitorCommands). Only commands on the app's
 * database count; background work must have settled before (imports use storage 'wait').
 */
export async function countCommands<T>(app: TestApp, act: () => Promise<T>): Promise<{ result: T; commands: CommandTally }> {
  const client = app.running.connection.getClient();
  const dbName = app.running.connection.name;
  const seen: CommandStartedEvent[] = [];
  const listener = (e: CommandStartedEvent) => {
    if (e.databaseName === dbName) seen.push(e);
  };
  client.on('commandStarted', listener);
  try {
    const result = await act();
    // a response may be sent before the last promise of the handler settled
    await new Promise((resolve) => setImmediate(resolve));
    return { result, commands: tally(seen) };
  } finally {
    client.off('commandStarted', listener);
  }
}

/** GETs a page over real HTTP and counts the commands it cost; fails unless the page answers 200. */
export async function countPageCommands(app: TestApp, agent: Agent, pagePath: string): Promise<{ text: string; commands: CommandTally }> {
  const { result, commands } = await countCommands(app, () => agent.get(pagePath));
  if (result.status !== 200) throw new Error(`GET ${pagePath}: ${result.status}`);
  if (process.env.PRINT_QUERY_COUNTS) process.stderr.write(`    ${pagePath}: ${commands.total} ${JSON.stringify(commands.byTarget)}\n`);
  return { text: result.text, commands };
}

/** Asserts that many rows cost no more commands than one row (plus `slack` for bounded extras). */
export function expectBounded(one: CommandTally, many: CommandTally, slack = 0): void {
  const detail = `${JSON.stringify(many.byTarget)} for many rows, ${JSON.stringify(one.byTarget)} for one`;
  expect(many.total, detail).to.be.at.most(one.total + slack);
}

/** A row's name with a two-digit number ("Kurs 07"), so that a list page can be checked for every row. */
export const numbered = (prefix: string, i: number): string => `${prefix} ${String(i).padStart(2, '0')}`;
