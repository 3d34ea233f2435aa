/**
 * The console's only way to write HTML: html`…` escapes every interpolated value unless it is
 * already SafeHtml (the result of another html`…`), so text a client sent can never become markup.
 */

/** Markup that is safe to insert as it is. Only html`…` and raw() make one. */
export class SafeHtml {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** What may be interpolated: text and numbers are escaped, lists are joined, nothing shows as ''. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes text for an element's content or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ESCAPES[c] ?? c);
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

/** Tagged template: the literal parts are markup, every `${value}` is escaped (SafeHtml passes as it is). */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/**
 * Markup made by this program without html`…` (an SVG drawn from numbers). Never pass text that came
 * from a request.
 */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** Path segment or query value for a URL written into a page. */
export function enc(value: string | number): string {
  return encodeURIComponent(String(value));
}
