// The HTML shell shared by lesson and quiz pages: German language, skip link,
// header with the module, a live region for tracking hints, and the page data
// the runtime reads. Pages live in pages/, so shared files are one level up.
import { escapeHtml, jsonForScript } from './html.ts';
import { SHARED_CSS, SHARED_JS } from './package-plan.ts';
import { PAGE_DATA_ELEMENT_ID, type PageData } from './runtime/page-data.ts';

export interface PageShell {
  title: string;
  moduleTitle: string;
  pageData: PageData;
  /** Inner HTML of <main>. */
  main: string;
}

export function renderPage(page: PageShell): string {
  return `<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)} – ${escapeHtml(page.moduleTitle)}</title>
<link rel="stylesheet" href="../${SHARED_CSS}">
</head>
<body>
<a class="skip-link" href="#inhalt">Zum Inhalt springen</a>
<header class="site-header">
<div class="site-header-inner">
<p class="brand">GeZu Lotse Academy</p>
<p class="module-name">${escapeHtml(page.moduleTitle)}</p>
</div>
</header>
<div class="tracking-status" id="tracking-status" role="status" aria-live="polite"></div>
<noscript><p class="notice">Bitte aktivieren Sie JavaScript: Ohne JavaScript funktionieren die Wissenschecks, der Test und das Speichern Ihres Fortschritts nicht.</p></noscript>
<main id="inhalt" tabindex="-1">
${page.main}
</main>
<footer class="site-footer">
<p>OM-Lotse / Quartiersmanager · Qualifizierungsstufe Q1 · Projekt GeZu 4.0 · Offensive Mittelstand</p>
</footer>
<script type="application/json" id="${PAGE_DATA_ELEMENT_ID}">${jsonForScript(page.pageData)}</script>
<script src="../${SHARED_JS}"></script>
</body>
</html>
`;
}
