/**
 * Reference data as spreadsheets save it: files made by LibreOffice Calc
 * (test/fixtures/reference-from-excel/make.py, committed with them) whose months are date cells
 * ("Oct-24" for 2024-10), whose money is currency ("£1,200.00"), and whose CSVs are Windows-1252
 * with "Ynys Môn" in them. Each is accepted and read as the same reference data.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { referenceCsv } from '../../../pipelines/reference/upload/export.js';
import {
  amountAsSaved,
  checkReferenceUpload,
  monthAsSaved,
} from '../../../pipelines/reference/upload/parse.js';
import { testReference } from '../../fixtures/reference.js';

const dir = join(import.meta.dirname, '..', '..', 'fixtures', 'reference-from-excel');
const current = testReference();
const upload = async (kind: 'contracts' | 'profiles', file: string) =>
  checkReferenceUpload({
    kind,
    bytes: new Uint8Array(await readFile(join(dir, file))),
    fileName: file,
    current,
  });

describe('reference data saved from a spreadsheet', () => {
  it('is what LibreOffice wrote: date cells shown as months, currency, Windows-1252', async () => {
    const csv = await readFile(join(dir, 'contracts-1252.csv'));
    // "Ynys Môn": ô is the single byte 0xF4 in Windows-1252, not UTF-8's two.
    expect(csv.includes(Buffer.from([0x59, 0x6e, 0x79, 0x73, 0x20, 0x4d, 0xf4, 0x6e]))).toBe(true);
    expect(csv.toString('latin1')).toContain(',Oct-24,Sep-27,\xa3300.00,"\xa31,200.00",');
  });

  for (const file of ['contracts.xlsx', 'contracts-1252.csv'])
    it(`accepts contracts from ${file}`, async () => {
      const { status, report, data } = await upload('contracts', file);
      expect(report.problems).toEqual([]);
      expect(status).toBe('accepted');
      const [plp, vrs, agg] = data!.contracts;
      expect(plp).toMatchObject({
        id: 'plp-test',
        area: { code: 'D01', name: 'Ynys Môn' },
        start_period: '2024-10',
        end_period: '2027-09',
        payment: { service_fee_per_start: 300, job_outcome_payment: 1200, sustained_payment: 800 },
        nation: 'england-and-wales',
      });
      expect(vrs!.nation).toBe('scotland');
      expect(agg!.nation).toBe('england-and-wales');
      // Everything else as in force (the subcontractors kept, as for any upload).
      expect(data!.contracts.map((c) => ({ ...c, area: c.area.code }))).toEqual(
        current.contracts.map((c, i) => ({
          ...c,
          area: c.area.code,
          nation: [plp, vrs, agg][i]!.nation,
        })),
      );
    });

  for (const file of ['profiles.xlsx', 'profiles-1252.csv'])
    it(`accepts profiles from ${file}`, async () => {
      const { status, report, data } = await upload('profiles', file);
      expect(report.problems).toEqual([]);
      expect(status).toBe('accepted');
      expect(data!.profiles).toEqual([
        { contract_id: 'plp-test', measure_id: 'referrals', period: '2025-01', target: 20 },
        { contract_id: 'plp-test', measure_id: 'referrals', period: '2025-02', target: 1250 },
      ]);
    });

  it('reads the month forms spreadsheets save, and leaves the rest for the schema to explain', () => {
    for (const [seen, month] of [
      ['2023-04', '2023-04'],
      ['2023-04-01', '2023-04'],
      ['2023-04-01 00:00:00', '2023-04'],
      ['01/04/2023', '2023-04'],
      ['1/4/2023 00:00', '2023-04'],
      ['Apr-23', '2023-04'],
      ['apr-2023', '2023-04'],
      ['April 2023', '2023-04'],
      ['Sept 2023', '2023-09'],
    ])
      expect(monthAsSaved(seen!), seen).toBe(month);
    // Not a month, or not the first of one: unchanged, so the report names it.
    for (const seen of ['2023-04-15', '15/04/2023', 'Apx-23', '2023/04', '04/2023'])
      expect(monthAsSaved(seen), seen).toBe(seen);
  });

  it('reads amounts written as money, and leaves malformed ones to be refused', () => {
    for (const [seen, plain] of [
      ['£1,500.00', '1500.00'],
      ['1,500', '1500'],
      ['£300', '300'],
      ['£ 12,345,678.5', '12345678.5'],
      ['-£20.00', '-20.00'],
    ])
      expect(amountAsSaved(seen!), seen).toBe(plain);
    for (const seen of ['1,50', '£1,5000', '$300', '12,34.5'])
      expect(amountAsSaved(seen), seen).toBe(seen);
    const bad = checkReferenceUpload({
      kind: 'profiles',
      bytes: new TextEncoder().encode(
        'contract_id,measure_id,period,target\nplp-test,referrals,Jan-25,"1,50"\n',
      ),
      fileName: 'profiles.csv',
      current,
    });
    expect(bad.status).toBe('rejected');
    expect(bad.report.problems).toContainEqual(
      expect.objectContaining({
        row: 2,
        column: 'target',
        value: '1,50',
        message: '"1,50" is not a number.',
      }),
    );
  });

  it('downloads the contracts and profiles in force as files that upload back to the same data', () => {
    for (const kind of ['contracts', 'profiles'] as const) {
      const csv = referenceCsv(kind, current);
      expect(csv.startsWith('\uFEFF')).toBe(true);
      const back = checkReferenceUpload({
        kind,
        bytes: new TextEncoder().encode(csv),
        fileName: `${kind}.csv`,
        current,
      });
      expect(back.report.problems, kind).toEqual([]);
      expect(back.data![kind]).toEqual(current[kind]);
    }
  });
});
