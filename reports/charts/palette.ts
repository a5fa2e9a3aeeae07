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
} as const;

export interface SeriesStyle {
  colour: string;
  /** ECharts line type: 'solid', or a dash array in pixels. */
  dash: 'solid' | number[];
  symbol: 'circle' | 'triangle' | 'rect' | 'diamond' | 'emptyCircle';
}

export const seriesStyles: readonly SeriesStyle[] = [
  { colour: colours.blue, dash: 'solid', symbol: 'circle' },
  { colour: colours.grey, dash: [8, 4], symbol: 'triangle' },
  { colour: colours.green, dash: [2, 3], symbol: 'rect' },
  { colour: colours.red, dash: [10, 3, 2, 3], symbol: 'diamond' },
  { colour: colours.orange, dash: [4, 4], symbol: 'emptyCircle' },
];

export function seriesStyle(index: number): SeriesStyle {
  return seriesStyles[index % seriesStyles.length] ?? seriesStyles[0]!;
}

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
