import { describe, expect, it } from 'vitest';
import {
  Z_95,
  Z_998,
  controlLimits,
  funnelPosition,
  pooledRate,
  volumeRange,
} from '../../reports/charts/control-limits.js';
import { funnelPlot } from '../../reports/charts/funnel-plot.js';
import { lineChart } from '../../reports/charts/line.js';
import { assertSafeSvg, styleAsAttributes, UnsafeSvgError } from '../../reports/charts/render.js';
import { colours, seriesStyle } from '../../reports/charts/palette.js';
import { spreadLabels } from '../../reports/charts/label-layout.js';
import { assertWellFormed, tableRows, textOf } from './markup.js';

const svgOf = (figure: string) => /<svg[\s\S]*<\/svg>/.exec(figure)?.[0] ?? '';
const ariaLabelOf = (figure: string) => /role="img" aria-label="([^"]*)"/.exec(figure)?.[1] ?? '';

/** No script, no handlers, nothing fetched: every href and url() points inside the SVG. */
function expectSelfContained(svg: string) {
  expect(svg).not.toMatch(/<script/i);
  expect(svg).not.toMatch(/\son[a-z]+=/i);
  expect(svg).not.toMatch(/<(image|foreignObject|style)/i);
  // The pages' CSP has no 'unsafe-inline' for styles: text styles are presentation attributes.
  expect(svg).not.toMatch(/\sstyle=/i);
  expect(svg).toMatch(/<text[^>]* font-family="GDS Transport, arial, sans-serif"/);
  for (const [, ref] of svg.matchAll(/(?:href\s*=\s*"|url\()([^")]*)/g))
    expect(ref!.startsWith('#')).toBe(true);
}

describe('lineChart', () => {
  const figure = lineChart({
    title: 'Referrals: actual against profile',
    categoryLabel: 'Month',
    categories: ['Jan 2025', 'Feb 2025', 'Mar 2025'],
    valueLabel: 'Referrals',
    series: [
      { name: 'Actual', values: [3, 2, 1] },
      { name: 'Profile', values: [3, 2, 2] },
    ],
  }).toString();
  const svg = svgOf(figure);

  it('renders well-formed, self-contained SVG', () => {
    expect(
      svg.startsWith('<svg aria-hidden="true" focusable="false" width="640" height="320"'),
    ).toBe(true);
    assertWellFormed(svg, { xml: true });
    expectSelfContained(svg);
    assertWellFormed(figure);
  });

  it('draws both series, told apart by dash pattern as well as colour', () => {
    expect(svg).toContain('>Actual</text>');
    expect(svg).toContain('>Profile</text>');
    const lines = [
      ...svg.matchAll(
        /<path d="M[^"]*" fill="none"[^>]*stroke="(#1d70b8|#505a5f)"[^>]*stroke-width="3"([^>]*)>/g,
      ),
    ];
    const blue = lines.filter((l) => l[1] === '#1d70b8');
    const grey = lines.filter((l) => l[1] === '#505a5f');
    expect(blue.length).toBeGreaterThan(0);
    expect(grey.length).toBeGreaterThan(0);
    expect(blue.every((l) => !l[2]!.includes('stroke-dasharray'))).toBe(true);
    expect(grey.every((l) => l[2]!.includes('stroke-dasharray="8,4"'))).toBe(true);
  });

  it('carries the numbers in its text alternative and its table', () => {
    expect(figure).toMatch(
      /<figure class="outturn-chart">\s*<figcaption[^>]*>Referrals: actual against profile<\/figcaption>/,
    );
    expect(ariaLabelOf(figure)).toBe(
      'Line chart. Referrals: actual against profile. Actual: 3 in Jan 2025, 2 in Feb 2025, 1 in Mar 2025. Profile: 3 in Jan 2025, 2 in Feb 2025, 2 in Mar 2025.',
    );
    expect(figure).toMatch(/<details class="govuk-details">[\s\S]*<table/);
    expect(tableRows(figure)).toEqual([
      ['Jan 2025', '3', '3'],
      ['Feb 2025', '2', '2'],
      ['Mar 2025', '1', '2'],
    ]);
  });

  it('escapes series names from the data', () => {
    const out = lineChart({
      title: 't',
      categoryLabel: 'c',
      categories: ['a'],
      valueLabel: 'v',
      series: [{ name: '<script>alert(1)</script>', values: [1] }],
    }).toString();
    expect(out).not.toContain('<script');
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    assertWellFormed(out);
  });

  it('gives each chart on a page its own clip-path ids', () => {
    const ids = (s: string) => [...s.matchAll(/<clipPath id="([^"]+)"/g)].map((m) => m[1]);
    const other = lineChart({
      title: 't',
      categoryLabel: 'c',
      categories: ['a', 'b'],
      valueLabel: 'v',
      series: [{ name: 'x', values: [1, 2] }],
    }).toString();
    expect(ids(svg).length).toBeGreaterThan(0);
    for (const id of ids(other)) expect(ids(svg)).not.toContain(id);
  });
});

/** Each text the SVG draws, with where ECharts put it. */
const texts = (svg: string) =>
  [
    ...svg.matchAll(/<text[^>]*transform="translate\(([\d.-]+) ([\d.-]+)\)"[^>]*>([^<]*)<\/text>/g),
  ].map((m) => ({ x: Number(m[1]), y: Number(m[2]), text: m[3]! }));

describe('a chart of many series', () => {
  const names = Array.from({ length: 8 }, (_, i) => `Provider number ${i + 1} (contract-${i + 1})`);
  const months = ['Jan 2025', 'Feb 2025', 'Mar 2025', 'Apr 2025'];
  const chartOf = (highlight?: number) =>
    svgOf(
      lineChart({
        title: 'Referrals: % of profile to date',
        categoryLabel: 'Month',
        categories: months,
        valueLabel: '% of profile',
        format: 'percent',
        series: names.map((name, i) => ({
          name,
          highlighted: i === highlight,
          values: months.map((_, m) => 0.5 + i * 0.03 + m * 0.01),
        })),
      }).toString(),
    );

  it('gives each of eight series its own colour, dash pattern and marker, and no two of 64 the same', () => {
    const first = Array.from({ length: 8 }, (_, i) => seriesStyle(i));
    expect(new Set(first.map((s) => s.colour)).size).toBe(8);
    expect(new Set(first.map((s) => JSON.stringify(s.dash))).size).toBe(8);
    expect(new Set(first.map((s) => s.symbol)).size).toBe(8);
    const all = Array.from({ length: 64 }, (_, i) => JSON.stringify(seriesStyle(i)));
    expect(new Set(all).size).toBe(64);
  });

  it('puts the legend under the plot, never over it', () => {
    const svg = chartOf();
    const drawn = texts(svg);
    const axis = drawn.filter((t) => months.includes(t.text));
    const legend = drawn.filter((t) => names.includes(t.text));
    expect(axis).toHaveLength(4);
    expect(legend.map((t) => t.text).sort()).toEqual([...names].sort());
    const lowestAxisLabel = Math.max(...axis.map((t) => t.y));
    for (const entry of legend) expect(entry.y).toBeGreaterThan(lowestAxisLabel);
    const height = Number(/height="(\d+)"/.exec(svg)![1]);
    for (const entry of legend) expect(entry.y).toBeLessThan(height);
  });

  it('draws a highlighted series on top and bold, the others pale behind it', () => {
    const svg = chartOf(2);
    const lines = [
      ...svg.matchAll(
        /<path d="M[^"]*" fill="none"[^>]*stroke="(#[0-9a-f]{6})"[^>]*stroke-width="(\d)"/g,
      ),
    ].map((m) => ({ colour: m[1], width: m[2] }));
    const bold = lines.filter((l) => l.width === '4');
    expect(bold.length).toBeGreaterThan(0);
    expect(bold.every((l) => l.colour === seriesStyle(2).colour)).toBe(true);
    expect(
      lines.filter((l) => l.colour === colours.midGrey && l.width === '2').length,
    ).toBeGreaterThanOrEqual(7);
    expect(chartOf()).not.toContain(`stroke="${colours.midGrey}" stroke-width="2"`);
  });
});

describe('spreadLabels', () => {
  it('moves crossing labels apart, and leaves apart ones where they are', () => {
    const frame = { x: [0, 100], y: [0, 1], width: 500, height: 300, fontSize: 12 } as const;
    const offsets = spreadLabels(
      [
        { x: 10, y: 0.5, text: 'Acme Employment', side: 'right' },
        { x: 12, y: 0.5, text: 'North NHS Trust', side: 'right' },
        { x: 11, y: 0.49, text: 'Core Works', side: 'right' },
        { x: 90, y: 0.5, text: 'Far away', side: 'left' },
      ],
      frame,
    );
    expect(offsets[0]).toBe(0);
    expect(offsets[3]).toBe(0);
    // Their tops 15 px (12 px text and a gap) or more apart, where each point is at 150 px.
    const tops = [150 + offsets[0]!, 150 + offsets[1]!, 153 + offsets[2]!].sort((a, b) => a - b);
    expect(tops[1]! - tops[0]!).toBeGreaterThanOrEqual(15);
    expect(tops[2]! - tops[1]!).toBeGreaterThanOrEqual(15);
  });
});

describe('control limits', () => {
  it('follows p̄ ± z·√(p̄(1−p̄)/n), worked by hand for p̄ = 0.16, n = 100', () => {
    // p̄(1−p̄)/n = 0.16 × 0.84 / 100 = 0.001344; √0.001344 = 0.0366606
    // 95%:   1.959964 × 0.0366606 = 0.0718535 → 0.0881465 to 0.2318535
    // 99.8%: 3.090232 × 0.0366606 = 0.1132898 → 0.0467102 to 0.2732898
    const inner = controlLimits(0.16, 100, Z_95);
    const outer = controlLimits(0.16, 100, Z_998);
    expect(inner.lower).toBeCloseTo(0.0881465, 6);
    expect(inner.upper).toBeCloseTo(0.2318535, 6);
    expect(outer.lower).toBeCloseTo(0.0467102, 6);
    expect(outer.upper).toBeCloseTo(0.2732898, 6);
  });

  it('clamps to 0 and 1, pools the rate by volume, and places providers', () => {
    expect(controlLimits(0.02, 5, Z_998).lower).toBe(0);
    expect(controlLimits(0.98, 5, Z_998).upper).toBe(1);
    // (30 + 5 + 45) / (200 + 80 + 220) = 80 / 500
    expect(
      pooledRate([
        { label: 'A', numerator: 30, denominator: 200 },
        { label: 'B', numerator: 5, denominator: 80 },
        { label: 'C', numerator: 45, denominator: 220 },
      ]),
    ).toBe(0.16);
    // At n = 80: se = √(0.1344 / 80) = 0.040988; 95% lower 0.0797, 99.8% lower 0.0333. 5/80 = 0.0625 sits between.
    expect(funnelPosition({ label: 'B', numerator: 5, denominator: 80 }, 0.16)).toBe('below 95%');
    expect(funnelPosition({ label: 'X', numerator: 1, denominator: 80 }, 0.16)).toBe('below 99.8%');
    // At n = 100 the 99.8% upper limit is 0.2733; 26/100 is above the 95% limit (0.2319) only.
    expect(funnelPosition({ label: 'Y', numerator: 26, denominator: 100 }, 0.16)).toBe('above 95%');
    expect(funnelPosition({ label: 'Z', numerator: 28, denominator: 100 }, 0.16)).toBe(
      'above 99.8%',
    );
    expect(funnelPosition({ label: 'A', numerator: 30, denominator: 200 }, 0.16)).toBe('within');
    const range = volumeRange(80, 220);
    expect(range[0]).toBe(64);
    expect(range[range.length - 1]).toBeCloseTo(264, 9);
  });
});

describe('funnelPlot', () => {
  const figure = funnelPlot({
    title: 'Job entry rate by provider',
    rateLabel: 'Job entry rate',
    numeratorLabel: 'Job entries',
    volumeLabel: 'Starts',
    points: [
      { label: 'Acme', numerator: 30, denominator: 200 },
      { label: 'Beta & Co', numerator: 5, denominator: 80 },
      { label: 'Core', numerator: 45, denominator: 220 },
    ],
  }).toString();
  const svg = svgOf(figure);

  it('draws the average, both pairs of limits and each provider', () => {
    assertWellFormed(svg, { xml: true });
    expectSelfContained(svg);
    for (const name of [
      'Programme average',
      '95% limits',
      '99.8% limits',
      'Providers',
      'Acme',
      'Beta &amp; Co',
      'Core',
    ])
      expect(svg).toContain(`>${name}</text>`);
    expect(svg).toMatch(/stroke="#d4351c"[^>]*stroke-dasharray="2,3"/);
  });

  it('says where each provider falls, in words and in the table', () => {
    expect(ariaLabelOf(figure)).toBe(
      'Funnel plot of job entry rate against starts for 3 providers. Programme average 16%. Outside the 95% limits: Beta &amp; Co (below the 95% limit).',
    );
    expect(tableRows(figure)).toEqual([
      ['Acme', '30', '200', '15%', 'Within the limits'],
      ['Beta & Co', '5', '80', '6.3%', 'Below the 95% limit'],
      ['Core', '45', '220', '20.5%', 'Within the limits'],
    ]);
    expect(textOf(figure)).toContain('Job entries');
  });

  it('names only the notable providers of many, the highlighted one among them, and says so', () => {
    const many = funnelPlot({
      title: 't',
      rateLabel: 'Job entry rate',
      numeratorLabel: 'Job entries',
      volumeLabel: 'Starts',
      points: [
        ...Array.from({ length: 7 }, (_, i) => ({
          label: `Within ${i + 1}`,
          numerator: 20 + i,
          denominator: 100 + i * 5,
          highlighted: i === 3,
        })),
        { label: 'Far below', numerator: 1, denominator: 150 },
      ],
    }).toString();
    const drawn = texts(svgOf(many)).map((t) => t.text);
    expect(drawn).toContain('Far below');
    expect(drawn).toContain('Within 4');
    expect(drawn).not.toContain('Within 1');
    expect(many).toContain(
      'The plot names the providers outside the 95% limits and the one highlighted; the 6 within them are in the figures under the chart.',
    );
    expect(ariaLabelOf(many)).toMatch(/Highlighted: Within 4\.$/);
    // Every provider is still in the table.
    expect(tableRows(many)).toHaveLength(8);
  });

  it('says there is nothing to compare when no provider has a denominator', () => {
    const out = funnelPlot({
      title: 't',
      rateLabel: 'Job entry rate',
      numeratorLabel: 'Job entries',
      volumeLabel: 'Starts',
      points: [{ label: 'A', numerator: 0, denominator: 0 }],
    }).toString();
    expect(out).not.toContain('<svg');
    expect(out).toContain('There are no starts yet');
  });
});

describe('assertSafeSvg', () => {
  it.each([
    '<svg><script>alert(1)</script></svg>',
    '<svg><rect onload="x()"/></svg>',
    '<svg><image href="https://example.com/a.png"/></svg>',
    '<svg><use xlink:href="other.svg#a"/></svg>',
    '<svg><rect fill="url(https://example.com/x)"/></svg>',
    '<svg><foreignObject></foreignObject></svg>',
    '<svg><text style="font-size:12px">a</text></svg>',
  ])('refuses %s', (svg) => {
    expect(() => assertSafeSvg(svg)).toThrow(UnsafeSvgError);
  });

  it('allows references within the SVG', () => {
    expect(() =>
      assertSafeSvg('<svg><g clip-path="url(#zr0-c0)"><use href="#a"/></g></svg>'),
    ).not.toThrow();
  });
});

describe('styleAsAttributes', () => {
  it('turns each declaration of a style attribute into the presentation attribute of that name', () => {
    expect(
      styleAsAttributes(
        '<text x="1" style="font-size:12px;font-family:GDS Transport, arial, sans-serif;" y="2">a</text>',
      ),
    ).toBe(
      '<text x="1" y="2" font-size="12px" font-family="GDS Transport, arial, sans-serif">a</text>',
    );
  });

  it('lets a declaration override an attribute of the same name, as the style did, and keeps self-closing tags', () => {
    expect(styleAsAttributes('<path fill="#fff" d="M0 0" style="fill:#0b0c0c;"/>')).toBe(
      '<path d="M0 0" fill="#0b0c0c"/>',
    );
  });
});
