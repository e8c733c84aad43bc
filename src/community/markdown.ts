import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

/**
 * Markdown for people's posts: rendered by marked (GitHub-flavoured, no raw HTML kept), then cleaned
 * by sanitize-html with an allow-list. Only these tags and attributes survive; links and images keep
 * only http(s) and mailto, images only the community's own files; no svg, no style, no on* handlers, no iframes.
 * The allow-list is the only defence that counts: marked itself lets HTML through.
 */
const marked = new Marked({ gfm: true, breaks: true, async: false });

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'strong',
    'em',
    'del',
    'code',
    'pre',
    'blockquote',
    'ul',
    'ol',
    'li',
    'a',
    'h3',
    'h4',
    'h5',
    'h6',
    'hr',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
    'img',
  ],
  allowedAttributes: { a: ['href', 'title'], img: ['src', 'alt', 'title'], th: ['align'], td: ['align'], ol: ['start'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href', 'src'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // images only from the community's own attachments: no tracking pixels from elsewhere
  exclusiveFilter: (frame) => frame.tag === 'img' && !String(frame.attribs.src ?? '').startsWith('/community/files/'),
  // headings below the page's own h1/h2
  transformTags: {
    h1: 'h3',
    h2: 'h4',
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'nofollow noopener noreferrer ugc' } }),
  },
};
OPTIONS.allowedAttributes = { ...(OPTIONS.allowedAttributes as Record<string, string[]>), a: ['href', 'title', 'rel'] };

/** Markdown as typed → HTML safe to put into a page as is. */
export function renderMarkdown(markdown: string): string {
  const html = marked.parse(markdown) as string;
  return sanitizeHtml(html, OPTIONS).trim();
}

/** The ids mentioned as @[Name](id) would need a user picker; plain "@Vorname Nachname" is matched against the space's members. */
export function mentionedNames(markdown: string): string[] {
  return [...markdown.matchAll(/(?:^|\s)@([\p{L}][\p{L}'-]*(?: [\p{L}][\p{L}'-]*)?)/gu)].map((m) => m[1]!);
}
