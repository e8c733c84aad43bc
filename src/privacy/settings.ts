import { z } from 'zod';

const days = (fallback: number, max = 3650) => z.coerce.number().int().min(0).max(max).default(fallback);
const text = z.string().trim().max(2000).optional();

/**
 * The privacy settings (issue #18), parsed from the environment like every setting (src/config.ts
 * includes them as `config.privacy`). The operator's facts for /impressum and /datenschutz come from
 * here; a missing one is shown as "nicht angegeben", so a forgotten setting is visible on the page.
 */
const privacyEnvSchema = z.object({
  PRIVACY_ERASURE_COOL_OFF_DAYS: days(30, 365),
  PRIVACY_EXPORT_LINK_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 14)
    .default(24),
  PRIVACY_INACTIVE_YEARS: z.coerce.number().int().min(1).max(30).default(3),
  PRIVACY_INACTIVE_GRACE_DAYS: days(60, 365),
  PRIVACY_MAIL_OUTBOX_DAYS: days(30),
  PRIVACY_AUDIT_YEARS: z.coerce.number().int().min(1).max(30).default(3),
  PRIVACY_NOTICE_VERSION: z.string().trim().min(1).max(40).default('2026-12-01'),
  OPERATOR_NAME: text,
  OPERATOR_ADDRESS: text,
  OPERATOR_EMAIL: text,
  OPERATOR_PHONE: text,
  OPERATOR_REPRESENTATIVE: text,
  OPERATOR_REGISTER: text,
  OPERATOR_VAT_ID: text,
  PRIVACY_OFFICER: text,
  PRIVACY_AUTHORITY: text,
});

export interface PrivacySettings {
  /** Days between an erasure request and its run when no admin confirms it earlier. */
  erasureCoolOffDays: number;
  exportLinkHours: number;
  /** Learner accounts unseen for this long are announced by mail, then erased after the grace period. */
  inactiveYears: number;
  inactiveGraceDays: number;
  /** Mails written to DATA_DIR/outbox (no SMTP configured) are deleted after this many days. */
  mailOutboxDays: number;
  auditYears: number;
  /** The version of the privacy notice a registration consents to. */
  noticeVersion: string;
  operator: {
    name?: string;
    address?: string;
    email?: string;
    phone?: string;
    representative?: string;
    register?: string;
    vatId?: string;
    privacyOfficer?: string;
    authority?: string;
  };
}

/** Parses the privacy settings; the problems name the variable, as loadConfig's do. */
export function parsePrivacySettings(env: Record<string, string | undefined>): { settings: PrivacySettings } | { problems: string[] } {
  const parsed = privacyEnvSchema.safeParse(env);
  if (!parsed.success) return { problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
  const e = parsed.data;
  return {
    settings: {
      erasureCoolOffDays: e.PRIVACY_ERASURE_COOL_OFF_DAYS,
      exportLinkHours: e.PRIVACY_EXPORT_LINK_HOURS,
      inactiveYears: e.PRIVACY_INACTIVE_YEARS,
      inactiveGraceDays: e.PRIVACY_INACTIVE_GRACE_DAYS,
      mailOutboxDays: e.PRIVACY_MAIL_OUTBOX_DAYS,
      auditYears: e.PRIVACY_AUDIT_YEARS,
      noticeVersion: e.PRIVACY_NOTICE_VERSION,
      operator: {
        name: e.OPERATOR_NAME,
        address: e.OPERATOR_ADDRESS,
        email: e.OPERATOR_EMAIL,
        phone: e.OPERATOR_PHONE,
        representative: e.OPERATOR_REPRESENTATIVE,
        register: e.OPERATOR_REGISTER,
        vatId: e.OPERATOR_VAT_ID,
        privacyOfficer: e.PRIVACY_OFFICER,
        authority: e.PRIVACY_AUTHORITY,
      },
    },
  };
}
