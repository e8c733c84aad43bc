// Renders a lesson's Markdown body to HTML with `marked` at build time and turns
// ```check fenced blocks (YAML) into knowledge-check forms.
// Also enforces the authoring rules that the packages rely on: headings start at
// "##" (the page's h1 is the lesson title), images are local and have alt text,
// and external links open outside the LMS frame.
import { Marked, type Token, type Tokens } from 'marked';
import { parse as parseYaml } from 'yaml';
import { renderCheckForm } from './check-form.ts';
import { escapeHtml } from './html.ts';
import { checkSchema, parseOrThrow, type Check } from './schema.ts';
import { createSlugger } from './slug.ts';
import type { LessonSource, RenderedLesson } from './types.ts';

const ASSET_PREFIX = '../assets/';

function isCheckBlock(token: Token): token is Tokens.Code {
  return token.type === 'code' && (token as Tokens.Code).lang?.trim() === 'check';
}

function parseCheck(token: Tokens.Code, where: string): Check {
  let data: unknown;
  try {
    data = parseYaml(token.text, { prettyErrors: true });
  } catch (error) {
    throw new Error(`${where}: YAML-Fehler im check-Block\n${(error as Error).message}`, { cause: error });
  }
  return parseOrThrow(checkSchema, data, where);
}

function countWords(markdown: string): number {
  // Fenced blocks (knowledge checks) and images are not reading text; table pipes and
  // Markdown markers contain no letters or digits and so are not counted as words.
  const prose = markdown.replace(/```[\s\S]*?```/g, ' ').replace(/!\[[^\]]*\]\([^)]*\)/g, ' ');
  return prose.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

/** Inline Markdown to plain text, for the AU/SCO descriptions in the manifests. */
function plainText(inline: string): string {
  return inline
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export function renderLesson(lesson: LessonSource, assetNames: ReadonlySet<string>): RenderedLesson {
  const slugger = createSlugger();
  const headings: RenderedLesson['headings'] = [];
  const checks: RenderedLesson['checks'] = [];
  const file = lesson.file;

  const marked = new Marked({
    gfm: true,
    renderer: {
      heading({ tokens, depth }) {
        if (depth === 1) throw new Error(`${file}: Überschriften im Text beginnen bei "##" (die Seitenüberschrift ist der Lektionstitel)`);
        const html = this.parser.parseInline(tokens);
        const plain = this.parser.parseInline(tokens, this.parser.textRenderer);
        const id = slugger(plain);
        if (depth === 2) headings.push({ id, text: plain });
        return `<h${depth} id="${id}">${html}</h${depth}>\n`;
      },
      image({ href, text }) {
        if (text.trim().length === 0) throw new Error(`${file}: Bild ${href} braucht einen Alternativtext ![…](…)`);
        if (!href.startsWith(ASSET_PREFIX) || !assetNames.has(href.slice(ASSET_PREFIX.length))) {
          throw new Error(`${file}: Bild ${href} muss auf eine Datei in assets/ zeigen (${ASSET_PREFIX}name.svg)`);
        }
        return `<img src="${escapeHtml(href)}" alt="${escapeHtml(text)}">`;
      },
      link({ href, tokens }) {
        const inner = this.parser.parseInline(tokens);
        // Pages run inside the LMS frame; an external page must not replace the SCO/AU.
        const external = /^https?:\/\//.test(href) ? ' target="_blank" rel="noopener noreferrer"' : '';
        return `<a href="${escapeHtml(href)}"${external}>${inner}</a>`;
      },
      html({ text }) {
        if (/<script/i.test(text)) throw new Error(`${file}: <script> ist im Lektionstext nicht erlaubt`);
        return text;
      },
    },
  });

  const tokens = marked.lexer(lesson.markdown);
  marked.walkTokens(tokens, (token) => {
    if (isCheckBlock(token) && !tokens.includes(token)) {
      throw new Error(`${file}: check-Blöcke dürfen nicht eingerückt oder in Listen stehen`);
    }
  });

  const checkTokens = tokens.filter(isCheckBlock);
  const rendered = tokens.map((token): Token => {
    if (!isCheckBlock(token)) return token;
    const index = checkTokens.indexOf(token);
    const id = `check-${index + 1}`;
    const check = parseCheck(token, `${file} (Wissenscheck ${index + 1})`);
    checks.push({ id, check });
    const html = renderCheckForm(id, check, index, checkTokens.length);
    return { type: 'html', block: true, pre: false, raw: token.raw, text: `${html}\n` };
  });

  const firstParagraph = tokens.find((t): t is Tokens.Paragraph => t.type === 'paragraph');
  const summary = firstParagraph ? plainText(firstParagraph.text) : lesson.title;

  const html = marked
    .parser(rendered)
    // Wide tables scroll inside their own box instead of widening the page on phones.
    .replace(/<table>/g, '<div class="table-wrap" tabindex="0" role="region" aria-label="Tabelle"><table>')
    .replace(/<\/table>/g, '</table></div>');

  return {
    id: lesson.id,
    title: lesson.title,
    minutes: lesson.minutes,
    html,
    checks,
    headings,
    summary,
    words: countWords(lesson.markdown),
  };
}
