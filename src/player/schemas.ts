import { z } from 'zod';
import { objectId, objectIdParams } from '../http/ids.ts';

export const attemptParams = objectIdParams('attemptId', 'player:errors.attemptNotFound');
export const versionParams = objectIdParams('versionId', 'player:errors.versionGone');
/** A module by id or slug (the dashboard's buttons name the id; links may name the slug). */
export const moduleParams = z.object({ moduleId: z.string() });
export const startSchema = z.object({ mode: z.enum(['resume', 'new']).default('resume') });
export const openQuerySchema = z.object({ item: z.string().min(1).max(500).optional() });
export const navQuerySchema = z.object({
  request: z.enum(['continue', 'previous', 'choice', 'exit', 'exitAll', 'suspendAll', 'abandon', 'abandonAll', '_none_'], { message: 'player:nav.badRequest' }),
  from: z.string().max(500).optional(),
  target: z.string().max(500).optional(),
});
export const finishedQuerySchema = z.object({ from: z.string().max(500).optional() });
/** A request of the SCORM 2004 player's controls (SN navigation requests the LMS may issue). */
export const sequencingRequestSchema = z.object({
  request: z.enum(['continue', 'previous', 'choice', 'jump', 'exit', 'exitAll', 'suspendAll', 'abandon', 'abandonAll', 'retry', 'retryAll'], {
    message: 'player:nav.badRequest',
  }),
  target: z.string().min(1).max(500).optional(),
});
/** A launch token in a commit URL; a malformed one is answered as an expired launch. */
export const tokenSchema = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, 'player:errors.launchExpired') });

/** A commit as the player page sends it (requestHandler in views/static/player/player.js). */
export const commitSchema = z.object({
  seq: z.number().int().min(0).max(1e9),
  terminate: z.boolean().default(false),
  // values that are not text, numbers or booleans (empty child lists as [] or {}) are dropped later
  cmi: z.record(z.string().max(300), z.unknown()),
});

/** The commit's body as JSON text: scorm-again sends JSON by XHR and text/plain by sendBeacon at unload. */
export const commitTextSchema = z
  .string()
  .transform((raw, ctx): unknown => {
    try {
      return JSON.parse(raw);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'player:errors.badCommit' });
      return z.NEVER;
    }
  })
  .pipe(commitSchema);

export const waiveSchema = z.object({
  attemptId: objectId('player:errors.attemptNotFound'),
  itemId: z.string().min(1).max(500),
  reason: z.string().trim().min(3, 'player:errors.waiveReason').max(500),
});

const agentSchema = z
  .object({
    objectType: z.literal('Agent').optional(),
    name: z.string().max(200).optional(),
    mbox: z.string().max(300).optional(),
    account: z.object({ homePage: z.string().max(300), name: z.string().max(200) }).optional(),
  })
  .passthrough();
const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'player:errors.badRegistration');

/** The cmi5 test suite adapter (scripts/cmi5-lts): launch, waive, abandon. */
export const automationLaunchSchema = z.object({
  moduleId: z.string().min(1).max(200),
  auIndex: z.number().int().min(0).max(10_000),
  actor: agentSchema,
  registration: uuid.optional(),
  launchMode: z.enum(['Normal', 'Browse', 'Review']).optional(),
});
export const automationWaiveSchema = z.object({ registration: uuid, auIndex: z.number().int().min(0).max(10_000), reason: z.string().trim().min(1).max(500) });
/** The cmi5 fetch URL's token: any text, an unknown one is answered by the fetch rules (§8.2.3). */
export const fetchTokenParams = z.object({ token: z.string() });
export const automationAbandonSchema = z.object({ sessionId: z.string().min(1).max(100) });

/** The admin's waiver form: the learner by e-mail, a cmi5 module and one of its AUs, a reason. */
export const waiveFormSchema = z.object({
  // an empty address gets "please enter", not also "invalid" (abort stops the later checks)
  email: z.string().trim().min(1, { message: 'player:waive.emailRequired', abort: true }).max(254).email('player:waive.emailInvalid'),
  moduleId: z.string().trim().min(1, 'player:waive.moduleRequired').max(200),
  itemId: z.string().trim().min(1, 'player:waive.auRequired').max(500),
  reason: z.string().trim().min(3, 'player:errors.waiveReason').max(500, 'player:waive.reasonTooLong'),
});
