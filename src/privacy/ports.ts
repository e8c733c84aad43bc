import type { DataSubject } from './contract.ts';

/** A person as the accounts component knows them. */
export interface Person {
  id: string;
  email: string;
  name: string;
}

/** What privacy asks of the accounts component (its service, wired in the composition root). */
export interface PeoplePort {
  findUser(id: string): Promise<Person | undefined>;
  findUsersByEmails(emails: string[]): Promise<Person[]>;
  /** Ends every session and sign-in at once: the first thing an erasure does. */
  lock(id: string): Promise<void>;
  /** Learner accounts made before `before`, in id order after `afterId` (the retention schedule's candidates). */
  learnersCreatedBefore(before: Date, afterId: string | undefined, limit: number): Promise<Person[]>;
}

/** One staff action for the audit trail: ids and small facts, no names or addresses. */
export interface AuditEvent {
  actorId: string;
  action: AuditAction;
  targetId?: string;
  details?: Record<string, string | number | boolean | string[]>;
}

export const AUDIT_ACTIONS = [
  'role-change',
  'account-active',
  'evidence-decision',
  'waiver',
  'certificate-issue',
  'certificate-revoke',
  'export',
  'erasure-request',
  'erasure-confirm',
  'erasure-done',
  'lrs-credential-create',
  'lrs-credential-revoke',
  'results-withdraw',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** What other components get at construction to record their staff actions. */
export interface AuditPort {
  record(event: AuditEvent): Promise<void>;
}

/** For components built without the privacy component (a tool, a test): nothing is recorded. */
export const noAudit: AuditPort = { record: async () => {} };

/** The person's xAPI identifier keys (lrs/statements/identity.ts): the platform account and the mailbox. */
export const agentKeysOf = (p: Person, publicUrl: string): string[] => [`account:${publicUrl}|${p.id}`, `mbox:mailto:${p.email.toLowerCase()}`];

export const subjectOf = (p: Person, publicUrl: string): DataSubject => ({ id: p.id, email: p.email, name: p.name, agentKeys: agentKeysOf(p, publicUrl) });
