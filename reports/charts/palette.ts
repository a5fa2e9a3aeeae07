/**
 * GOV.UK colours and, for each series, a line pattern and marker that differ as well as the
 * colour, so series can be told apart by people who cannot see the difference in hue and on a
 * black-and-white print (WCAG 1.4.1, use of colour).
 *
 * Orange (#f47738) is under 3:1 against white, too faint for a line that carries meaning on its
 * own (WCAG 1.4.11), so it comes last and is used for reference lines beside a darker one.
 */
export const colours = {
  blue: '#1d70b8',
  red: '#d4351c',
  green: '#00703c',
  orange: '#f47738',
  grey: '#505a5f',
  black: '#0b0c0c',
  midGrey: '#b1b4b6',
  purple: '#4c2c92',
  pink: '#d53880',
  brown: '#99704a',
  darkBlue: '#003078',
} as const;

export interface SeriesStyle {
  colour: string;
  /** ECharts line type: 'solid', or a dash array in pixels. */
  dash: 'solid' | number[];
  symbol:
    | 'circle'
    | 'triangle'
    | 'rect'
    | 'diamond'
    | 'emptyCircle'
    | 'emptyTriangle'
    | 'emptyRect'
    | 'emptyDiamond';
}

/** Eight colours, eight dash patterns and eight markers: the first eight series differ in all three. */
const seriesColours = [
  colours.blue,
  colours.grey,
  colours.green,
  colours.red,
  colours.orange,
  colours.purple,
  colours.pink,
  colours.brown,
] as const;
const seriesDashes: readonly SeriesStyle['dash'][] = [
  'solid',
  [8, 4],
  [2, 3],
  [10, 3, 2, 3],
  [4, 4],
  [12, 3],
  [6, 2, 2, 2, 2, 2],
  [1, 5],
];
const seriesSymbols: readonly SeriesStyle['symbol'][] = [
  'circle',
  'triangle',
  'rect',
  'diamond',
  'emptyCircle',
  'emptyTriangle',
  'emptyRect',
  'emptyDiamond',
];

export const seriesStyles: readonly SeriesStyle[] = seriesColours.map((colour, i) => ({
  colour,
  dash: seriesDashes[i]!,
  symbol: seriesSymbols[i]!,
}));

/**
 * The style of the `index`th series. Past the eighth, the colour repeats but the dash pattern
 * and marker shift by one per round, so no two of the first 64 series look alike.
 *
 * @example seriesStyle(8) // blue like the first, with the second's dash and the third's marker
 */
export function seriesStyle(index: number): SeriesStyle {
  const n = seriesColours.length;
  const round = Math.floor(index / n);
  return {
    colour: seriesColours[index % n]!,
    dash: seriesDashes[(index + round) % n]!,
    symbol: seriesSymbols[(index + 2 * round) % n]!,
  };
}

/** How a series looks when another is highlighted: the same pattern, thin and pale, behind it. */
export const backgroundSeries = { colour: colours.midGrey, width: 2 } as const;

/** Options every chart shares: no animation (there is no browser to play it), GOV.UK type and text colour. */
export const baseOption = {
  animation: false,
  textStyle: {
    fontFamily:
      'GDS Transport, arial, sans-serif' /* unquoted: ECharts puts it in a double-quoted style attribute without escaping */,
    color: colours.black,
    fontSize: 14,
  },
  grid: { left: 16, right: 24, top: 48, bottom: 16, containLabel: true },
  legend: { top: 0, left: 0, itemWidth: 32, textStyle: { color: colours.black, fontSize: 14 } },
} as const;

const LEGEND_ROW = 24;
/** About how wide ECharts measures 14 px text, per character, a little over: enough to count the legend's rows. */
const CHARACTER_WIDTH = 6.6;

/**
 * A legend under the plot, never over it: entries packed into rows of the chart's width, and the
 * extra height those rows take. ECharts would put a legend that wraps over the plot's top.
 *
 * @example legendBelow(['Actual', 'Profile'], 640) // { legend: { bottom: 0, … }, rows: 1, height: 24 }
 */
export function legendBelow(names: readonly string[], width: number) {
  const available = width - 32;
  let rows = names.length ? 1 : 0;
  let used = 0;
  for (const name of names) {
    const item = 32 + 5 + name.length * CHARACTER_WIDTH + 12;
    if (used > 0 && used + item > available) {
      rows++;
      used = 0;
    }
    used += item;
  }
  return {
    legend: {
      ...baseOption.legend,
      top: undefined,
      bottom: 0,
      left: 0,
      width: available,
      itemGap: 12,
    },
    rows,
    height: rows * LEGEND_ROW,
  };
}
