import type { ModuleTitlesPort } from './ports.ts';

/** The part of the content service this adapter reads: one module by slug. */
interface ContentLike {
  getModule(idOrSlug: string): Promise<{ title?: unknown } | null | undefined>;
}

/**
 * The module-titles port filled from the content service (the composition root calls this): the
 * title of each module content knows; slugs it does not know are left out (shown by their slug).
 */
export function contentModuleTitles(content: ContentLike): ModuleTitlesPort {
  return {
    async moduleTitles(slugs) {
      const unique = [...new Set(slugs)];
      const modules = await Promise.all(unique.map((slug) => content.getModule(slug)));
      const titles = new Map<string, string>();
      unique.forEach((slug, i) => {
        const title = modules[i]?.title;
        if (typeof title === 'string' && title.trim()) titles.set(slug, title.trim());
      });
      return titles;
    },
  };
}
