import type { ModuleTitlesPort } from './ports.ts';

/** The part of the content service this adapter reads: modules by slug, in one query. */
interface ContentLike {
  findModulesBySlugs(slugs: string[]): Promise<Array<{ slug: string; title?: unknown }>>;
}

/**
 * The module-titles port filled from the content service (the composition root calls this): the
 * title of each module content knows; slugs it does not know are left out (shown by their slug).
 */
export function contentModuleTitles(content: ContentLike): ModuleTitlesPort {
  return {
    async moduleTitles(slugs) {
      const titles = new Map<string, string>();
      for (const m of await content.findModulesBySlugs(slugs)) {
        if (typeof m.title === 'string' && m.title.trim()) titles.set(m.slug, m.title.trim());
      }
      return titles;
    },
  };
}
