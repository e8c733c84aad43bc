import { markdownRenderer } from '../shared/markdown.ts';

/**
 * Markdown for people's posts (the shared allow-list of src/shared/markdown.ts): images only from
 * the community's own attachments.
 */
export const renderMarkdown = markdownRenderer({ imagesFrom: '/community/files/' });

/** The ids mentioned as @[Name](id) would need a user picker; plain "@Vorname Nachname" is matched against the space's members. */
export function mentionedNames(markdown: string): string[] {
  return [...markdown.matchAll(/(?:^|\s)@([\p{L}][\p{L}'-]*(?: [\p{L}][\p{L}'-]*)?)/gu)].map((m) => m[1]!);
}
