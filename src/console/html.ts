/**
 * HTML built by one tagged template that escapes every interpolated value; only a `Html`
 * value (another template's result) is inserted as is. Titles, names and reasons come from
 * festivals and from IMDb pages, so nothing reaches the page without passing through here.
 */

/** Markup that is already safe (the result of `html`). */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Part = Html | string | number | boolean | null | undefined | readonly Part[];

const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes text for an element body or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => entities[c] ?? c);
}

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof Html) return part.value;
  if (Array.isArray(part)) return part.map(render).join('');
  return escapeHtml(String(part));
}

/** `html\`<p>${title}</p>\``: every value escaped unless it is Html. */
export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

/** An http(s) URL fit for an img src or a link, else undefined (no javascript:, data: …). */
export function safeUrl(url: string | undefined | null): string | undefined {
  if (url === undefined || url === null) return undefined;
  return /^https?:\/\/[^\s"'<>`]+$/i.test(url) ? url : undefined;
}

/** JSON for a `<script type="application/json">` block: `<` escaped so no tag can close it. */
export function jsonScript(value: unknown): Html {
  const json = JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return new Html(json);
}
