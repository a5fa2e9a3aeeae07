/**
 * Writes the demo to a folder:
 *
 *   reference/{programmes,providers,contracts,profiles}.json   JSON arrays, pretty-printed
 *   returns/<contract_id>/<YYYY-MM>.csv                       one caseload snapshot per return
 *   returns/<contract_id>/<YYYY-MM>.v2.csv                    the second version of a resubmission
 *   returns/manifest.json                                     every submission, in submission order
 *   anomalies.json                                            the planted anomalies (the answer key)
 *
 * Returns are streamed to their files in chunks, one contract at a time, so memory stays at
 * one contract's participants whatever the scale. Existing files of the same names are
 * replaced; nothing else in the folder is touched.
 */
import { mkdir, open, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { referenceFiles } from '../reference/schema.js';
import { generateDemo, type DemoOptions } from './generate.js';

export interface DemoSummary {
  dir: string;
  /** Files written, reference and manifest included. */
  files: number;
  /** Participant rows over all returns. */
  rows: number;
  bytes: number;
}

const json = (value: unknown) => JSON.stringify(value, null, 2) + '\n';

/**
 * @example
 * const summary = await writeDemo('/tmp/outturn-demo', { scale: 1 });
 */
export async function writeDemo(dir: string, options: DemoOptions = {}): Promise<DemoSummary> {
  const demo = generateDemo(options);
  const summary: DemoSummary = { dir, files: 0, rows: 0, bytes: 0 };
  const put = async (relative: string, text: string) => {
    const path = join(dir, relative);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
    summary.files++;
    summary.bytes += Buffer.byteLength(text);
  };

  for (const key of Object.keys(referenceFiles) as (keyof typeof referenceFiles)[])
    await put(join('reference', referenceFiles[key].file), json(demo.reference[key]));

  for (const contract of demo.reference.contracts) {
    await mkdir(join(dir, 'returns', contract.id), { recursive: true });
    for (const s of demo.submissions) {
      if (s.contract_id !== contract.id) continue;
      const file = await open(join(dir, s.file), 'w');
      try {
        for (const chunk of demo.returnChunks(s.contract_id, s.period, s.version)) {
          await file.write(chunk);
          summary.bytes += chunk.length;
        }
      } finally {
        await file.close();
      }
      summary.files++;
      summary.rows += demo.rowCount(s.contract_id, s.period, s.version);
    }
  }

  await put(join('returns', 'manifest.json'), json(demo.submissions));
  await put('anomalies.json', json(demo.anomalies()));
  return summary;
}
