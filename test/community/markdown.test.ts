import { expect } from 'chai';
import { renderMarkdown } from '../../src/community/markdown.ts';

/** Hostile input a post may carry; none of it may reach a page as markup that runs or loads. */
const HOSTILE: Array<[string, string]> = [
  ['script tag', '<script>alert(1)</script>Hallo'],
  ['script split over lines', '<scr\nipt>alert(1)</script>'],
  ['event handler on img', '<img src="/community/files/x" onerror="alert(1)">'],
  ['event handler on a paragraph', '<p onclick="alert(1)">klick</p>'],
  ['event handler on a link', '<a href="https://example.org" onmouseover="alert(1)">x</a>'],
  ['javascript: Markdown link', '[klick](javascript:alert(1))'],
  ['javascript: mixed case', '[klick](JaVaScRiPt:alert(1))'],
  ['javascript: with an entity tab', '<a href="java&#x09;script:alert(1)">x</a>'],
  ['javascript: with leading spaces', '<a href="  javascript:alert(1)">x</a>'],
  ['vbscript: link', '[x](vbscript:msgbox(1))'],
  ['data: link', '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
  ['data: image', '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)'],
  ['inline svg with onload', '<svg onload="alert(1)"><circle r="5"/></svg>'],
  ['svg with script', '<svg><script>alert(1)</script></svg>'],
  ['svg image', '![x](https://example.org/evil.svg)'],
  ['iframe', '<iframe src="https://example.org"></iframe>'],
  ['object/embed', '<object data="x.swf"></object><embed src="x.swf">'],
  ['style tag', '<style>body{display:none}</style>'],
  ['style attribute', '<p style="background:url(javascript:alert(1))">x</p>'],
  ['form and input', '<form action="https://evil.example"><input name="pw"></form>'],
  ['meta refresh', '<meta http-equiv="refresh" content="0;url=https://evil.example">'],
  ['base tag', '<base href="https://evil.example/">'],
  ['math with xlink', '<math><mi xlink:href="javascript:alert(1)">x</mi></math>'],
  ['protocol-relative link', '<a href="//evil.example">x</a>'],
  ['tracking image from elsewhere', '![pixel](https://tracker.example/p.gif)'],
];

describe('community: the Markdown sanitiser', () => {
  for (const [name, input] of HOSTILE) {
    it(`defuses ${name}`, () => {
      const html = renderMarkdown(input).toLowerCase();
      expect(html).not.to.match(/<script|<svg|<iframe|<object|<embed|<style|<form|<input|<meta|<base|<math/);
      expect(html).not.to.match(/\son[a-z]+=/);
      expect(html).not.to.match(/javascript:|vbscript:|data:/);
      expect(html).not.to.contain('style=');
      expect(html).not.to.contain('//evil.example');
      expect(html).not.to.contain('tracker.example');
      expect(html).not.to.contain('evil.svg');
    });
  }

  it('keeps ordinary Markdown: emphasis, lists, code, quotes and safe links', () => {
    const html = renderMarkdown(
      '# Titel\n\n**fett** und *kursiv*\n\n- eins\n- zwei\n\n`code`\n\n> Zitat\n\n[Seite](https://gezu.example/a) und [Mail](mailto:a@b.de)',
    );
    expect(html).to.contain('<h3>Titel</h3>');
    expect(html).to.contain('<strong>fett</strong>');
    expect(html).to.contain('<em>kursiv</em>');
    expect(html).to.contain('<li>eins</li>');
    expect(html).to.contain('<code>code</code>');
    expect(html).to.contain('<blockquote>');
    expect(html).to.contain('<a href="https://gezu.example/a" rel="nofollow noopener noreferrer ugc">Seite</a>');
    expect(html).to.contain('href="mailto:a@b.de"');
  });

  it('escapes angle brackets typed as text', () => {
    expect(renderMarkdown('1 < 2 > 0 & mehr')).to.equal('<p>1 &lt; 2 &gt; 0 &amp; mehr</p>');
  });
});
