import { describe, expect, it } from 'vitest';
import { fromIsoDate } from '../../../pipelines/calendar/days.js';
import { participantFields } from '../../../pipelines/returns/fields.js';
import type { RuleId } from '../../../pipelines/validate/report.js';
import { toParticipantRows, toAggregateRows } from '../../../pipelines/validate/typed-return.js';
import {
  validateReturn,
  type ReturnContext,
  type ValidationResult,
} from '../../../pipelines/validate/validate-return.js';
import {
  aggregateHeader,
  bytesOf,
  csvOf,
  participant,
  participantHeader,
  participants,
  type RowValues,
} from '../../fixtures/returns.js';
import { testReference } from '../../fixtures/reference.js';

const today = fromIsoDate('2026-11-26');
const ctx = (more: ReturnContext = {}): ReturnContext => ({ today, period: '2025-03', ...more });

function validate(
  rows: RowValues[],
  more: ReturnContext = {},
  header?: readonly string[],
): ValidationResult {
  return validateReturn(bytesOf(csvOf(rows, header)), 'return.csv', ctx(more));
}

function problems(result: ValidationResult, rule: RuleId) {
  return result.report.problems.filter((p) => p.rule === rule);
}

describe('an acceptable return', () => {
  it('is accepted with typed rows, dates read the same in both forms', () => {
    const result = validate([
      participant({
        participant_id: 'A-1',
        referral_date: '2025-01-06',
        job_entry_date: '2025-02-10',
        sustained_13_weeks_date: '',
      }),
      participant({
        participant_id: 'A-2',
        referral_date: '06/01/2025',
        deprivation_decile: '3',
        baseline_score: '14',
        outcome_instrument: 'hads_anxiety',
      }),
    ]);
    expect(result.report.errorCount).toBe(0);
    expect(result.status).toBe('accepted');
    if (result.status !== 'accepted') return;
    const rows = toParticipantRows(result.data);
    expect(rows).toHaveLength(2);
    expect(rows[0]!.job_entry_date).toBe('2025-02-10');
    expect(rows[1]!.referral_date).toBe('2025-01-06');
    expect(rows[1]!.deprivation_decile).toBe(3);
    expect(rows[1]!.baseline_score).toBe(14);
    expect(rows[0]!.exit_date).toBeNull();
    expect(Array.from(result.data.rowNumbers)).toEqual([2, 3]);
  });

  it('reads a UTF-8 file with a byte-order mark, CRLF line ends and quoted values', () => {
    const text = '\uFEFF' + csvOf([participant({ participant_id: 'Q-1' })]).replace('Q-1', '"Q-1"');
    const result = validateReturn(bytesOf(text), 'bom.csv', ctx());
    expect(result.status).toBe('accepted');
  });

  it('accepts headings in any order and case, and ignores blank rows', () => {
    const header = [...participantFields.map((f) => f.name)].reverse();
    const text = csvOf(
      [participant({ participant_id: 'R-1' }), participant({ participant_id: 'R-2' })],
      header,
    )
      .replace('participant_id', 'Participant_ID')
      .replace(/\r\n(?=[^\r\n]*R-2)/, '\r\n,,,\r\n'.replace(',,,', ','.repeat(header.length - 1)));
    const result = validateReturn(bytesOf(text), 'r.csv', ctx());
    expect(result.report.problems).toEqual([]);
    expect(result.report.rowCount).toBe(2);
  });

  it('accepts codes in the wrong case with a warning, and stores the proper code', () => {
    const result = validate([participant({ engagement: 'Mandatory' })]);
    expect(result.status).toBe('accepted');
    expect(problems(result, 'cell.code_case')).toHaveLength(1);
    if (result.status === 'accepted')
      expect(toParticipantRows(result.data)[0]!.engagement).toBe('mandatory');
  });
});

describe('cells', () => {
  it('names the row, column and fix for a blank required value', () => {
    const result = validate([
      participant(),
      participant({ participant_id: 'P-2', referral_date: '' }),
    ]);
    expect(result.status).toBe('rejected');
    const [p] = problems(result, 'cell.required');
    expect(p).toMatchObject({ row: 3, column: 'referral_date', severity: 'error' });
    expect(p!.fix).toMatch(/Enter the referral date/);
  });

  it.each([
    ['31/02/2025', /not a real date/],
    ['2025-13-01', /not a real date/],
    ['45678', /spreadsheet date number/],
    ['01/02/25', /two-digit year/],
    ['next Tuesday', /not a date Outturn can read/],
  ])('refuses the date %s', (value, message) => {
    const result = validate([participant({ start_date: value })]);
    const [p] = problems(result, 'cell.date');
    expect(p).toMatchObject({ row: 2, column: 'start_date', value });
    expect(p!.message).toMatch(message);
  });

  it('refuses unknown codes, listing the allowed ones or the code for a label', () => {
    const result = validate([
      participant({ benefit: 'JSA' }),
      participant({ participant_id: 'P-2', benefit: 'Incapacity Benefit' }),
    ]);
    const ps = problems(result, 'cell.code');
    expect(ps).toHaveLength(2);
    expect(ps[0]!.fix).toMatch(
      /incapacity_benefit, income_support_incapacity, esa, none, not_known/,
    );
    expect(ps[1]!.fix).toBe('Use the code incapacity_benefit for "Incapacity Benefit".');
  });

  it('refuses numbers that are not whole, not numbers or out of range', () => {
    const result = validate([
      participant({ participant_id: 'P-1', deprivation_decile: '11' }),
      participant({ participant_id: 'P-2', support_tier: '2.5' }),
      participant({ participant_id: 'P-3', contact_count: 'six' }),
      participant({ participant_id: 'P-4', outcome_instrument: 'eq5d_vas', baseline_score: '101' }),
    ]);
    expect(problems(result, 'cell.integer').map((p) => [p.row, p.column])).toEqual([
      [2, 'deprivation_decile'],
      [3, 'support_tier'],
      [4, 'contact_count'],
    ]);
    expect(problems(result, 'cell.number').map((p) => p.row)).toEqual([5]);
  });

  it('refuses participant references with odd characters', () => {
    const result = validate([participant({ participant_id: 'P 1/2' })]);
    expect(problems(result, 'cell.id')[0]).toMatchObject({ row: 2, column: 'participant_id' });
  });
});

describe('dates against the period and today', () => {
  it('refuses anything dated after the end of the period', () => {
    const result = validate([participant({ job_entry_date: '2025-04-01' })], { period: '2025-03' });
    const [p] = problems(result, 'cell.after_period');
    expect(p).toMatchObject({ row: 2, column: 'job_entry_date' });
    expect(p!.message).toMatch(/2025-03-31/);
  });

  it('refuses a date in the future when no period is given', () => {
    const result = validateReturn(
      bytesOf(csvOf([participant({ start_date: '2027-01-05' })])),
      'f.csv',
      { today },
    );
    expect(problems(result, 'cell.future_date')).toHaveLength(1);
  });

  it('refuses a period that has not ended, or is not a month', () => {
    expect(
      problems(validate([participant()], { period: '2026-11' }), 'reference.period')[0]!.message,
    ).toMatch(/has not ended/);
    expect(
      problems(validate([participant()], { period: '2025-3' }), 'reference.period')[0]!.message,
    ).toMatch(/not a month/);
  });
});

describe('milestone order and companions', () => {
  it('refuses a job entry before the referral', () => {
    const result = validate([
      participant({
        referral_date: '2025-02-01',
        first_contact_date: '',
        start_date: '',
        job_entry_date: '2025-01-15',
      }),
    ]);
    const [p] = problems(result, 'row.milestone_order');
    expect(p).toMatchObject({ row: 2, column: 'job_entry_date', value: '2025-01-15' });
    expect(p!.message).toBe('Job entry date 2025-01-15 is before referral date 2025-02-01.');
  });

  it('refuses a sustained job without a job entry, or too soon after it', () => {
    const result = validate(
      [
        participant({ participant_id: 'P-1', sustained_13_weeks_date: '2025-03-01' }),
        participant({
          participant_id: 'P-2',
          job_entry_date: '2025-01-21',
          sustained_13_weeks_date: '2025-03-01',
        }),
        participant({
          participant_id: 'P-3',
          job_entry_date: '2024-12-31',
          referral_date: '2024-12-01',
          first_contact_date: '',
          start_date: '',
          sustained_13_weeks_date: '2025-03-31',
        }),
      ],
      { period: '2025-03' },
    );
    expect(problems(result, 'row.missing_companion').map((p) => [p.row, p.column])).toEqual([
      [2, 'sustained_13_weeks_date'],
    ]);
    // 2025-01-21 to 2025-03-01 is 39 days; 2024-12-31 to 2025-03-31 is 90 days, one short of 13 weeks.
    expect(problems(result, 'row.milestone_order').map((p) => [p.row, p.message])).toEqual([
      [3, 'Sustained 13 weeks date 2025-03-01 is only 39 days after job entry date 2025-01-21.'],
      [4, 'Sustained 13 weeks date 2025-03-31 is only 90 days after job entry date 2024-12-31.'],
    ]);
  });

  it('refuses an exit before the referral, an exit without a reason and a CMP completion without a start', () => {
    const result = validate([
      participant({ participant_id: 'P-1', exit_date: '2025-01-01', exit_reason: 'withdrew' }),
      participant({ participant_id: 'P-2', exit_date: '2025-02-01' }),
      participant({
        participant_id: 'P-3',
        cmp_referral_date: '2025-01-21',
        cmp_completion_date: '2025-03-01',
      }),
    ]);
    expect(problems(result, 'row.milestone_order').map((p) => [p.row, p.column])).toEqual([
      [2, 'exit_date'],
    ]);
    expect(problems(result, 'row.missing_companion').map((p) => [p.row, p.column])).toEqual([
      [3, 'exit_date'],
      [4, 'cmp_completion_date'],
    ]);
  });

  it('refuses a score outside its instrument range, and a score with no instrument', () => {
    const result = validate([
      participant({
        participant_id: 'P-1',
        outcome_instrument: 'hads_depression',
        baseline_score: '22',
      }),
      participant({ participant_id: 'P-2', baseline_score: '10' }),
    ]);
    expect(problems(result, 'row.score_range')[0]).toMatchObject({
      row: 2,
      column: 'baseline_score',
    });
    expect(problems(result, 'row.missing_companion')[0]).toMatchObject({
      row: 3,
      column: 'baseline_score',
    });
  });

  it('warns, without refusing, when first contact comes after the start or very late', () => {
    const result = validate([
      participant({
        participant_id: 'P-1',
        first_contact_date: '2025-01-25',
        start_date: '2025-01-20',
      }),
      participant({
        participant_id: 'P-2',
        referral_date: '2024-10-01',
        first_contact_date: '2025-01-05',
        start_date: '2025-01-20',
      }),
    ]);
    expect(result.status).toBe('accepted');
    expect(problems(result, 'row.contact_after_start').map((p) => p.row)).toEqual([2]);
    expect(problems(result, 'row.long_wait').map((p) => p.row)).toEqual([3]);
  });

  it('refuses a participant who appears twice, naming both rows', () => {
    const result = validate([
      participant({ participant_id: 'P-9' }),
      participant({ participant_id: 'P-8' }),
      participant({ participant_id: 'P-9' }),
    ]);
    const [p] = problems(result, 'row.duplicate_participant');
    expect(p).toMatchObject({ row: 4, column: 'participant_id', value: 'P-9' });
    expect(p!.message).toMatch(/also on row 2/);
  });
});

describe('columns', () => {
  it('names a missing column', () => {
    const header = participantFields.map((f) => f.name).filter((n) => n !== 'referral_date');
    const result = validate([participant()], {}, header);
    expect(result.status).toBe('rejected');
    expect(problems(result, 'header.missing_column')).toEqual([
      expect.objectContaining({
        row: 1,
        column: 'referral_date',
        message: 'The column referral_date is missing.',
      }),
    ]);
  });

  it('names an unknown column and suggests the one meant', () => {
    const header = [...participantFields.map((f) => f.name), 'refferal_source'].filter(
      (n) => n !== 'referral_source',
    );
    const result = validate([participant()], {}, header);
    expect(problems(result, 'header.unknown_column')[0]!.fix).toMatch(
      /Did you mean referral_source/,
    );
  });

  it('refuses a column of names, and a column that appears twice', () => {
    const header = [...participantFields.map((f) => f.name), 'Surname', 'sex'];
    const result = validate([participant({ Surname: 'Smith' })], {}, header);
    expect(problems(result, 'header.personal_data_column')[0]).toMatchObject({
      row: 1,
      column: 'Surname',
    });
    expect(problems(result, 'header.duplicate_column')[0]!.message).toMatch(/sex appears twice/);
  });

  it('refuses a row with too many or too few values', () => {
    const text = csvOf([participant(), participant({ participant_id: 'P-2' })]).replace(
      /\r\n$/,
      ',extra\r\n',
    );
    const result = validateReturn(bytesOf(text), 'r.csv', ctx());
    expect(problems(result, 'row.shape')[0]).toMatchObject({ row: 3 });
  });
});

describe('personal data', () => {
  it.each([
    ['participant_id', 'AB123456C', 'personal_data.ni_number'],
    ['participant_id', 'jo.bloggs@example.org', 'personal_data.email'],
    ['participant_id', '9434765919', 'personal_data.nhs_number'],
    ['participant_id', '07700 900123', 'personal_data.phone'],
    ['participant_id', 'SW1A 1AA', 'personal_data.postcode'],
    ['referral_source', 'AB 12 34 56 C', 'personal_data.ni_number'],
    ['start_date', 'jo@example.org', 'personal_data.email'],
  ] as const)(
    'refuses %s holding %s, naming the cell and masking the value',
    (column, value, rule) => {
      const result = validate([
        participant(),
        participant({ participant_id: 'P-2', [column]: value }),
      ]);
      expect(result.status).toBe('rejected');
      const [p] = problems(result, rule);
      expect(p).toMatchObject({ row: 3, column });
      expect(p!.value).not.toBe(value);
      expect(p!.value!.length).toBe(value.length);
      expect(p!.message).toMatch(/must not receive personal data/);
    },
  );

  it('finds personal data in a column that is not in the template', () => {
    const header = [...participantFields.map((f) => f.name), 'notes'];
    const result = validate(
      [
        participant({ notes: 'call on 020 7946 0000' }),
        participant({ participant_id: 'P-2', notes: 'NI AB123456C' }),
      ],
      {},
      header,
    );
    expect(problems(result, 'personal_data.ni_number')[0]).toMatchObject({
      row: 3,
      column: 'notes',
    });
  });
});

describe('reference data', () => {
  const reference = testReference();

  it('accepts a return for a known contract and period', () => {
    expect(validate([participant()], { reference, contractId: 'plp-test' }).status).toBe(
      'accepted',
    );
  });

  it('refuses an unknown contract, suggesting a near one', () => {
    const [p] = problems(
      validate([participant()], { reference, contractId: 'plp-tset' }),
      'reference.contract',
    );
    expect(p!.fix).toBe('Did you mean plp-test?');
  });

  it('refuses a period outside the contract term and a referral before the contract started', () => {
    const outside = validate([participant({ referral_date: '2024-06-01' })], {
      reference,
      contractId: 'plp-test',
      period: '2024-08',
    });
    expect(problems(outside, 'reference.period')).toHaveLength(1);
    const early = validate(
      [participant({ referral_date: '2024-09-20', first_contact_date: '', start_date: '' })],
      { reference, contractId: 'plp-test' },
    );
    expect(problems(early, 'cell.before_contract')[0]).toMatchObject({
      row: 2,
      column: 'referral_date',
    });
  });

  it('warns about CMP dates for a programme with no CMP', () => {
    const result = validate([participant({ cmp_referral_date: '2025-01-21' })], {
      reference,
      contractId: 'vrs-test',
    });
    expect(result.status).toBe('accepted');
    expect(problems(result, 'reference.cmp')).toHaveLength(1);
  });

  it('accepts a delivery partner from the contract’s list, a blank one, and a return without the column (ADR 042)', () => {
    const rows = [
      participant({ participant_id: 'P-1', delivery_partner: 'nhs-north' }),
      participant({ participant_id: 'P-2', delivery_partner: '' }),
    ];
    const result = validate(rows, { reference, contractId: 'plp-test' });
    expect(result.status).toBe('accepted');
    const without = participantHeader.filter((h) => h !== 'delivery_partner');
    expect(validate(rows, { reference, contractId: 'plp-test' }, without).status).toBe('accepted');
  });

  it('refuses an unknown delivery partner, naming the row, the field and the allowed codes', () => {
    const result = validate(
      [
        participant({ participant_id: 'P-1', delivery_partner: 'nhs-north' }),
        participant({ participant_id: 'P-2', delivery_partner: 'nhs-south' }),
      ],
      { reference, contractId: 'plp-test' },
    );
    expect(result.status).toBe('rejected');
    const [p, ...rest] = problems(result, 'reference.delivery_partner');
    expect(rest).toHaveLength(0);
    expect(p).toMatchObject({ row: 3, column: 'delivery_partner', value: 'nhs-south' });
    expect(p!.message).toBe('Contract plp-test has no delivery partner "nhs-south".');
    expect(p!.fix).toContain('Use one of: nhs-north');
    // A contract with no partners says so.
    const none = validate([participant({ delivery_partner: 'nhs-north' })], {
      reference,
      contractId: 'vrs-test',
    });
    expect(problems(none, 'reference.delivery_partner')[0]!.message).toBe(
      'Contract vrs-test has no delivery partners, so "nhs-north" cannot be one.',
    );
  });

  it('refuses a participant return sent for an aggregate programme', () => {
    const result = validate([participant()], { reference, contractId: 'agg-test' });
    expect(problems(result, 'reference.return_kind')).toHaveLength(1);
  });
});

describe('aggregate returns', () => {
  const reference = testReference();
  const aggregate = (rows: RowValues[]) =>
    validate(rows, { reference, contractId: 'agg-test' }, aggregateHeader);

  it('accepts totals and breakdowns', () => {
    const result = aggregate([
      { measure: 'referrals', count: '12' },
      { measure: 'referrals', breakdown: 'engagement', breakdown_value: 'mandatory', count: '7' },
      { measure: 'referrals', breakdown: 'engagement', breakdown_value: 'voluntary', count: '5' },
    ]);
    expect(result.report.problems).toEqual([]);
    if (result.status === 'accepted')
      expect(toAggregateRows(result.data)[1]).toMatchObject({
        breakdown_value: 'mandatory',
        count: 7,
      });
  });

  it('refuses unknown measures, bad breakdown values, missing companions and duplicates', () => {
    const result = aggregate([
      { measure: 'referals', count: '12' },
      { measure: 'referrals', breakdown: 'engagement', breakdown_value: 'sometimes', count: '7' },
      { measure: 'referrals', breakdown: 'sex', count: '7' },
      { measure: 'starts', count: '3' },
      { measure: 'starts', count: '4' },
    ]);
    expect(problems(result, 'reference.measure').map((p) => p.row)).toEqual([2]);
    expect(problems(result, 'cell.code').map((p) => p.row)).toEqual([3]);
    expect(problems(result, 'row.missing_companion').map((p) => p.row)).toEqual([4]);
    expect(problems(result, 'row.duplicate_measure').map((p) => p.row)).toEqual([6]);
  });
});

describe('limits and the report', () => {
  it('refuses a file over the size limit without reading it', () => {
    const result = validateReturn(
      bytesOf(csvOf(participants(50))),
      'big.csv',
      ctx({ limits: { maxFileBytes: 1000 } }),
    );
    expect(problems(result, 'file.too_large')).toHaveLength(1);
  });

  it('refuses too many rows and an over-long cell', () => {
    expect(
      problems(
        validateReturn(bytesOf(csvOf(participants(20))), 'r.csv', ctx({ limits: { maxRows: 10 } })),
        'file.too_many_rows',
      ),
    ).toHaveLength(1);
    const long = validate([participant({ participant_id: 'X'.repeat(2000) })]);
    expect(problems(long, 'cell.too_long')[0]).toMatchObject({ row: 2 });
  });

  it('counts every problem exactly, while listing only up to the limit', () => {
    const result = validateReturn(
      bytesOf(csvOf(participants(300, () => ({ sex: 'x', benefit: 'y' })))),
      'r.csv',
      ctx({ limits: { maxProblemsListed: 100 } }),
    );
    expect(result.report.errorCount).toBe(600);
    expect(result.report.problems).toHaveLength(100);
    expect(result.report.unlisted).toBe(500);
    expect(result.report.rules.find((r) => r.rule === 'cell.code')!.count).toBe(600);
  });
});
