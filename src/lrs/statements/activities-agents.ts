import { requireAccess } from '../access.ts';
import type { Activity, Agent, Credential } from '../types.ts';
import type { ActivityDefinitions } from './activity-definitions.ts';
import { identifyingPart } from './identity.ts';

/** A Person object (Communication §2.4.1.1): every property a list, what we know of one agent. */
export interface Person {
  objectType: 'Person';
  name?: string[];
  mbox?: string[];
  mbox_sha1sum?: string[];
  openid?: string[];
  account?: Array<{ homePage: string; name: string }>;
}

/** The Person for an agent: we do not merge identities, so it is the agent's own name and IFI. */
export function personOf(agent: Agent): Person {
  const ids = identifyingPart(agent) as Record<string, unknown>;
  const person: Record<string, unknown> = { objectType: 'Person' };
  if (agent.name) person.name = [agent.name];
  for (const k of ['mbox', 'mbox_sha1sum', 'openid', 'account']) if (ids[k] !== undefined) person[k] = [ids[k]];
  return person as unknown as Person;
}

/** The Activities (Communication §2.5) and Agents (§2.4) resources, behind the credential's scopes. */
export function createActivitiesAndAgents(deps: { definitions: ActivityDefinitions }) {
  return {
    async activity(id: string, credential: Credential): Promise<Activity> {
      requireAccess(credential, 'activities-agents:read');
      return deps.definitions.activity(id);
    },
    person(agent: Agent, credential: Credential): Person {
      requireAccess(credential, 'activities-agents:read');
      return personOf(agent);
    },
  };
}
export type ActivitiesAndAgents = ReturnType<typeof createActivitiesAndAgents>;
