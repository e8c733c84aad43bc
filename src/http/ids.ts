import { z } from 'zod';
import { OBJECT_ID } from '../shared/object-id.ts';

/** A route's id parameter; a malformed one gets `message` (usually the component's "not found"). */
export const objectId = (message = 'errors:notFound') => z.string().regex(OBJECT_ID, message);

/** The params of a route with one id in its path, e.g. `objectIdParams('attemptId', 'player:errors.attemptNotFound')`. */
export const objectIdParams = <K extends string>(name: K, message = 'errors:notFound') =>
  z.object({ [name]: objectId(message) } as Record<K, ReturnType<typeof objectId>>);
