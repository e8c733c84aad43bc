// XML identifiers for imsmanifest.xml. IMS CP requires xs:ID values (no "/" or ":",
// no leading digit), so they are derived from the slugs with a letter prefix and
// stay stable across builds — an LMS matches re-uploaded packages by them.

export const manifestId = (moduleSlug: string): string => `MANIFEST-${moduleSlug}`;
export const organizationId = (moduleSlug: string): string => `ORG-${moduleSlug}`;
export const itemId = (id: string): string => `ITEM-${id}`;
export const resourceId = (id: string): string => `RES-${id}`;
export const SHARED_RESOURCE_ID = 'RES-shared';
export const objectiveId = (moduleSlug: string, id: string): string => `OBJ-${moduleSlug}-${id}`;
