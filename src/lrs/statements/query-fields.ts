import type { Activity, Actor, Statement, SubStatement } from '../types.ts';
import { VOIDED_VERB } from '../validation/validate-statement.ts';
import { actorKeys } from './identity.ts';

/** The indexed fields of a stored statement (model.ts), derived from its JSON. */
export interface QueryFields {
  /** Actor and object-agent identifiers ("mbox:mailto:…", "account:home|name"): the `agent` filter. */
  agents: string[];
  /** Every agent in actor, object, authority, instructor, team and a SubStatement: `related_agents`. */
  relatedAgents: string[];
  verbId: string;
  /** The object's activity id: the `activity` filter. */
  activities: string[];
  /** Object, context activities and a SubStatement's activities: `related_activities`. */
  relatedActivities: string[];
  registration: string | null;
  /** The id a voiding statement voids. */
  voidTarget: string | null;
  /** The statement this one targets with a StatementRef (voiding included). */
  refTarget: string | null;
}

/**
 * The fields a statement passes on to statements that target it with a StatementRef: a filter also
 * returns statements whose target matches it (Communication §2.1.3).
 */
export interface RefFields {
  refAgents: string[];
  refRelatedAgents: string[];
  refVerbId: string | null;
  refActivities: string[];
  refRelatedActivities: string[];
  refRegistration: string | null;
}
export const NO_REF: RefFields = { refAgents: [], refRelatedAgents: [], refVerbId: null, refActivities: [], refRelatedActivities: [], refRegistration: null };

export function refFieldsOf(f: Pick<QueryFields, 'agents' | 'relatedAgents' | 'verbId' | 'activities' | 'relatedActivities' | 'registration'>): RefFields {
  return {
    refAgents: f.agents,
    refRelatedAgents: f.relatedAgents,
    refVerbId: f.verbId,
    refActivities: f.activities,
    refRelatedActivities: f.relatedActivities,
    refRegistration: f.registration,
  };
}

const asList = (v: Activity | Activity[] | undefined): Activity[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function contextParts(s: Statement | SubStatement, agents: string[], activities: string[]): void {
  const c = s.context;
  if (!c) return;
  agents.push(...actorKeys(c.instructor, true), ...actorKeys(c.team, true));
  // 9274.1.1 §4.1.6.1 (related_agents): context agents and groups are related agents too
  for (const ca of c.contextAgents ?? []) agents.push(...actorKeys(ca.agent, true));
  for (const cg of c.contextGroups ?? []) agents.push(...actorKeys(cg.group, true));
  const ca = c.contextActivities as Record<string, Activity | Activity[] | undefined> | undefined;
  if (ca) for (const k of ['parent', 'grouping', 'category', 'other']) activities.push(...asList(ca[k]).map((a) => a.id));
}

function objectParts(o: Statement['object'], agents: string[], activities: string[]): void {
  const type = (o as { objectType?: string }).objectType ?? 'Activity';
  if (type === 'Activity') activities.push((o as Activity).id);
  else if (type === 'Agent' || type === 'Group') agents.push(...actorKeys(o as Actor, true));
}

const unique = (xs: string[]) => [...new Set(xs)];

export function queryFields(s: Statement): QueryFields {
  const type = (s.object as { objectType?: string }).objectType ?? 'Activity';
  const agents = actorKeys(s.actor, false);
  if (type === 'Agent' || type === 'Group') agents.push(...actorKeys(s.object as Actor, false));
  const relatedAgents = [...actorKeys(s.actor, true), ...actorKeys(s.authority, true)];
  const relatedActivities: string[] = [];
  objectParts(s.object, relatedAgents, relatedActivities);
  contextParts(s, relatedAgents, relatedActivities);
  if (type === 'SubStatement') {
    const sub = s.object as SubStatement;
    relatedAgents.push(...actorKeys(sub.actor, true));
    objectParts(sub.object, relatedAgents, relatedActivities);
    contextParts(sub, relatedAgents, relatedActivities);
  }
  return {
    agents: unique(agents),
    relatedAgents: unique(relatedAgents),
    verbId: s.verb.id,
    activities: type === 'Activity' ? [(s.object as Activity).id] : [],
    relatedActivities: unique(relatedActivities),
    registration: s.context?.registration ?? null,
    voidTarget: s.verb.id === VOIDED_VERB ? (s.object as { id: string }).id.toLowerCase() : null,
    refTarget: type === 'StatementRef' ? (s.object as { id: string }).id.toLowerCase() : null,
  };
}
