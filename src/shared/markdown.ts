import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

/**
 * Markdown that people type (community posts, published results): rendered by marked
 * (GitHub-flavoured, no raw HTML kept), then cleaned by sanitize-html with an allow-list. Only these
 * tags and attributes survive; links keep only http(s) and mailto; no svg, no style, no on* handlers,
 * no iframes. The allow-list is the only defence that counts: marked itself lets HTML through.
 */
const marked = new Marked({ gfm: true, breaks: true, async: false });

const TAGS = [
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
];

export interface MarkdownPolicy {
  /** Images are kept only when their src starts with this path (a component's own files); without it no images at all. */
  imagesFrom?: string;
}

/** A renderer for one policy: Markdown as typed → HTML safe to put into a page as is. */
export function markdownRenderer(policy: MarkdownPolicy = {}): (markdown: string) => string {
  const { imagesFrom } = policy;
  const options: sanitizeHtml.IOptions = {
    allowedTags: imagesFrom ? [...TAGS, 'img'] : TAGS,
    allowedAttributes: { a: ['href', 'title', 'rel'], img: ['src', 'alt', 'title'], th: ['align'], td: ['align'], ol: ['start'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesAppliedToAttributes: ['href', 'src'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    // images only from the component's own files: no tracking pixels from elsewhere
    exclusiveFilter: (frame) => frame.tag === 'img' && !(imagesFrom && String(frame.attribs.src ?? '').startsWith(imagesFrom)),
    // headings below the page's own h1/h2
    transformTags: {
      h1: 'h3',
      h2: 'h4',
      a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'nofollow noopener noreferrer ugc' } }),
    },
  };
  return (markdown) => sanitizeHtml(marked.parse(markdown) as string, options).trim();
}
