/**
 * HTML built from template literals, escaped by default.
 *
 * Every page in Outturn shows text that came from somewhere else: provider names, measure labels,
 * the values a provider typed into a return. Any of them could hold `<script>`. So interpolation
 * escapes everything, and only values already built by this module (or wrapped in `raw()` by a
 * caller that has made them safe) pass through as markup. There is no other way to make HTML in
 * `reports/`, which makes an unescaped value something you have to ask for by name.
 *
 * @example
 *   html`<p class="govuk-body">${provider.name}</p>`.toString()
 */

/** Markup that is safe to put in a page as it is. Only `html`, `raw` and `join` make one. */
export class Html {
  /** @internal use `html` or `raw`. */
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** What may be interpolated: text is escaped, `Html` is kept, lists are joined, blanks vanish. */
export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

const UNSAFE_CHARACTER = /[&<>"']/;

/** Escapes text for an element body or a quoted attribute value. */
export function escapeHtml(text: string): string {
  // Most of what a page escapes (table cells: numbers, names, codes) has nothing to escape.
  if (!UNSAFE_CHARACTER.test(text)) return text;
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

function render(value: HtmlValue): string {
  if (value instanceof Html) return value.value;
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** The tag: `html\`<td>${cell}</td>\``. `false`, null and undefined render as nothing, so `${cond && html\`…\`}` works. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

/**
 * Trusts markup as it is. Only for text this codebase produced and checked itself (the chart SVG
 * from ECharts, which `reports/charts/render.ts` inspects), never for anything a user sent.
 */
export function raw(markup: string): Html {
  return new Html(markup);
}

/** Joins fragments with a separator (itself escaped unless it is `Html`). */
export function join(parts: readonly HtmlValue[], separator: HtmlValue = ''): Html {
  return new Html(parts.map(render).join(render(separator)));
}
