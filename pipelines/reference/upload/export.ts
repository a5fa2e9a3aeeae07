/**
 * The contracts and the monthly profiles in force as the flat files the upload takes back
 * (uploadColumns), so a commissioner can download them, edit them in a spreadsheet and upload
 * them again. UTF-8 with a byte-order mark, so Excel shows "Ynys Môn" as written.
 */
import { csvLine } from '../../csv/write.js';
import { writeXlsx } from '../../xlsx/write.js';
import type { Contract, Profile, ReferenceData } from '../schema.js';
import { uploadColumns, type UploadKind } from './parse.js';

function contractCells(
  c: Contract,
): Record<(typeof uploadColumns.contracts)[number], string | number> {
  return {
    id: c.id,
    programme_id: c.programme_id,
    provider_id: c.provider_id,
    area_code: c.area.code,
    area_name: c.area.name,
    portfolio: c.portfolio,
    start_period: c.start_period,
    end_period: c.end_period,
    service_fee_per_start: c.payment.service_fee_per_start,
    job_outcome_payment: c.payment.job_outcome_payment,
    sustained_payment: c.payment.sustained_payment,
    sustained_weeks: c.payment.sustained_weeks,
    return_deadline_working_day: c.return_deadline_working_day,
    nation: c.nation,
  };
}

function profileCells(
  p: Profile,
): Record<(typeof uploadColumns.profiles)[number], string | number> {
  return {
    contract_id: p.contract_id,
    measure_id: p.measure_id,
    period: p.period,
    target: p.target,
  };
}

function referenceRows(
  kind: UploadKind,
  reference: ReferenceData,
): Record<string, string | number>[] {
  return kind === 'contracts'
    ? reference.contracts.map(contractCells)
    : [...reference.profiles]
        .sort((a, b) =>
          `${a.contract_id}|${a.measure_id}|${a.period}` <
          `${b.contract_id}|${b.measure_id}|${b.period}`
            ? -1
            : 1,
        )
        .map(profileCells);
}

/** The file of `kind` in force, ready to edit and upload again. */
export function referenceCsv(kind: UploadKind, reference: ReferenceData): string {
  const columns: readonly string[] = uploadColumns[kind];
  const rows = referenceRows(kind, reference);
  return (
    '\uFEFF' + csvLine(columns) + rows.map((r) => csvLine(columns.map((c) => r[c] ?? ''))).join('')
  );
}

/**
 * The same file as a workbook: the upload's columns as the header, months as text (so Excel
 * keeps "2025-04", not a date), figures as numbers. The upload reads it back as it is.
 */
export function referenceXlsx(kind: UploadKind, reference: ReferenceData): Uint8Array {
  const columns: readonly string[] = uploadColumns[kind];
  const rows = referenceRows(kind, reference).map((r) => columns.map((c) => r[c] ?? ''));
  return writeXlsx([{ name: kind, rows: [[...columns], ...rows], header: true }]);
}
