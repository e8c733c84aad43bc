import { randomUUID } from 'node:crypto';
import { sessionActivityId } from '../qualification/attendance.ts';
import { learnerAgent, PLATFORM_CONTEXT, PLATFORM_VERBS } from '../shared/platform-statements.ts';

export const COMMENTED_VERB = PLATFORM_VERBS.commented.id;
export const SHARED_VERB = PLATFORM_VERBS.shared.id;

/**
 * The statement for a post in a module's Q&A (xAPI 1.0.3 §2.4): verb "commented", the thread as
 * activity, the module as category, so insight can count engagement per module. The text itself
 * stays in the community (result.response would copy it into the LRS).
 */
export function commentedStatement(opts: {
  baseUrl: string;
  person: { id: string; name: string };
  moduleSlug: string;
  threadId: string;
  title: string;
  at: Date;
}) {
  const { baseUrl } = opts;
  return {
    id: randomUUID(),
    actor: learnerAgent(baseUrl, opts.person),
    verb: PLATFORM_VERBS.commented,
    object: {
      objectType: 'Activity',
      id: `${baseUrl}/community/threads/${opts.threadId}`,
      definition: { type: 'http://id.tincanapi.com/activitytype/discussion', name: { 'de-DE': opts.title } },
    },
    context: {
      ...PLATFORM_CONTEXT,
      contextActivities: { category: [{ objectType: 'Activity', id: `${baseUrl}/modules/${encodeURIComponent(opts.moduleSlug)}` }] },
    },
    timestamp: opts.at.toISOString(),
  };
}

/**
 * The statement for a reflection shared with the Reflecting Team or the mentor: verb "shared", the
 * journal entry as activity, the Q2 session as parent (its activity id as the attendance uses it).
 */
export function sharedStatement(opts: {
  baseUrl: string;
  person: { id: string; name: string };
  entryId: string;
  sessionId: string;
  sharing: string;
  at: Date;
}) {
  const { baseUrl } = opts;
  return {
    id: randomUUID(),
    actor: learnerAgent(baseUrl, opts.person),
    verb: PLATFORM_VERBS.shared,
    object: {
      objectType: 'Activity',
      id: `${baseUrl}/community/journal/entries/${opts.entryId}`,
      definition: { type: 'http://activitystrea.ms/schema/1.0/note', name: { 'de-DE': 'Reflexion' } },
    },
    context: {
      ...PLATFORM_CONTEXT,
      contextActivities: { parent: [{ objectType: 'Activity', id: sessionActivityId(baseUrl, opts.sessionId) }] },
      extensions: { 'https://gezu-lotse.de/xapi/extensions/shared-with': opts.sharing },
    },
    timestamp: opts.at.toISOString(),
  };
}
