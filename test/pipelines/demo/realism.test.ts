/**
 * The demo's rates, computed from the final returns the way a commissioner would, land in the
 * ranges the programme evaluations report (DESIGN.md §2).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fromIsoDate } from '../../../pipelines/calendar/days.js';
import { generateDemo, type Demo } from '../../../pipelines/demo/index.js';
import { parseReferenceData } from '../../../pipelines/reference/load.js';
import { participantRowSchema } from '../../../pipelines/returns/row-schema.js';
import { crossFieldProblems, parseCsv, toRow, type Row } from './helpers.js';

const FINAL = '2026-03';
const finalDay = fromIsoDate('2026-03-31');
const day = (v: Row[string] | undefined) => (typeof v === 'string' ? fromIsoDate(v) : NaN);

let demo: Demo;
const finalRows = new Map<string, Row[]>();
const all = (programme?: string) =>
  demo.reference.contracts
    .filter((c) => !programme || c.programme_id === programme)
    .flatMap((c) => finalRows.get(c.id) ?? []);
const share = (rows: Row[], test: (r: Row) => boolean) => rows.filter(test).length / rows.length;

beforeAll(() => {
  demo = generateDemo();
  for (const c of demo.reference.contracts) {
    const csv = parseCsv(demo.returnCsv(c.id, FINAL));
    finalRows.set(
      c.id,
      csv.rows.map((cells) => toRow(csv.header, cells)),
    );
  }
});

describe('demo rates', () => {
  it('runs referrals below profile overall, with one contract well above', () => {
    const ratio = (id: string) => {
      const target = demo.reference.profiles
        .filter((p) => p.contract_id === id && p.measure_id === 'referrals')
        .reduce((s, p) => s + p.target, 0);
      return (finalRows.get(id)?.length ?? 0) / target;
    };
    const ids = demo.reference.contracts.map((c) => c.id);
    const total = ids.reduce((s, id) => s + (finalRows.get(id)?.length ?? 0), 0);
    const target = demo.reference.profiles
      .filter((p) => p.measure_id === 'referrals')
      .reduce((s, p) => s + p.target, 0);
    expect(total / target).toBeGreaterThan(0.4);
    expect(total / target).toBeLessThan(1.2);
    expect(ids.filter((id) => ratio(id) > 1.05)).toHaveLength(1);
    expect(ids.filter((id) => ratio(id) < 0.92).length).toBeGreaterThanOrEqual(8);
    for (const id of ids) expect(ratio(id), id).toBeGreaterThan(0.45);
  });

  it('puts 8–30% of starts into work, overall and in every contract', () => {
    const rate = (rows: Row[]) =>
      rows.filter((r) => r.job_entry_date).length / rows.filter((r) => r.start_date).length;
    expect(rate(all())).toBeGreaterThan(0.08);
    expect(rate(all())).toBeLessThan(0.3);
    for (const [id, rows] of finalRows) {
      expect(rate(rows), id).toBeGreaterThan(0.08);
      expect(rate(rows), id).toBeLessThan(0.3);
    }
  });

  it('sustains 45–75% of job entries for 26 weeks, among those with time to get there', () => {
    for (const programme of ['plp', 'vrs']) {
      const jobs = all(programme).filter(
        (r) => r.job_entry_date && day(r.job_entry_date) <= finalDay - 200,
      );
      const rate = share(jobs, (r) => r.sustained_26_weeks_date !== null);
      expect(rate, programme).toBeGreaterThan(0.45);
      expect(rate, programme).toBeLessThan(0.75);
    }
  });

  it('keeps referral-to-start waits at two to eight weeks and first contacts within days (Pathways)', () => {
    const waits = all('plp')
      .filter((r) => r.start_date)
      .map((r) => day(r.start_date) - day(r.referral_date))
      .sort((a, b) => a - b);
    const median = waits[waits.length >> 1] ?? 0;
    expect(median).toBeGreaterThanOrEqual(14);
    expect(median).toBeLessThanOrEqual(56);
    expect(
      share(
        all('plp').filter((r) => r.start_date),
        (r) => day(r.start_date) - day(r.referral_date) <= 56,
      ),
    ).toBeGreaterThan(0.85);
    const contacted = all().filter((r) => r.first_contact_date);
    expect(
      share(contacted, (r) => day(r.first_contact_date) - day(r.referral_date) <= 10),
    ).toBeGreaterThan(0.85);
  });

  it('loses 20–40% of CMP starters before completion', () => {
    const cmp = all('plp').filter(
      (r) => r.cmp_start_date && day(r.cmp_start_date) <= finalDay - 120,
    );
    const completion = share(cmp, (r) => r.cmp_completion_date !== null);
    expect(completion).toBeGreaterThan(0.6);
    expect(completion).toBeLessThan(0.8);
    expect(all('vrs').every((r) => r.cmp_referral_date === null)).toBe(true);
  });

  it('waives or defers only mandatory interviews, a few per cent, with one contract over the 5% standard', () => {
    const waivedOrDeferred = (r: Row) => r.waiver_date !== null || r.deferral_date !== null;
    expect(
      all()
        .filter(waivedOrDeferred)
        .every((r) => r.engagement === 'mandatory'),
    ).toBe(true);
    const overall = share(all('plp'), waivedOrDeferred);
    expect(overall).toBeGreaterThan(0.01);
    expect(overall).toBeLessThan(0.06);
    const over = demo.reference.contracts.filter(
      (c) => share(finalRows.get(c.id) ?? [], waivedOrDeferred) > 0.05,
    );
    expect(over.map((c) => c.id)).toEqual(['plp-gme-meridian']);
  });

  it('returns about 38% of off-sick clients to work and keeps about 76% of at-risk workers in work (rehabilitation)', () => {
    const exited = all('vrs').filter((r) => r.exit_date);
    const offSick = exited.filter((r) => r.work_status_at_referral === 'off_sick');
    const atRisk = exited.filter((r) => r.work_status_at_referral === 'at_work');
    expect(share(offSick, (r) => r.work_status_at_exit === 'at_work')).toBeGreaterThan(0.28);
    expect(share(offSick, (r) => r.work_status_at_exit === 'at_work')).toBeLessThan(0.5);
    expect(share(atRisk, (r) => r.work_status_at_exit === 'at_work')).toBeGreaterThan(0.66);
    expect(share(atRisk, (r) => r.work_status_at_exit === 'at_work')).toBeLessThan(0.86);
    expect(offSick.length + atRisk.length).toBeGreaterThan(0.8 * exited.length);
  });

  it('improves distance-travelled scores on average, in the direction each instrument counts as better', () => {
    const lowerIsBetter = new Set(['hads_anxiety', 'hads_depression']);
    const scored = all().filter((r) => r.baseline_score !== null && r.exit_score !== null);
    const instruments = new Set(scored.map((r) => String(r.outcome_instrument)));
    expect(instruments.size).toBe(5);
    for (const instrument of instruments) {
      const rows = scored.filter((r) => r.outcome_instrument === instrument);
      const gain =
        rows.reduce((s, r) => s + (Number(r.exit_score) - Number(r.baseline_score)), 0) /
        rows.length;
      expect(lowerIsBetter.has(instrument) ? -gain : gain, instrument).toBeGreaterThan(0);
    }
  });

  it('follows people up about six months after exit, and records why they left', () => {
    const followed = all().filter((r) => r.follow_up_date);
    const gaps = followed.map((r) => day(r.follow_up_date) - day(r.exit_date));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(150);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(230);
    expect(followed.every((r) => r.work_status_at_follow_up !== null)).toBe(true);
    const reasons = new Set(
      all()
        .filter((r) => r.exit_date)
        .map((r) => r.exit_reason),
    );
    for (const reason of ['entered_work', 'stayed_in_work', 'completed', 'withdrew', 'ill_health'])
      expect(reasons).toContain(reason);
  });

  it('varies the case mix by area and programme', () => {
    const meanDecile = (id: string) => {
      const rows = (finalRows.get(id) ?? []).filter((r) => r.deprivation_decile !== null);
      return rows.reduce((s, r) => s + Number(r.deprivation_decile), 0) / rows.length;
    };
    expect(meanDecile('plp-swv-harbour') - meanDecile('plp-tws-bright')).toBeGreaterThan(1);
    expect(share(all('vrs'), (r) => r.primary_condition_group === 'cancer')).toBeGreaterThan(0.25);
    expect(share(all('plp'), (r) => r.primary_condition_group === 'cancer')).toBeLessThan(0.05);
    expect(share(all('plp'), (r) => r.engagement === 'mandatory')).toBeGreaterThan(0.5);
    expect(all('vrs').every((r) => r.engagement === 'voluntary')).toBe(true);
  });
});

describe('demo options', () => {
  it('scales participant volumes roughly in proportion', () => {
    const bigger = generateDemo({ scale: 3 });
    const rows = (d: Demo) =>
      d.reference.contracts.reduce((s, c) => s + d.rowCount(c.id, FINAL), 0);
    const ratio = rows(bigger) / rows(demo);
    expect(ratio).toBeGreaterThan(2.6);
    expect(ratio).toBeLessThan(3.4);
    const target = (d: Demo) =>
      d.reference.profiles
        .filter((p) => p.measure_id === 'referrals')
        .reduce((s, p) => s + p.target, 0);
    expect(target(bigger) / target(demo)).toBeCloseTo(3, 1);
  });

  it('generates extra contracts and shorter terms that are still valid', () => {
    const d = generateDemo({ contracts: 30, months: 12 });
    const reference = parseReferenceData({ ...d.reference });
    expect(reference.contracts).toHaveLength(30);
    expect(new Set(reference.contracts.map((c) => c.id)).size).toBe(30);
    expect(reference.contracts.every((c) => c.end_period === '2024-03')).toBe(true);
    expect(d.submissions.filter((s) => s.version === 1)).toHaveLength(30 * 12);
    for (const id of ['plp-x001-brightpath', 'vrs-x009-tweed-esk-nhs']) {
      const csv = parseCsv(d.returnCsv(id, '2024-03'));
      expect(csv.rows.length, id).toBeGreaterThan(50);
      for (const cells of csv.rows) {
        const row = toRow(csv.header, cells);
        expect(participantRowSchema.safeParse(row).success).toBe(true);
        expect(crossFieldProblems(row, fromIsoDate('2024-03-31'))).toEqual([]);
      }
    }
    // The anomalies outside a twelve-month term are not planted, and say so.
    const a = d.anomalies();
    expect(a.missing_returns).toEqual([]);
    expect(a.restated).toEqual([]);
    expect(a.resubmissions).toEqual([]);
    expect(a.warnings[0]?.participants).toHaveLength(5);
  });
});
