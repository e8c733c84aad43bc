import type { Actor, Agent } from '../types.ts';

type Identified = { mbox?: unknown; mbox_sha1sum?: unknown; openid?: unknown; account?: unknown };

/**
 * The key of an agent's or identified group's inverse functional identifier, equal exactly when xAPI
 * says two agents are the same (Data §2.4.2.3). Undefined for anonymous groups.
 */
export function ifiKey(a: Identified | undefined): string | undefined {
  if (!a) return undefined;
  if (typeof a.mbox === 'string') return `mbox:${a.mbox.toLowerCase()}`;
  if (typeof a.mbox_sha1sum === 'string') return `sha1:${a.mbox_sha1sum.toLowerCase()}`;
  if (typeof a.openid === 'string') return `openid:${a.openid}`;
  const acc = a.account as { homePage?: unknown; name?: unknown } | undefined;
  if (acc && typeof acc.homePage === 'string' && typeof acc.name === 'string') return `account:${acc.homePage}|${acc.name}`;
  return undefined;
}

/** The keys of an actor and, for groups, of its members. */
export function actorKeys(actor: Actor | undefined, withMembers: boolean): string[] {
  if (!actor) return [];
  const keys: string[] = [];
  const own = ifiKey(actor);
  if (own) keys.push(own);
  if (withMembers && actor.objectType === 'Group')
    for (const m of actor.member ?? []) {
      const k = ifiKey(m);
      if (k) keys.push(k);
    }
  return keys;
}

/** Only the identifying properties of an agent or group (the `ids` format and Person objects). */
export function identifyingPart(a: Omit<Agent, 'objectType'> & { objectType?: string; member?: Agent[] }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (a.objectType) out.objectType = a.objectType;
  for (const k of ['mbox', 'mbox_sha1sum', 'openid', 'account'] as const) if (a[k] !== undefined) out[k] = a[k];
  if (a.objectType === 'Group' && !ifiKey(a) && a.member) out.member = a.member.map((m) => identifyingPart(m));
  return out;
}
