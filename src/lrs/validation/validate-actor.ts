import { isMailto, isPlainObject, isSha1Hex } from './formats.ts';
import { add, iri, join, object, onlyKeys, str, type Problems } from './checks.ts';

// Agents and Groups (xAPI 1.0.3 Data §2.4.2): actor, instructor, team, authority, query parameters.

/** Exactly one inverse functional identifier (Data §2.4.2.3). */
function ifi(p: Problems, path: string, v: Record<string, unknown>, required: boolean): void {
  const present = ['mbox', 'mbox_sha1sum', 'openid', 'account'].filter((k) => v[k] !== undefined);
  if (present.length > 1) add(p, path, 'oneIdentifierOnly');
  if (required && present.length === 0) add(p, path, 'oneIdentifier');
  if (v.mbox !== undefined && !isMailto(v.mbox)) add(p, join(path, 'mbox'), 'mbox');
  if (v.mbox_sha1sum !== undefined && !isSha1Hex(v.mbox_sha1sum)) add(p, join(path, 'mbox_sha1sum'), 'sha1');
  if (v.openid !== undefined) iri(p, join(path, 'openid'), v.openid);
  if (v.account !== undefined) {
    const a = v.account;
    const ap = join(path, 'account');
    if (object(p, ap, a)) {
      onlyKeys(p, ap, a, ['homePage', 'name']);
      if (a.homePage === undefined) add(p, join(ap, 'homePage'), 'missing');
      else iri(p, join(ap, 'homePage'), a.homePage);
      if (a.name === undefined) add(p, join(ap, 'name'), 'missing');
      else str(p, join(ap, 'name'), a.name);
    }
  }
  if (v.name !== undefined) str(p, join(path, 'name'), v.name);
}

export function validateAgent(p: Problems, path: string, v: unknown): void {
  if (!object(p, path, v)) return;
  if (v.objectType !== undefined && v.objectType !== 'Agent') add(p, join(path, 'objectType'), 'agentType');
  onlyKeys(p, path, v, ['objectType', 'name', 'mbox', 'mbox_sha1sum', 'openid', 'account']);
  ifi(p, path, v, true);
}

export function validateGroup(p: Problems, path: string, v: Record<string, unknown>): void {
  onlyKeys(p, path, v, ['objectType', 'name', 'mbox', 'mbox_sha1sum', 'openid', 'account', 'member']);
  ifi(p, path, v, false);
  const identified = ['mbox', 'mbox_sha1sum', 'openid', 'account'].some((k) => v[k] !== undefined);
  if (v.member === undefined) {
    if (!identified) add(p, join(path, 'member'), 'anonymousGroupMembers');
    return;
  }
  if (!Array.isArray(v.member)) {
    add(p, join(path, 'member'), 'agentList');
    return;
  }
  if (!identified && v.member.length === 0) add(p, join(path, 'member'), 'anonymousGroupEmpty');
  v.member.forEach((m, i) => {
    const mp = join(join(path, 'member'), i);
    if (isPlainObject(m) && m.objectType === 'Group') add(p, mp, 'groupInGroup');
    else validateAgent(p, mp, m);
  });
}

/** An Agent or a Group (actor, instructor, authority). */
export function validateActor(p: Problems, path: string, v: unknown): void {
  if (!object(p, path, v)) return;
  if (v.objectType === 'Group') validateGroup(p, path, v);
  else validateAgent(p, path, v);
}
