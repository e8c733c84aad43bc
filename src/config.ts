import path from 'node:path';
import { z } from 'zod';
import { parsePrivacySettings, type PrivacySettings } from './privacy/settings.ts';

/** Every setting of the server, parsed once at boot. A bad value stops the server with the variable named. */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  CONTENT_ISOLATION: z.enum(['origin', 'sandbox']).default('origin'),
  CONTENT_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  CONTENT_ORIGIN: z
    .string()
    .url('muss eine vollständige URL sein, z. B. https://inhalte.lotse.example.de')
    .refine((v) => /^https?:$/.test(new URL(v).protocol) && new URL(v).origin === v.replace(/\/$/, ''), 'nur Schema, Host und Port, ohne Pfad')
    .optional(),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'muss mit mongodb:// oder mongodb+srv:// beginnen')
    .optional(),
  MONGODB_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,60}$/, 'nur Buchstaben, Ziffern, _ und -')
    .default('gezu_lotse'),
  PUBLIC_URL: z.string().url('muss eine vollständige URL sein, z. B. https://lotse.example.de').optional(),
  SESSION_SECRET: z.string().min(32, 'mindestens 32 Zeichen').optional(),
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((v, ctx) => {
      const parsed = parseTrustProxy(v);
      if (parsed === undefined)
        ctx.addIssue({ code: 'custom', message: 'false, eine Anzahl Proxys (z. B. 1) oder deren Adressen (z. B. 10.0.0.5, 10.1.0.0/16)' });
      return parsed ?? false;
    }),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'muss mit smtp:// oder smtps:// beginnen')
    .optional(),
  MAIL_FROM: z.string().min(3).default('GeZu Lotse Academy <no-reply@gezu-lotse.de>'),
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(kb|mb)$/i, 'z. B. 1mb oder 512kb')
    .default('1mb'),
  PACKAGE_MAX_MB: z.coerce.number().int().min(1).max(4096).default(1024),
  PACKAGE_STORE: z.enum(['file', 'gridfs'], { message: 'file oder gridfs' }).optional(),
  PACKAGE_DIR: z.string().min(1).optional(),
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  CHAT_RECHECK_MS: z.coerce.number().int().min(50).max(60_000).default(5000),
  LRS_SEED_KEY: z.string().min(8).optional(),
  LRS_SEED_SECRET: z.string().min(8).optional(),
  DEMO_DATA: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true' || v === '1')),
  CERT_SIGNING_KEY_FILE: z.string().min(1).optional(),
  SEED_Q1_MODULES: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true' || v === '1')),
});

export type Env = z.input<typeof envSchema>;

const ADDRESS_OR_SUBNET = /^(?:[0-9.]+|[0-9a-f:]+)(?:\/\d{1,3})?$/i;

/**
 * TRUST_PROXY: 'false'/'0' → false; a number of hops; 'true' → 1 (one proxy in front, what it always
 * meant here; trusting every hop let a client pick its own req.ip); or a comma list of addresses and
 * subnets, e.g. "loopback, 10.0.0.0/8", as Express's proxy-addr accepts them.
 */
export function parseTrustProxy(v: string): false | number | string | undefined {
  const value = v.trim().toLowerCase();
  if (value === 'false' || value === '0') return false;
  if (value === 'true') return 1;
  if (/^\d{1,2}$/.test(value)) return Number(value);
  const parts = value.split(',').map((p) => p.trim());
  const named = ['loopback', 'linklocal', 'uniquelocal'];
  return parts.length && parts.every((p) => named.includes(p) || ADDRESS_OR_SUBNET.test(p)) ? parts.join(', ') : undefined;
}

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  /**
   * 'origin': package files on a content origin of their own (a second listener). 'sandbox': where no
   * second origin can be had, on ours, but every package document in an opaque origin (CSP sandbox).
   */
  contentIsolation: 'origin' | 'sandbox';
  /** Port of the content origin's own listener (package files only, no session); 0 = any free port. */
  contentPort: number;
  /** Origin that serves package files (a proxy in front of contentPort); unset = paired with the platform's host, see src/http/origins.ts. */
  contentOrigin: string | undefined;
  host: string;
  dataDir: string;
  mongodbUri: string | undefined;
  mongodbDb: string;
  publicUrl: string | undefined;
  sessionSecret: string | undefined;
  /**
   * Which proxies' X-Forwarded-For to believe: false, a number of hops (the proxies right in front
   * of us), or their addresses/subnets. Never "all": the left-most address is the client's own claim.
   */
  trustProxy: false | number | string;
  logLevel: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  bodyLimit: string;
  /** The largest content package (uploaded zip and unpacked total) in bytes. */
  packageMaxBytes: number;
  /**
   * Where new versions' package zips are kept (src/content/package-blobs.ts): 'file' under packageDir
   * (one instance; the default on the embedded database, where GridFS on FerretDB is slow), 'gridfs'
   * in the database every instance shares (the default with MONGODB_URI).
   */
  packageStore: 'file' | 'gridfs';
  /** The file store's directory (default DATA_DIR/packages); several instances may share one mount. */
  packageDir: string;
  /** How long a stopping server lets running requests finish before it cuts them off. */
  shutdownGraceSeconds: number;
  /** How often each open chat stream asks again whether its person still belongs to the space (src/community/live-channels.ts). */
  chatRecheckMs: number;
  lrsSeed: { key: string; secret: string } | undefined;
  /** Demo accounts are made only outside production and never against an external database. */
  demoData: boolean;
  certSigningKeyFile: string | undefined;
  /** Build and publish the three Q1 modules on a database that has none of them (off in tests). */
  seedQ1Modules: boolean;
  /** Erasure, export, retention, the operator's facts for /impressum and /datenschutz (src/privacy/settings.ts). */
  privacy: PrivacySettings;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Ungültige Konfiguration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment into a Config or throws a ConfigError whose lines each name a variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const privacy = parsePrivacySettings(cleaned);
  const problems: string[] = 'problems' in privacy ? [...privacy.problems] : [];
  if ((e.LRS_SEED_KEY === undefined) !== (e.LRS_SEED_SECRET === undefined)) {
    problems.push('LRS_SEED_KEY/LRS_SEED_SECRET: nur beide zusammen setzen');
  }
  if (e.NODE_ENV === 'production' && !e.SESSION_SECRET) {
    problems.push('SESSION_SECRET: in Produktion erforderlich (mindestens 32 Zeichen)');
  }
  const contentPort = e.CONTENT_PORT ?? (e.PORT === 0 ? 0 : e.PORT + 1);
  if (contentPort > 65535) problems.push('CONTENT_PORT: PORT + 1 ist kein gültiger Port, CONTENT_PORT setzen');
  if (e.CONTENT_ISOLATION === 'origin' && contentPort !== 0 && contentPort === e.PORT)
    problems.push('CONTENT_PORT: muss sich von PORT unterscheiden (Inhalte laufen auf einem eigenen Origin)');
  const contentOrigin = e.CONTENT_ORIGIN ? new URL(e.CONTENT_ORIGIN).origin : undefined;
  if (contentOrigin && e.PUBLIC_URL && new URL(e.PUBLIC_URL).origin === contentOrigin) {
    problems.push('CONTENT_ORIGIN: muss ein anderer Origin als PUBLIC_URL sein (sonst laufen Pakete mit den Rechten der Plattform)');
  }
  // Without PUBLIC_URL launch URLs follow the host each request came in under (src/http/origins.ts
  // platformOf); a fixed content origin cannot follow it (its CSP and frame-ancestors would name
  // http://localhost:PORT), so cmi5 and xAPI content could neither be framed nor reach the LRS.
  if (contentOrigin && !e.PUBLIC_URL) {
    problems.push(
      'CONTENT_ORIGIN: nur zusammen mit PUBLIC_URL (sonst kennt der Inhalts-Origin die Plattform nicht, die ihn einbettet und deren LRS er erreicht)',
    );
  }
  if (problems.length) throw new ConfigError(problems);
  const production = e.NODE_ENV === 'production';
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    contentIsolation: e.CONTENT_ISOLATION,
    contentPort,
    contentOrigin,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    mongodbUri: e.MONGODB_URI,
    mongodbDb: e.MONGODB_DB,
    publicUrl: e.PUBLIC_URL?.replace(/\/$/, ''),
    sessionSecret: e.SESSION_SECRET,
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    bodyLimit: e.BODY_LIMIT,
    packageMaxBytes: e.PACKAGE_MAX_MB * 1024 * 1024,
    packageStore: e.PACKAGE_STORE ?? (e.MONGODB_URI ? 'gridfs' : 'file'),
    packageDir: path.resolve(e.PACKAGE_DIR ?? path.join(e.DATA_DIR, 'packages')),
    shutdownGraceSeconds: e.SHUTDOWN_GRACE_SECONDS,
    chatRecheckMs: e.CHAT_RECHECK_MS,
    lrsSeed: e.LRS_SEED_KEY && e.LRS_SEED_SECRET ? { key: e.LRS_SEED_KEY, secret: e.LRS_SEED_SECRET } : undefined,
    demoData: !production && !e.MONGODB_URI && e.DEMO_DATA !== false,
    certSigningKeyFile: e.CERT_SIGNING_KEY_FILE,
    seedQ1Modules: e.SEED_Q1_MODULES ?? e.NODE_ENV !== 'test',
    privacy: (privacy as { settings: PrivacySettings }).settings,
  };
}
