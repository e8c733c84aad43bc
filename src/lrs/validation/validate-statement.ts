import type { FieldProblem } from '../../shared/errors.ts';
import { add, extensions, iri, join, languageMap, object, onlyKeys, str, type Problems } from './checks.ts';
import { hasZone, isDuration, isLanguageTag, isMediaType, isPlainObject, isTimestamp, isUuid } from './formats.ts';
import { validateActor, validateAgent, validateGroup } from './validate-actor.ts';
import type { XapiVersion } from '../version.ts';

/** What a dialect changes in the statement rules (version.ts). */
export type StatementRules = Pick<XapiVersion, 'statementVersion' | 'statementVersionText' | 'contextAgents' | 'timestampNeedsZone'>;

/**
 * The xAPI 1.0.3 statement rules (Data §2.4 and §4), with 2.0's changes (IEEE 9274.1.1 §4.2) where a
 * dialect's StatementRules ask for them. Each problem names the field by its path
 * ("context.instructor.mbox") and the rule as an i18n key (lrs:validation.*), so a client can fix its statement.
 */
export { validateActor, validateAgent };

const INTERACTION_TYPES = ['true-false', 'choice', 'fill-in', 'long-fill-in', 'matching', 'performance', 'sequencing', 'likert', 'numeric', 'other'];
const COMPONENT_LISTS: Record<string, string[]> = {
  choice: ['choices'],
  sequencing: ['choices'],
  likert: ['scale'],
  matching: ['source', 'target'],
  performance: ['steps'],
};
const ALL_COMPONENT_LISTS = ['choices', 'scale', 'source', 'target', 'steps'];

function validateVerb(p: Problems, path: string, v: unknown): void {
  if (!object(p, path, v)) return;
  onlyKeys(p, path, v, ['id', 'display']);
  if (v.id === undefined) add(p, join(path, 'id'), 'missing');
  else iri(p, join(path, 'id'), v.id);
  if (v.display !== undefined) languageMap(p, join(path, 'display'), v.display);
}

function validateComponents(p: Problems, path: string, v: unknown): void {
  if (!Array.isArray(v)) {
    add(p, path, 'componentList');
    return;
  }
  const seen = new Set<string>();
  v.forEach((c, i) => {
    const cp = join(path, i);
    if (!object(p, cp, c)) return;
    onlyKeys(p, cp, c, ['id', 'description']);
    if (c.id === undefined) add(p, join(cp, 'id'), 'missing');
    else if (str(p, join(cp, 'id'), c.id)) {
      if (seen.has(c.id)) add(p, join(cp, 'id'), 'duplicateInList');
      seen.add(c.id);
    }
    if (c.description !== undefined) languageMap(p, join(cp, 'description'), c.description);
  });
}

function validateDefinition(p: Problems, path: string, v: unknown): void {
  if (!object(p, path, v)) return;
  onlyKeys(p, path, v, ['name', 'description', 'type', 'moreInfo', 'extensions', 'interactionType', 'correctResponsesPattern', ...ALL_COMPONENT_LISTS]);
  if (v.name !== undefined) languageMap(p, join(path, 'name'), v.name);
  if (v.description !== undefined) languageMap(p, join(path, 'description'), v.description);
  if (v.type !== undefined) iri(p, join(path, 'type'), v.type);
  if (v.moreInfo !== undefined) iri(p, join(path, 'moreInfo'), v.moreInfo);
  if (v.extensions !== undefined) extensions(p, join(path, 'extensions'), v.extensions);
  const type = v.interactionType;
  if (type !== undefined && (typeof type !== 'string' || !INTERACTION_TYPES.includes(type))) {
    add(p, join(path, 'interactionType'), 'interactionType');
  }
  if (v.correctResponsesPattern !== undefined) {
    const crp = v.correctResponsesPattern;
    if (type === undefined) add(p, join(path, 'correctResponsesPattern'), 'needsInteractionType');
    if (!Array.isArray(crp) || crp.some((s) => typeof s !== 'string')) add(p, join(path, 'correctResponsesPattern'), 'stringList');
  }
  const allowed = typeof type === 'string' ? (COMPONENT_LISTS[type] ?? []) : [];
  for (const list of ALL_COMPONENT_LISTS) {
    if (v[list] === undefined) continue;
    if (!allowed.includes(list)) add(p, join(path, list), 'componentsNotAllowed');
    else validateComponents(p, join(path, list), v[list]);
  }
}

function validateActivity(p: Problems, path: string, v: Record<string, unknown>): void {
  onlyKeys(p, path, v, ['objectType', 'id', 'definition']);
  if (v.id === undefined) add(p, join(path, 'id'), 'missing');
  else iri(p, join(path, 'id'), v.id);
  if (v.definition !== undefined) validateDefinition(p, join(path, 'definition'), v.definition);
}

function validateStatementRef(p: Problems, path: string, v: unknown): void {
  if (!object(p, path, v)) return;
  onlyKeys(p, path, v, ['objectType', 'id']);
  if (v.objectType !== 'StatementRef') add(p, join(path, 'objectType'), 'statementRefType');
  if (!isUuid(v.id)) add(p, join(path, 'id'), 'uuid');
}

function validateObject(p: Problems, path: string, v: unknown, inSubStatement: boolean, rules: StatementRules): void {
  if (!object(p, path, v)) return;
  const type = v.objectType ?? 'Activity';
  switch (type) {
    case 'Activity':
      return validateActivity(p, path, v);
    case 'Agent':
      return validateAgent(p, path, v);
    case 'Group':
      return validateGroup(p, path, v);
    case 'StatementRef':
      return validateStatementRef(p, path, v);
    case 'SubStatement':
      if (inSubStatement) {
        add(p, join(path, 'objectType'), 'nestedSubStatement');
        return;
      }
      return validateStatementBody(p, path, v, true, rules);
    default:
      add(p, join(path, 'objectType'), 'objectKind');
  }
}

function validateResult(p: Problems, path: string, v: unknown): void {
  if (!object(p, path, v)) return;
  onlyKeys(p, path, v, ['score', 'success', 'completion', 'response', 'duration', 'extensions']);
  if (v.score !== undefined) {
    const sp = join(path, 'score');
    const s = v.score;
    if (object(p, sp, s)) {
      onlyKeys(p, sp, s, ['scaled', 'raw', 'min', 'max']);
      for (const k of ['scaled', 'raw', 'min', 'max']) {
        if (s[k] !== undefined && (typeof s[k] !== 'number' || !Number.isFinite(s[k]))) add(p, join(sp, k), 'number');
      }
      const n = (k: string) => (typeof s[k] === 'number' ? s[k] : undefined);
      const scaled = n('scaled');
      if (scaled !== undefined && (scaled < -1 || scaled > 1)) add(p, join(sp, 'scaled'), 'scaledRange');
      const raw = n('raw');
      const min = n('min');
      const max = n('max');
      if (min !== undefined && max !== undefined && min > max) add(p, join(sp, 'min'), 'notAboveMax');
      if (raw !== undefined && min !== undefined && raw < min) add(p, join(sp, 'raw'), 'notBelowMin');
      if (raw !== undefined && max !== undefined && raw > max) add(p, join(sp, 'raw'), 'notAboveMax');
    }
  }
  if (v.success !== undefined && typeof v.success !== 'boolean') add(p, join(path, 'success'), 'boolean');
  if (v.completion !== undefined && typeof v.completion !== 'boolean') add(p, join(path, 'completion'), 'boolean');
  if (v.response !== undefined) str(p, join(path, 'response'), v.response);
  if (v.duration !== undefined && !isDuration(v.duration)) add(p, join(path, 'duration'), 'duration');
  if (v.extensions !== undefined) extensions(p, join(path, 'extensions'), v.extensions);
}

function validateContextActivities(p: Problems, path: string, v: unknown): void {
  if (!object(p, path, v)) return;
  onlyKeys(p, path, v, ['parent', 'grouping', 'category', 'other']);
  for (const key of ['parent', 'grouping', 'category', 'other']) {
    const list = v[key];
    if (list === undefined) continue;
    const lp = join(path, key);
    const items = Array.isArray(list) ? list : [list];
    items.forEach((a, i) => {
      const ap = Array.isArray(list) ? join(lp, i) : lp;
      if (!object(p, ap, a)) return;
      if (a.objectType !== undefined && a.objectType !== 'Activity') add(p, join(ap, 'objectType'), 'activityType');
      validateActivity(p, ap, a);
    });
  }
}

/**
 * 9274.1.1 §4.2.2.5 Context: `contextAgents` is a list of {objectType "contextAgent", agent, relevantTypes?},
 * `contextGroups` of {objectType "contextGroup", group, relevantTypes?}; relevantTypes, when present,
 * is a non-empty list of IRIs.
 */
function validateContextRelations(p: Problems, path: string, v: unknown, kind: 'agent' | 'group'): void {
  if (!Array.isArray(v)) {
    add(p, path, kind === 'agent' ? 'contextAgentList' : 'contextGroupList');
    return;
  }
  const objectType = kind === 'agent' ? 'contextAgent' : 'contextGroup';
  v.forEach((c, i) => {
    const cp = join(path, i);
    if (!object(p, cp, c)) return;
    onlyKeys(p, cp, c, ['objectType', kind, 'relevantTypes']);
    if (c.objectType !== objectType) add(p, join(cp, 'objectType'), kind === 'agent' ? 'contextAgentType' : 'contextGroupType');
    if (c[kind] === undefined) add(p, join(cp, kind), 'missing');
    else if (kind === 'agent') validateAgent(p, join(cp, 'agent'), c.agent);
    else if (isPlainObject(c.group) && c.group.objectType === 'Group') validateGroup(p, join(cp, 'group'), c.group);
    else add(p, join(cp, 'group'), 'group');
    if (c.relevantTypes !== undefined) {
      const rp = join(cp, 'relevantTypes');
      if (!Array.isArray(c.relevantTypes) || c.relevantTypes.length === 0) add(p, rp, 'iriList');
      else c.relevantTypes.forEach((t, j) => iri(p, join(rp, j), t));
    }
  });
}

function validateContext(p: Problems, path: string, v: unknown, objectIsActivity: boolean, rules: StatementRules): void {
  if (!object(p, path, v)) return;
  const keys = ['registration', 'instructor', 'team', 'contextActivities', 'revision', 'platform', 'language', 'statement', 'extensions'];
  onlyKeys(p, path, v, rules.contextAgents ? [...keys, 'contextAgents', 'contextGroups'] : keys);
  if (rules.contextAgents && v.contextAgents !== undefined) validateContextRelations(p, join(path, 'contextAgents'), v.contextAgents, 'agent');
  if (rules.contextAgents && v.contextGroups !== undefined) validateContextRelations(p, join(path, 'contextGroups'), v.contextGroups, 'group');
  if (v.registration !== undefined && !isUuid(v.registration)) add(p, join(path, 'registration'), 'uuid');
  if (v.instructor !== undefined) validateActor(p, join(path, 'instructor'), v.instructor);
  if (v.team !== undefined) {
    if (isPlainObject(v.team) && v.team.objectType === 'Group') validateGroup(p, join(path, 'team'), v.team);
    else add(p, join(path, 'team'), 'group');
  }
  if (v.contextActivities !== undefined) validateContextActivities(p, join(path, 'contextActivities'), v.contextActivities);
  for (const k of ['revision', 'platform'] as const) {
    if (v[k] === undefined) continue;
    str(p, join(path, k), v[k]);
    if (!objectIsActivity) add(p, join(path, k), 'onlyForActivity');
  }
  if (v.language !== undefined && !isLanguageTag(v.language)) add(p, join(path, 'language'), 'languageTag');
  if (v.statement !== undefined) validateStatementRef(p, join(path, 'statement'), v.statement);
  if (v.extensions !== undefined) extensions(p, join(path, 'extensions'), v.extensions);
}

function validateAttachments(p: Problems, path: string, v: unknown): void {
  if (!Array.isArray(v)) {
    add(p, path, 'list');
    return;
  }
  v.forEach((a, i) => {
    const ap = join(path, i);
    if (!object(p, ap, a)) return;
    onlyKeys(p, ap, a, ['usageType', 'display', 'description', 'contentType', 'length', 'sha2', 'fileUrl']);
    if (a.usageType === undefined) add(p, join(ap, 'usageType'), 'missing');
    else iri(p, join(ap, 'usageType'), a.usageType);
    if (a.display === undefined) add(p, join(ap, 'display'), 'missing');
    else languageMap(p, join(ap, 'display'), a.display);
    if (a.description !== undefined) languageMap(p, join(ap, 'description'), a.description);
    if (!isMediaType(a.contentType)) add(p, join(ap, 'contentType'), 'mediaType');
    if (typeof a.length !== 'number' || !Number.isInteger(a.length) || a.length < 0) add(p, join(ap, 'length'), 'nonNegativeInteger');
    if (typeof a.sha2 !== 'string' || !/^[0-9a-f]{56,128}$/i.test(a.sha2)) add(p, join(ap, 'sha2'), 'sha2');
    if (a.fileUrl !== undefined) iri(p, join(ap, 'fileUrl'), a.fileUrl);
  });
}

function validateStatementBody(p: Problems, path: string, v: Record<string, unknown>, sub: boolean, rules: StatementRules): void {
  const keys = ['actor', 'verb', 'object', 'result', 'context', 'timestamp', 'attachments'];
  onlyKeys(p, path, v, sub ? ['objectType', ...keys] : ['id', 'stored', 'authority', 'version', ...keys]);
  for (const k of ['actor', 'verb', 'object']) if (v[k] === undefined) add(p, join(path, k), 'missing');
  if (v.actor !== undefined) validateActor(p, join(path, 'actor'), v.actor);
  if (v.verb !== undefined) validateVerb(p, join(path, 'verb'), v.verb);
  if (v.object !== undefined) validateObject(p, join(path, 'object'), v.object, sub, rules);
  if (v.result !== undefined) validateResult(p, join(path, 'result'), v.result);
  const objectType = isPlainObject(v.object) ? v.object.objectType : undefined;
  if (v.context !== undefined) validateContext(p, join(path, 'context'), v.context, objectType === undefined || objectType === 'Activity', rules);
  if (v.timestamp !== undefined) checkTimestamp(p, join(path, 'timestamp'), v.timestamp, rules);
  if (v.attachments !== undefined) validateAttachments(p, join(path, 'attachments'), v.attachments);
}

/** Voiding (Data §2.3.2): the verb "voided" needs a StatementRef as its object. */
export const VOIDED_VERB = 'http://adlnet.gov/expapi/verbs/voided';

/** 1.0.3 Data §4.5: ISO 8601; 9274.1.1 §4.2.7: RFC 3339 §5.6, so the offset (or Z) must be there. */
function checkTimestamp(p: Problems, path: string, v: unknown, rules: StatementRules): void {
  if (!isTimestamp(v)) add(p, path, 'timestamp');
  else if (rules.timestampNeedsZone && !hasZone(v)) add(p, path, 'timestampZone');
}

/** All problems of one statement under a dialect's rules; an empty list means valid. */
export function validateStatement(v: unknown, rules: StatementRules, path = ''): FieldProblem[] {
  const p: Problems = [];
  if (!isPlainObject(v)) {
    add(p, path || '(statement)', 'object');
    return p;
  }
  validateStatementBody(p, path, v, false, rules);
  if (v.id !== undefined && !isUuid(v.id)) add(p, join(path, 'id'), 'uuid');
  if (v.stored !== undefined) checkTimestamp(p, join(path, 'stored'), v.stored, rules);
  if (v.authority !== undefined) validateAuthority(p, join(path, 'authority'), v.authority);
  if (v.version !== undefined && (typeof v.version !== 'string' || !rules.statementVersion.test(v.version)))
    add(p, join(path, 'version'), rules.statementVersionText === '1.0.x' ? 'version10' : 'version20');
  if (isPlainObject(v.verb) && v.verb.id === VOIDED_VERB && (!isPlainObject(v.object) || v.object.objectType !== 'StatementRef')) {
    add(p, join(path, 'object'), 'voidingNeedsStatementRef');
  }
  return p;
}

/** Authority: an Agent, or a Group of exactly two Agents for three-legged OAuth (Data §2.4.9). */
function validateAuthority(p: Problems, path: string, v: unknown): void {
  validateActor(p, path, v);
  if (isPlainObject(v) && v.objectType === 'Group') {
    if (!Array.isArray(v.member) || v.member.length !== 2) add(p, join(path, 'member'), 'authorityGroupSize');
    if (['mbox', 'mbox_sha1sum', 'openid', 'account'].some((k) => v[k] !== undefined)) add(p, path, 'authorityGroupAnonymous');
  }
}
