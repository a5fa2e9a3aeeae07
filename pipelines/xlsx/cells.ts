/**
 * Cell references the way a spreadsheet user sees them: columns `A`…`XFD`, rows from 1.
 * Code counts columns from 0 (an index into a row array) and rows as the spreadsheet does.
 */

/** Excel's own limits; a reference outside them is damage, not data. */
export const MAX_SHEET_COLUMNS = 16_384;
export const MAX_SHEET_ROWS = 1_048_576;

/** `0` → `A`, `25` → `Z`, `26` → `AA`. */
export function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  }
  return name;
}

/** `D14` for column index 3, row 14. */
export function cellName(column: number, row: number): string {
  return `${columnName(column)}${row}`;
}

/**
 * The column index of a reference such as `C7` or `$C$7` (the row part is not needed: rows carry
 * their own number), or -1 when it is not a reference inside Excel's grid.
 */
export function columnOfRef(ref: string): number {
  let i = ref.charCodeAt(0) === 0x24 ? 1 : 0;
  let column = 0;
  const start = i;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i) | 0x20; // lower-case letters
    if (c < 0x61 || c > 0x7a) break;
    column = column * 26 + (c - 0x60);
    if (column > MAX_SHEET_COLUMNS) return -1;
  }
  if (i === start || i - start > 3) return -1;
  if (ref.charCodeAt(i) === 0x24) i++;
  if (i >= ref.length) return -1;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -1;
  }
  return column - 1;
}

/** Characters as a person counts them: a code point each, so an emoji is one, not two. */
export function characterCount(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}
