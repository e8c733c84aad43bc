/// <reference lib="dom" />
// Tiny DOM helpers. Content text always goes through textContent, never
// innerHTML, so option and feedback texts cannot inject markup.

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  for (const child of children) node.append(child);
  return node;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T | null {
  return document.getElementById(id) as T | null;
}

/** Indices of the checked inputs of one question group. */
export function selectedIndices(container: ParentNode, name: string): number[] {
  return Array.from(container.querySelectorAll<HTMLInputElement>(`input[name="${name}"]:checked`)).map((input) => Number(input.value));
}

/** Moves keyboard and screen-reader focus to an element that is not focusable by default. */
export function focusElement(element: HTMLElement): void {
  if (!element.hasAttribute('tabindex')) element.setAttribute('tabindex', '-1');
  element.focus();
  element.scrollIntoView({ block: 'start' });
}
