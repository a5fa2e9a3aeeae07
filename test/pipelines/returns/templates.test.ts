import ExcelJS from 'exceljs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromIsoDate } from '../../../pipelines/calendar/days.js';
import { dataDictionaryMarkdown } from '../../../pipelines/returns/data-dictionary.js';
import { aggregateFields, participantFields } from '../../../pipelines/returns/fields.js';
import { returnJsonSchema } from '../../../pipelines/returns/json-schema.js';
import { csvTemplate, xlsxTemplate } from '../../../pipelines/returns/templates.js';
import { toParticipantRows } from '../../../pipelines/validate/typed-return.js';
import { validateReturn } from '../../../pipelines/validate/validate-return.js';
import { readFirstSheet } from '../../../pipelines/xlsx/read.js';

const today = fromIsoDate('2026-11-26');

describe('the CSV template', () => {
  it('is the heading row of every field, in order', () => {
    expect(csvTemplate('participant')).toBe(
      participantFields.map((f) => f.name).join(',') + '\r\n',
    );
    expect(csvTemplate('aggregate')).toBe('measure,breakdown,breakdown_value,count\r\n');
  });
});

describe('the XLSX template', () => {
  it('has the heading row, a data dictionary with every code, and drop-downs for codes', async () => {
    const bytes = xlsxTemplate('participant');
    const sheet = readFirstSheet(bytes);
    expect(sheet.ok && sheet.rows[0]).toEqual(participantFields.map((f) => f.name));

    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual([
      'Return',
      'Data dictionary',
      'How to fill this in',
    ]);
    const dictionary = book.getWorksheet('Data dictionary')!;
    const benefitRow = dictionary
      .getRows(2, participantFields.length)!
      .find((r) => r.getCell(1).value === 'benefit')!;
    expect(String(benefitRow.getCell(5).value)).toContain(
      'income_support_incapacity (Income Support on incapacity grounds)',
    );
    const engagementColumn = participantFields.findIndex((f) => f.name === 'engagement') + 1;
    const validation = book.getWorksheet('Return')!.getCell(2, engagementColumn).dataValidation;
    expect(validation).toMatchObject({ type: 'list' });
    expect(JSON.stringify(validation.formulae)).toContain('mandatory,voluntary');
  });

  it('filled in by another spreadsheet program, with real date cells, is accepted', async () => {
    // exceljs stands in for a provider's spreadsheet program: it opens our template, adds rows
    // (dates as date cells, numbers as numbers) and saves the workbook its own way.
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(xlsxTemplate('participant')) as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Return')!;
    const col = (name: string) => participantFields.findIndex((f) => f.name === name) + 1;
    const put = (row: number, values: Record<string, unknown>) => {
      for (const [k, v] of Object.entries(values))
        sheet.getCell(row, col(k)).value = v as ExcelJS.CellValue;
    };
    put(2, {
      participant_id: 'X-1',
      referral_date: new Date(Date.UTC(2025, 0, 6)),
      engagement: 'voluntary',
      benefit: 'esa',
      primary_condition_group: 'cancer',
      sex: 'male',
      age_band: '50_59',
      work_status_at_referral: 'off_sick',
      support_tier: 2,
      first_contact_date: new Date(Date.UTC(2025, 0, 8)),
      job_entry_date: new Date(Date.UTC(2025, 1, 3)),
    });
    put(4, {
      participant_id: 'X-2',
      referral_date: '14/01/2025',
      engagement: 'mandatory',
      benefit: 'none',
      primary_condition_group: 'musculoskeletal',
      sex: 'female',
      age_band: '25_34',
      work_status_at_referral: 'unemployed',
    });
    const bytes = new Uint8Array(await book.xlsx.writeBuffer());
    const result = validateReturn(bytes, 'filled.xlsx', { period: '2025-02', today });
    expect(result.report.problems).toEqual([]);
    expect(result.report.file.format).toBe('xlsx');
    if (result.status !== 'accepted') return;
    const rows = toParticipantRows(result.data);
    expect(
      rows.map((r) => [r.participant_id, r.referral_date, r.job_entry_date, r.support_tier]),
    ).toEqual([
      ['X-1', '2025-01-06', '2025-02-03', 2],
      ['X-2', '2025-01-14', null, null],
    ]);
    // Row 3 was left empty: the second participant keeps its spreadsheet row number.
    expect(Array.from(result.data.rowNumbers)).toEqual([2, 4]);
  });

  it('reports problems in a workbook by the row numbers the spreadsheet shows', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Return');
    sheet.addRow(participantFields.map((f) => f.name));
    const row = (values: Record<string, unknown>) =>
      participantFields.map((f) => values[f.name] ?? null);
    const ok = {
      participant_id: 'W-1',
      referral_date: '2025-01-06',
      engagement: 'mandatory',
      benefit: 'esa',
      primary_condition_group: 'other',
      sex: 'female',
      age_band: '16_24',
      work_status_at_referral: 'unemployed',
    };
    sheet.addRow(row(ok));
    sheet.addRow(row({ ...ok, participant_id: 'W-2', sustained_26_weeks_date: '2025-02-01' }));
    sheet.addRow(row({ ...ok, participant_id: 'someone@example.com' }));
    const result = validateReturn(new Uint8Array(await book.xlsx.writeBuffer()), 'bad.xlsx', {
      period: '2025-02',
      today,
    });
    expect(result.status).toBe('rejected');
    expect(result.report.problems.map((p) => [p.rule, p.row, p.column])).toEqual([
      ['row.missing_companion', 3, 'sustained_26_weeks_date'],
      ['personal_data.email', 4, 'participant_id'],
    ]);
  });
});

describe('the JSON Schema', () => {
  it('describes both kinds of return from the same fields', () => {
    const schema = returnJsonSchema() as {
      $defs: Record<
        string,
        { properties: Record<string, { description?: string }>; required: string[] }
      >;
    };
    expect(Object.keys(schema.$defs.participant_row!.properties)).toEqual(
      participantFields.map((f) => f.name),
    );
    expect(Object.keys(schema.$defs.aggregate_row!.properties)).toEqual(
      aggregateFields.map((f) => f.name),
    );
    expect(schema.$defs.participant_row!.required).toEqual(
      participantFields.filter((f) => f.required).map((f) => f.name),
    );
    expect(schema.$defs.participant_row!.properties.participant_id!.description).toMatch(
      /pseudonymous/,
    );
  });
});

describe('docs/data-dictionary.md', () => {
  it('is what the field definitions generate (run `npm run outturn -- docs`)', async () => {
    const onDisk = await readFile(
      join(import.meta.dirname, '../../../docs/data-dictionary.md'),
      'utf8',
    );
    expect(onDisk).toBe(dataDictionaryMarkdown());
  });
});
