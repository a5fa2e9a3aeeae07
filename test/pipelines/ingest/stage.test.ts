import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromIsoDate } from '../../../pipelines/calendar/days.js';
import { writeStagedParquet, type StagedMeta } from '../../../pipelines/ingest/stage.js';
import { stagedColumns } from '../../../pipelines/ingest/staged-schema.js';
import { participantFields } from '../../../pipelines/returns/fields.js';
import type { TypedColumn, TypedReturn } from '../../../pipelines/validate/typed-return.js';
import { parquet, parquetSchema, query } from './helpers.js';

const meta: StagedMeta = {
  contractId: 'agg-test',
  period: '2025-03',
  version: 3,
  receiptId: '20250414T101502123Z-ab12cd34',
  submittedAt: '2025-04-14T10:15:02.123Z',
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'outturn-stage-test-'));
});

/** An aggregate return of n rows, across several data chunks, with every kind of text column. */
function aggregate(n: number): TypedReturn {
  const measure: (string | null)[] = [];
  const breakdownValue: (string | null)[] = [];
  const count = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    measure.push(i === 7 ? 'it\'s "quoted", café' : `m-${i}`); // unique: more than the dictionary holds
    breakdownValue.push(i % 3 === 0 ? null : i % 3 === 1 ? 'mandatory' : "o'brien");
    count[i] = i % 10 === 0 ? NaN : i * 7;
  }
  return {
    kind: 'aggregate',
    rowCount: n,
    rowNumbers: Int32Array.from({ length: n }, (_, i) => i + 2),
    columns: {
      measure,
      breakdown: new Array<string | null>(n).fill(null),
      breakdown_value: breakdownValue,
      count,
    },
  };
}

describe('writeStagedParquet', () => {
  it('writes every value exactly, across data chunks, with text and blanks kept', async () => {
    const n = 5000;
    const data = aggregate(n);
    const path = join(dir, 'agg.parquet');
    expect(await writeStagedParquet(data, meta, path)).toEqual({ rows: n });

    expect(await parquetSchema(path)).toEqual(
      stagedColumns('aggregate').map((c) => ({ name: c.name, type: c.type })),
    );
    const rows = await query(
      `SELECT row_number, measure, breakdown, breakdown_value, count FROM ${parquet(path)}`,
    );
    expect(rows).toHaveLength(n);
    const expected = Array.from({ length: n }, (_, i) => ({
      row_number: i + 2,
      measure: (data.columns.measure as (string | null)[])[i],
      breakdown: null,
      breakdown_value: (data.columns.breakdown_value as (string | null)[])[i],
      count: i % 10 === 0 ? null : i * 7,
    }));
    expect(rows).toEqual(expected);

    const constants = await query(
      `SELECT DISTINCT contract_id, period, version, receipt_id, CAST(submitted_at AS VARCHAR) AS submitted_at FROM ${parquet(path)}`,
    );
    expect(constants).toEqual([
      {
        contract_id: 'agg-test',
        period: '2025-03',
        version: 3,
        receipt_id: meta.receiptId,
        submitted_at: '2025-04-14 10:15:02.123',
      },
    ]);
  });

  it('writes an empty return as a file with the columns and no rows', async () => {
    const path = join(dir, 'empty.parquet');
    await writeStagedParquet(aggregate(0), meta, path);
    expect(await parquetSchema(path)).toEqual(
      stagedColumns('aggregate').map((c) => ({ name: c.name, type: c.type })),
    );
    expect(await query(`SELECT count(*)::INTEGER AS n FROM ${parquet(path)}`)).toEqual([{ n: 0 }]);
  });

  it('stores day numbers as the calendar dates they are, including leap days and blanks', async () => {
    const dates = ['2024-02-29', '1999-12-31', '2025-01-01'];
    const columns: Record<string, TypedColumn> = {};
    for (const f of participantFields)
      columns[f.name] =
        f.type === 'date' || f.type === 'integer' || f.type === 'number'
          ? new Float64Array(4).fill(NaN)
          : new Array<string | null>(4).fill(null);
    const referral = columns.referral_date as Float64Array;
    dates.forEach((d, i) => (referral[i] = fromIsoDate(d)));
    const path = join(dir, 'dates.parquet');
    await writeStagedParquet(
      { kind: 'participant', rowCount: 4, rowNumbers: Int32Array.from([2, 3, 4, 5]), columns },
      meta,
      path,
    );
    const rows = await query(
      `SELECT CAST(referral_date AS VARCHAR) AS d, participant_id FROM ${parquet(path)}`,
    );
    expect(rows).toEqual([
      ...dates.map((d) => ({ d, participant_id: null })),
      { d: null, participant_id: null },
    ]);
  });

  it('refuses typed columns that do not match the staged schema', async () => {
    const data = aggregate(3);
    delete data.columns.count;
    await expect(writeStagedParquet(data, meta, join(dir, 'bad.parquet'))).rejects.toThrow(
      /no column "count"/,
    );
    const wrong = aggregate(3);
    wrong.columns.count = ['1', '2', '3'];
    await expect(writeStagedParquet(wrong, meta, join(dir, 'bad.parquet'))).rejects.toThrow(
      /"count" holds text but is staged as INTEGER/,
    );
  });
});
