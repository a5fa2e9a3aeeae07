/** Returns of a given size for the benches: the demo's rows repeated with fresh references. */
import { generateDemo } from '../pipelines/demo/index.js';

export const contract = 'plp-bsol-meridian';
export const period = '2026-03';

/** Demo rows repeated, with fresh references, to `bytes` characters. */
export function plainCsv(bytes: number): string {
  const lines = generateDemo().returnCsv(contract, period).split('\r\n').filter(Boolean);
  const [header, ...body] = lines;
  const out = [header!];
  let size = header!.length;
  for (let i = 0; size < bytes; i++) {
    const row = body[i % body.length]!;
    const line = `P-${i}${row.slice(row.indexOf(','))}`;
    out.push(line);
    size += line.length + 2;
  }
  return out.join('\r\n') + '\r\n';
}

export function badCsv(bytes: number): string {
  return plainCsv(bytes)
    .replace(/\r\nP-/g, '\r\nP ')
    .replace(/(\d{4})-(\d{2})-(\d{2})/g, '$1/$2/$3');
}
