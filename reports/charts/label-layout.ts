/**
 * Where to put the names of points on a scatter so no two overlap: ECharts' own `labelLayout`
 * is not applied when it draws on the server, so the labels are spread here, in pixels of an
 * estimated plot area, and handed to ECharts as each label's offset.
 *
 * @example spreadLabels([{ x: 10, y: 0.2, text: 'Acme', side: 'right' }, { x: 11, y: 0.2, text: 'North', side: 'right' }], frame) // [0, 16]
 */

export interface LabelFrame {
  /** The axes' ranges, as the chart draws them (set explicitly on the axes). */
  x: readonly [number, number];
  y: readonly [number, number];
  /** The plot area in pixels, roughly: the chart's size less its margins and axis labels. */
  width: number;
  height: number;
  /** Label text size in pixels. */
  fontSize: number;
}

export interface PlacedLabel {
  x: number;
  y: number;
  text: string;
  side: 'left' | 'right';
}

/** About how wide ECharts measures text, per character, as a share of the font size. */
const CHARACTER_SHARE = 0.55;

/**
 * The vertical offset, in pixels, of each label from its point: labels whose text would cross
 * are moved down one below the other, the topmost first, in the order of their points.
 */
export function spreadLabels(labels: readonly PlacedLabel[], frame: LabelFrame): number[] {
  const px = (v: number) => ((v - frame.x[0]) / (frame.x[1] - frame.x[0] || 1)) * frame.width;
  const py = (v: number) => ((frame.y[1] - v) / (frame.y[1] - frame.y[0] || 1)) * frame.height;
  const line = frame.fontSize + 3;
  const boxes = labels.map((l, i) => {
    const width = l.text.length * frame.fontSize * CHARACTER_SHARE + 10;
    const left = l.side === 'right' ? px(l.x) : px(l.x) - width;
    return { i, left, right: left + width, y: py(l.y) };
  });
  const placed: { left: number; right: number; y: number }[] = [];
  const offsets = labels.map(() => 0);
  for (const box of [...boxes].sort((a, b) => a.y - b.y || a.i - b.i)) {
    // Below every label already placed that this one would cross, lowest first, until clear.
    let y = box.y;
    for (const other of placed
      .filter((p) => box.left < p.right && p.left < box.right)
      .sort((a, b) => a.y - b.y))
      if (Math.abs(y - other.y) < line) y = other.y + line;
    placed.push({ left: box.left, right: box.right, y });
    offsets[box.i] = Math.round(y - box.y);
  }
  return offsets;
}
