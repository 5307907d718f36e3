// Building DOM from data that came from files: text only ever goes through textContent, attributes
// through setAttribute on a fixed allow-list of names. No innerHTML anywhere in the webviews.

type Child = Node | string | null | undefined | false;

const ALLOWED_ATTRIBUTES = new Set(['class', 'title', 'role', 'tabindex', 'aria-label', 'aria-expanded', 'aria-selected', 'data-id', 'data-index', 'data-profile', 'type', 'placeholder', 'value', 'id', 'for', 'colspan', 'hidden', 'disabled', 'checked', 'spellcheck', 'aria-pressed']);

/** Creates an element; strings become text nodes, never markup. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Readonly<Record<string, string | number | boolean | undefined>> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (!ALLOWED_ATTRIBUTES.has(name)) throw new Error(`el(): attribute "${name}" is not allowed`);
    element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return element;
}

/** Replaces all children of `parent`. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren(...children.filter((c): c is Node | string => c !== null && c !== undefined && c !== false));
}
