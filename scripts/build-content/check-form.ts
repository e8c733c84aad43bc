// Server-side HTML for one knowledge check. Native radio/checkbox inputs inside
// fieldset/legend give keyboard use and screen-reader grouping for free; the
// runtime only evaluates the answer and writes feedback into the live region.
import { escapeHtml } from './html.ts';
import type { Check } from './schema.ts';

export function renderCheckForm(formId: string, check: Check, index: number, total: number): string {
  const inputType = check.type === 'single' ? 'radio' : 'checkbox';
  const hint = check.type === 'single' ? 'Wählen Sie eine Antwort.' : 'Mehrere Antworten können richtig sein.';
  const label = total > 1 ? `Wissenscheck ${index + 1} von ${total}` : 'Wissenscheck';
  const options = check.options
    .map((option, i) => {
      const inputId = `${formId}-o${i}`;
      return (
        `<div class="option"><input type="${inputType}" name="${formId}" id="${inputId}" value="${i}">` +
        `<label for="${inputId}">${escapeHtml(option.text)}</label></div>`
      );
    })
    .join('\n');
  return `<form class="check" id="${formId}" novalidate>
<fieldset aria-describedby="${formId}-hint">
<legend><span class="check-label">${label}</span> ${escapeHtml(check.question)}</legend>
<p class="check-hint" id="${formId}-hint">${hint}</p>
${options}
</fieldset>
<div class="check-actions"><button type="submit" class="button">Antwort prüfen</button></div>
<div class="check-feedback" role="status" aria-live="polite"></div>
</form>`;
}
