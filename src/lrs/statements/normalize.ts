import { isPlainObject } from '../validation/formats.ts';

/**
 * The LRS returns context activities always as arrays, even when sent as a single object
 * (Data §2.4.6.2); this is the one change it makes to a statement's content.
 */
function normalizeContext(context: unknown): unknown {
  if (!isPlainObject(context) || !isPlainObject(context.contextActivities)) return context;
  const ca = Object.fromEntries(Object.entries(context.contextActivities).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));
  return { ...context, contextActivities: ca };
}

export function normalizeStatement<T extends Record<string, unknown>>(s: T): T {
  const out: Record<string, unknown> = { ...s };
  if (s.context !== undefined) out.context = normalizeContext(s.context);
  if (isPlainObject(s.object) && s.object.objectType === 'SubStatement' && s.object.context !== undefined) {
    out.object = { ...s.object, context: normalizeContext(s.object.context) };
  }
  return out as T;
}
