/**
 * ECharts on the server: an option in, an SVG string out, no DOM and no script in the page.
 *
 * Each chart gets its own instance, disposed at once so a busy server does not keep them.
 * ECharts escapes the text it draws; we then check the SVG carries nothing a page could load
 * or run (no script, no event handlers, no external references), because it goes into the page
 * as trusted markup.
 */
import * as echarts from 'echarts';
import { raw, type Html } from '../html.js';

export type ChartOption = echarts.EChartsOption;

export interface ChartSize {
  width: number;
  height: number;
}

export class UnsafeSvgError extends Error {
  override name = 'UnsafeSvgError';
}

/** Things an inline SVG must not hold; a `url(#…)` or `href="#…"` within the SVG itself is fine. */
const UNSAFE: readonly [RegExp, string][] = [
  [/<script/i, 'a script element'],
  [/<foreignObject/i, 'a foreignObject element'],
  [/\son[a-z]+\s*=/i, 'an event handler attribute'],
  [/href\s*=\s*["'](?!#)/i, 'a link to another resource'],
  [/url\(\s*["']?(?!#)/i, 'an external url()'],
  [/@import/i, 'a stylesheet import'],
];

/** Throws UnsafeSvgError naming what it found. */
export function assertSafeSvg(svg: string): void {
  for (const [pattern, what] of UNSAFE)
    if (pattern.test(svg)) throw new UnsafeSvgError(`The chart SVG contains ${what}.`);
  // Not unsafe, but the pages' Content-Security-Policy (style-src 'self') would block it.
  if (/\sstyle\s*=/i.test(svg))
    throw new UnsafeSvgError(
      'The chart SVG contains a style attribute, which the pages’ CSP blocks.',
    );
}

/**
 * ECharts writes text styles as `style="font-size:12px;font-family:…"`. SVG takes the same
 * properties as presentation attributes (`font-size="12px"`), which a Content-Security-Policy
 * does not govern, so the pages need no 'unsafe-inline' for styles. A declaration replaces an
 * attribute of the same name, as the style attribute would have overridden it.
 *
 * @example styleAsAttributes('<text fill="#fff" style="font-size:12px;fill:#0b0c0c;">') // '<text font-size="12px" fill="#0b0c0c">'
 */
export function styleAsAttributes(svg: string): string {
  return svg.replace(
    /<([a-zA-Z]+)([^>]*?)\sstyle="([^"]*)"([^>]*)>/g,
    (_, tag, before, style, after) => {
      const declarations = (style as string)
        .split(';')
        .map((declaration) => /^\s*([a-z-]+)\s*:\s*(.*?)\s*$/i.exec(declaration))
        .filter((d): d is RegExpExecArray => d !== null && d[2] !== '')
        .map((d) => [d[1]!.toLowerCase(), d[2]!] as const);
      const names = new Set(declarations.map(([name]) => name));
      const others = `${before}${after}`.replace(
        /\s([a-zA-Z-]+)="[^"]*"/g,
        (attribute, name: string) => (names.has(name.toLowerCase()) ? '' : attribute),
      );
      const converted = declarations.map(([name, value]) => ` ${name}="${value}"`).join('');
      const selfClosing = /\/\s*$/.test(others);
      return `<${tag}${others.replace(/\s*\/\s*$/, '')}${converted}${selfClosing ? '/' : ''}>`;
    },
  );
}

export function renderSvg(option: ChartOption, size: ChartSize): Html {
  const chart = echarts.init(null, null, {
    renderer: 'svg',
    ssr: true,
    width: size.width,
    height: size.height,
  });
  let svg: string;
  try {
    chart.setOption({ ...option, animation: false });
    svg = chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
  svg = styleAsAttributes(svg)
    // Hover styles only: nothing hovers in a static page, and an inline <style> would need a CSP exception.
    .replace(/<style[\s\S]*?<\/style>/gi, '')
    // The figure around it carries the text alternative; the drawing itself is decoration to assistive technology.
    .replace(/^<svg /, '<svg aria-hidden="true" focusable="false" ');
  assertSafeSvg(svg);
  return raw(svg);
}
