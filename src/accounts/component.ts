import type { AppContext } from '../app-context.ts';
import { createLoginThrottle } from './login-throttle.ts';
import { createResetThrottle } from './reset-throttle.ts';
import { createPassport } from './passport.ts';
import { createAccountRepository } from './repository.ts';
import { accountRoutes } from './routes.ts';
import { createAccountService } from './service.ts';
import type { AuditPort } from '../privacy/ports.ts';
import type { ActivityPort, ConsentPort } from '../privacy/foundation.ts';

/** The demo logins go to the console once, when they are made; they are not stored anywhere else. */
function printDemoAccounts(accounts: Array<{ email: string; password: string; roles: string[] }>): void {
  const lines = accounts.map((a) => `  ${a.roles.join(', ').padEnd(8)}  ${a.email.padEnd(30)}  ${a.password}`);
  process.stdout.write(
    ['', 'Demo-Zugänge (nur dieses eine Mal angezeigt):', '  Rolle     E-Mail                          Passwort', ...lines, ''].join('\n') + '\n',
  );
}

/** What the accounts get from other components at construction (the privacy foundation). */
export interface AccountComponentDeps {
  audit?: AuditPort;
  consent?: ConsentPort;
  activity?: ActivityPort;
}

/** Wires the accounts component: repository → service → passport → routes. */
export async function createAccountComponent(ctx: AppContext, deps: AccountComponentDeps = {}) {
  const repo = createAccountRepository(ctx.connection);
  const throttle = createLoginThrottle(ctx.connection, ctx.clock);
  const resetThrottle = createResetThrottle(ctx.connection, ctx.clock);
  const service = createAccountService({
    repo,
    throttle,
    resetThrottle,
    mailer: ctx.mailer,
    texts: ctx.texts,
    clock: ctx.clock,
    publicUrl: ctx.publicUrl,
    audit: deps.audit,
    consent: deps.consent,
    activity: deps.activity,
  });
  const passport = createPassport(service);
  ctx.jobs.every('accounts-clean-up', 60 * 60_000, async () => {
    await repo.deleteExpiredResetTokens(ctx.clock.now());
    await throttle.cleanUp();
    await resetThrottle.cleanUp();
  });
  return {
    service,
    passport,
    webRouter: accountRoutes(service, passport, { noticeVersion: deps.consent?.version }),
    async start() {
      if (!ctx.config.demoData) return;
      const created = await service.createDemoAccounts();
      if (created) printDemoAccounts(created);
    },
  };
}
export type AccountComponent = Awaited<ReturnType<typeof createAccountComponent>>;
