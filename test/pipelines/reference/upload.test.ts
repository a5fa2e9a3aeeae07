/** Checking and applying uploaded contracts and profiles files (pipelines/reference/upload). */
import { describe, expect, it } from 'vitest';
import { listAudit } from '../../../pipelines/audit/audit-log.js';
import { loadReference, referenceKey } from '../../../pipelines/ingest/reference-store.js';
import { checkReferenceUpload, uploadColumns } from '../../../pipelines/reference/upload/parse.js';
import {
  applyReferenceUpload,
  listReferenceVersions,
} from '../../../pipelines/reference/upload/versions.js';
import { FaultyStore } from '../store/faulty-store.js';
import { getText } from '../../../pipelines/store/object-store.js';
import { pipelineWith } from '../../fixtures/pipeline.js';
import { testReference } from '../../fixtures/reference.js';

const enc = (s: string) => new TextEncoder().encode(s);
const current = testReference();
const check = (kind: 'contracts' | 'profiles', text: string, programmeIds?: string[]) =>
  checkReferenceUpload({ kind, bytes: enc(text), fileName: `${kind}.csv`, current, programmeIds });

/** The contracts in force, written out as the flat upload file. */
function contractsCsv(edit: (cells: Record<string, string>) => void = () => {}): string {
  const lines = current.contracts.map((c) => {
    const cells: Record<string, string> = {
      id: c.id,
      programme_id: c.programme_id,
      provider_id: c.provider_id,
      area_code: c.area.code,
      area_name: c.area.name,
      portfolio: c.portfolio,
      start_period: c.start_period,
      end_period: c.end_period,
      service_fee_per_start: String(c.payment.service_fee_per_start),
      job_outcome_payment: String(c.payment.job_outcome_payment),
      sustained_payment: String(c.payment.sustained_payment),
      sustained_weeks: String(c.payment.sustained_weeks),
      return_deadline_working_day: String(c.return_deadline_working_day),
      nation: c.nation,
    };
    edit(cells);
    return uploadColumns.contracts.map((k) => cells[k]).join(',');
  });
  return [uploadColumns.contracts.join(','), ...lines].join('\n') + '\n';
}

describe('checkReferenceUpload', () => {
  it('accepts the contracts in force written out flat, keeping each contract’s subcontractors', () => {
    const result = check('contracts', contractsCsv());
    expect(result.status).toBe('accepted');
    expect(result.report).toMatchObject({
      status: 'accepted',
      rowCount: 3,
      errorCount: 0,
      file: { format: 'csv' },
    });
    expect(result.data!.contracts).toEqual(current.contracts);
  });

  it('takes the nation of a contract, England and Wales when the column is blank or left out', () => {
    const scottish = check(
      'contracts',
      contractsCsv((c) => {
        if (c.id === 'vrs-test') c.nation = 'scotland';
        if (c.id === 'agg-test') c.nation = '';
      }),
    );
    expect(scottish.status).toBe('accepted');
    expect(scottish.data!.contracts.map((c) => [c.id, c.nation])).toEqual([
      ['plp-test', 'england-and-wales'],
      ['vrs-test', 'scotland'],
      ['agg-test', 'england-and-wales'],
    ]);
    const withoutColumn = contractsCsv()
      .split('\n')
      .map((line) => line.replace(/,[^,]*$/, ''))
      .join('\n');
    expect(withoutColumn.split('\n')[0]).not.toContain('nation');
    expect(check('contracts', withoutColumn).status).toBe('accepted');

    const wales = check(
      'contracts',
      contractsCsv((c) => c.id === 'vrs-test' && (c.nation = 'wales')),
    );
    expect(wales.status).toBe('rejected');
    expect(wales.report.problems).toContainEqual(
      expect.objectContaining({
        row: 3,
        column: 'nation',
        value: 'wales',
        fix: 'Enter england-and-wales, scotland, northern-ireland, or leave it blank for england-and-wales.',
      }),
    );
  });

  it('refuses a term whose deadlines fall in years without known bank holidays', () => {
    const { status, report } = check(
      'contracts',
      contractsCsv((c) => c.id === 'vrs-test' && (c.end_period = '2035-12')),
    );
    expect(status).toBe('rejected');
    expect(report.problems).toContainEqual(
      expect.objectContaining({
        row: 3,
        column: 'end_period',
        value: '2035-12',
        message: expect.stringMatching(/^Outturn knows bank holidays only for 2012 to 2035/),
      }),
    );
  });

  it('names the row and column of each bad contract value', () => {
    const text = contractsCsv((c) => {
      if (c.id === 'vrs-test') c.sustained_weeks = '20';
      if (c.id === 'agg-test') c.end_period = '2020-01';
    });
    const { status, report } = check('contracts', text);
    expect(status).toBe('rejected');
    const where = report.problems.map((p) => [p.row, p.column, p.value]);
    expect(where).toContainEqual([3, 'sustained_weeks', '20']);
    expect(where).toContainEqual([4, 'end_period', '2020-01']);
  });

  it('checks contracts against the other files: an unknown programme, and profiles left without their contract', () => {
    const unknown = check(
      'contracts',
      contractsCsv((c) => c.id === 'agg-test' && (c.programme_id = 'nope')),
    );
    expect(unknown.report.problems).toContainEqual(
      expect.objectContaining({
        row: 4,
        column: 'programme_id',
        value: 'nope',
        message: 'No programme has the id "nope"',
      }),
    );
    // Dropping plp-test orphans its profile: a problem for the file as a whole, naming profiles.json.
    const dropped = check(
      'contracts',
      contractsCsv()
        .split('\n')
        .filter((l) => !l.startsWith('plp-test,'))
        .join('\n'),
    );
    expect(dropped.status).toBe('rejected');
    expect(dropped.report.problems).toContainEqual(
      expect.objectContaining({
        row: null,
        rule: 'reference.contract',
        message: expect.stringContaining('profiles.json would be wrong at [0].contract_id'),
      }),
    );
  });

  it('finds missing and unknown columns, blank and non-numeric values, months outside the term and duplicates', () => {
    const header = check('profiles', 'contract_id,measure,period\nplp-test,referrals,2025-01\n');
    expect(header.report.problems.map((p) => [p.rule, p.row, p.column])).toEqual([
      ['header.unknown_column', 1, 'measure'],
      ['header.missing_column', 1, 'measure_id'],
      ['header.missing_column', 1, 'target'],
    ]);
    const cells = check(
      'profiles',
      'contract_id,measure_id,period,target\nplp-test,referrals,2025-01,\nplp-test,referrals,2025-02,ten\nplp-test,referrals,2025/01,1.5\n',
    );
    expect(cells.report.problems.map((p) => [p.rule, p.row, p.column])).toEqual([
      ['cell.required', 2, 'target'],
      ['cell.integer', 3, 'target'],
      ['cell.date', 4, 'period'],
      ['cell.integer', 4, 'target'],
    ]);
    const cross = check(
      'profiles',
      'contract_id,measure_id,period,target\nplp-test,referrals,2019-01,1\nplp-test,referrals,2025-01,1\nplp-test,referrals,2025-01,2\nplp-test,nope,2025-01,2\n',
    );
    expect(cross.report.problems.map((p) => [p.rule, p.row, p.column])).toEqual([
      ['reference.period', 2, 'period'],
      ['row.duplicate_measure', 4, null],
      ['reference.measure', 5, 'measure_id'],
    ]);
    expect(cross.report.rules.find((r) => r.rule === 'reference.period')!.description).toBe(
      'A month is outside the contract’s term',
    );
  });

  it('refuses files that are not a table, as returns are refused', () => {
    const pdf = checkReferenceUpload({
      kind: 'profiles',
      bytes: enc('%PDF-1.4 ...'),
      fileName: 'profiles.csv',
      current,
    });
    expect(pdf.report.problems).toEqual([
      expect.objectContaining({ rule: 'file.format', row: null }),
    ]);
    const empty = checkReferenceUpload({
      kind: 'profiles',
      bytes: new Uint8Array(),
      fileName: 'profiles.csv',
      current,
    });
    expect(empty.report.problems[0]!.rule).toBe('file.empty');
  });

  it('lets a commissioner change only their own programmes’ rows', () => {
    expect(
      check('profiles', 'contract_id,measure_id,period,target\nplp-test,referrals,2025-01,9\n', [
        'plp',
      ]).status,
    ).toBe('accepted');
    const other = check(
      'profiles',
      'contract_id,measure_id,period,target\nplp-test,referrals,2025-01,9\n',
      ['vrs'],
    );
    expect(other.status).toBe('rejected');
    expect(other.report.problems[0]!.message).toContain('programmes you do not commission');
  });
});

describe('applyReferenceUpload', () => {
  const now = new Date('2026-11-26T12:00:00.000Z');

  it('puts an accepted file in force, keeps it as a version and audits it; a rejected one changes nothing', async () => {
    const p = await pipelineWith(testReference());
    const base = {
      store: p.store,
      kind: 'profiles' as const,
      who: 'admin',
      programmeIds: null,
      from: 'test',
      now,
    };
    const before = await getText(p.store, referenceKey('profiles'));
    const bad = await applyReferenceUpload({
      ...base,
      bytes: enc('contract_id,measure_id,period,target\nplp-test,referrals,2025-01,-1\n'),
      fileName: 'bad.csv',
    });
    expect(bad.version.status).toBe('rejected');
    expect(await getText(p.store, referenceKey('profiles'))).toBe(before);

    const good = await applyReferenceUpload({
      ...base,
      bytes: enc('contract_id,measure_id,period,target\nplp-test,referrals,2025-01,7\n'),
      fileName: 'good.csv',
    });
    expect(good).toMatchObject({ rebuildFailed: false, version: { status: 'accepted', rows: 1 } });
    expect((await loadReference(p.store)).profiles).toEqual([
      { contract_id: 'plp-test', measure_id: 'referrals', period: '2025-01', target: 7 },
    ]);
    expect((await listReferenceVersions(p.store)).map((v) => [v.file_name, v.status])).toEqual([
      ['good.csv', 'accepted'],
      ['bad.csv', 'rejected'],
    ]);
    expect((await listAudit(p.store)).filter((e) => e.action === 'reference_change')).toHaveLength(
      2,
    );
  });

  it('says so when the marts cannot be rebuilt, and keeps the change', async () => {
    const p = await pipelineWith(testReference());
    const store = new FaultyStore(
      p.store,
      (op, key) => (op === 'put' || op === 'putFile') && key.startsWith('curated/'),
    );
    const result = await applyReferenceUpload({
      store,
      kind: 'profiles',
      who: 'admin',
      programmeIds: null,
      from: 'test',
      now,
      bytes: enc('contract_id,measure_id,period,target\nplp-test,referrals,2025-01,7\n'),
      fileName: 'p.csv',
    });
    expect(result.rebuildFailed).toBe(true);
    expect((await loadReference(p.store)).profiles[0]!.target).toBe(7);
  });
});
