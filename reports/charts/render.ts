/**
 * ECharts on the server: an option in, an SVG string out, no DOM and no script in the page.
 *
 * Each chart gets its own instance, disposed at once so a busy server does not keep them.
 * ECharts escapes the text it draws; we then check the SVG carries nothing a page could load
 * or run (no script, no event handlers, no external references), because it goes into the page
 * as trusted markup.
 */
import { createHash } from 'node:crypto';
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

/**
 * Charts already drawn, by their option and size: the same figures give the same drawing, and
 * ECharts takes tens of milliseconds a chart, so a page varied by a filter that does not change
 * a chart (the funnel plot under the month filter) draws it once. Bounded by bytes, least
 * recently used out first; nothing in it depends on who asked.
 */
const MAX_DRAWN_BYTES = 16 * 1024 * 1024;
const drawn = new Map<string, string>();
let drawnBytes = 0;

/**
 * Axis label formatters are pure functions of a number: one is told apart from another by its
 * source and what it makes of a few numbers (two closures of the same source can differ).
 */
function fingerprintFunctions(_key: string, value: unknown): unknown {
  if (typeof value !== 'function') return value;
  const f = value as (v: number) => unknown;
  return `${f.toString()}|${[0, 0.25, 1, 1234.5].map((v) => String(f(v))).join('|')}`;
}

/** The SVG of a chart (ECharts, server side), drawn once for the same option and size. */
export function renderSvg(option: ChartOption, size: ChartSize): Html {
  const key = createHash('sha256')
    .update(JSON.stringify([option, size.width, size.height], fingerprintFunctions))
    .digest('base64');
  const hit = drawn.get(key);
  if (hit !== undefined) {
    drawn.delete(key);
    drawn.set(key, hit);
    return raw(hit);
  }
  const svg = drawSvg(option, size);
  drawn.set(key, svg);
  drawnBytes += svg.length;
  for (const [k, v] of drawn) {
    if (drawnBytes <= MAX_DRAWN_BYTES) break;
    drawn.delete(k);
    drawnBytes -= v.length;
  }
  return raw(svg);
}

function drawSvg(option: ChartOption, size: ChartSize): string {
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
  return svg;
}
