/**
 * Starts the platform for the cmi5 LMS Test Suite: a fresh data dir, an admin account and a seeded LRS
 * client from the environment. Prints "READY <url>" when it listens; stops on SIGTERM.
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { boot } from '../../src/boot.ts';
import { loadConfig } from '../../src/config.ts';

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'lotse-lts-'));
const config = loadConfig({
  ...process.env,
  NODE_ENV: 'development',
  PORT: process.env.PORT ?? '3398',
  HOST: '127.0.0.1',
  DATA_DIR: dataDir,
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  DEMO_DATA: 'false',
  LRS_SEED_KEY: process.env.LRS_KEY ?? 'lts-key-123',
  LRS_SEED_SECRET: process.env.LRS_SECRET ?? 'lts-secret-123',
});
const running = await boot({ config, role: 'server' });
const accounts = running.app.accounts.service;
const password = process.env.LOTSE_ADMIN_PASSWORD ?? 'lts-admin-passwort';
const admin = await accounts.register({
  name: 'LTS Admin',
  email: process.env.LOTSE_ADMIN_EMAIL ?? 'lts-admin@example.org',
  organisation: 'CATAPULT',
  region: 'andere',
  password,
  passwordConfirm: password,
});
await accounts.setRoles('system', admin.id, ['admin', 'author', 'learner']);
process.stdout.write(`READY ${running.url}\n`);
const stop = () => void running.stop().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
