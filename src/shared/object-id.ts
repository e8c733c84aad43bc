/** A MongoDB ObjectId as the platform writes it in URLs and references: 24 lower-case hex digits. */
export const OBJECT_ID = /^[a-f0-9]{24}$/;

/** Whether `id` can name a stored document (repositories answer "none" for anything else, without asking the database). */
export const isObjectId = (id: unknown): id is string => typeof id === 'string' && OBJECT_ID.test(id);
