/**
 * The return templates providers fill in: a CSV with the heading row, and an XLSX with the
 * same heading row (code columns offer their allowed codes as a drop-down) plus a data
 * dictionary sheet. Both come from the field lists, so they never drift from the validator.
 */
import { csvLine } from '../csv/write.js';
import { writeXlsx, type SheetSpec } from '../xlsx/write.js';
import { allowedValues, typeLabel } from './describe.js';
import { fieldsFor, type ReturnKind } from './fields.js';

/** The heading row, in template order. */
export function templateHeader(kind: ReturnKind): string[] {
  return fieldsFor(kind).map((f) => f.name);
}

export function csvTemplate(kind: ReturnKind): string {
  return csvLine(templateHeader(kind));
}

/** Rows of the XLSX data sheet that offer drop-downs for codes. */
const DROPDOWN_ROWS = 50_000;

export function xlsxTemplate(kind: ReturnKind): Uint8Array {
  const fields = fieldsFor(kind);
  const data: SheetSpec = {
    name: kind === 'participant' ? 'Return' : 'Aggregate return',
    header: true,
    rows: [templateHeader(kind)],
    columnWidths: fields.map((f) => Math.max(14, f.name.length + 2)),
    listValidations: fields.flatMap((f, column) =>
      f.type === 'code'
        ? [{ column, firstRow: 2, lastRow: DROPDOWN_ROWS, values: f.codes.map((c) => c.code) }]
        : [],
    ),
  };
  const dictionary: SheetSpec = {
    name: 'Data dictionary',
    header: true,
    rows: [
      ['Column', 'Name', 'Required', 'Type', 'Allowed codes', 'Description'],
      ...fields.map((f) => [
        f.name,
        f.label,
        f.required ? 'Yes' : 'No',
        typeLabel(f),
        allowedValues(f),
        f.description,
      ]),
    ],
    columnWidths: [28, 28, 10, 30, 60, 80],
  };
  const guidance: SheetSpec = {
    name: 'How to fill this in',
    rows: [
      ['How to fill in this return'],
      [''],
      [
        kind === 'participant'
          ? 'Put one row on the Return sheet for every participant referred to the contract up to the end of the month, with the date of every milestone they have reached so far.'
          : 'Put one row on the Aggregate return sheet for each measure, with the count for the month. Add rows with a breakdown and breakdown value for each breakdown your contract asks for.',
      ],
      [
        'Keep the heading row exactly as it is. Leave a cell blank when a milestone has not happened yet.',
      ],
      [
        'Write dates as YYYY-MM-DD or DD/MM/YYYY. Use the codes listed on the Data dictionary sheet.',
      ],
      [
        'Never enter names, National Insurance numbers, NHS numbers, dates of birth, addresses, postcodes, phone numbers or email addresses: the return will be refused.',
      ],
      ['Upload the workbook as it is, or save the Return sheet as "CSV UTF-8 (Comma delimited)".'],
    ],
    columnWidths: [140],
  };
  return writeXlsx([data, dictionary, guidance]);
}
