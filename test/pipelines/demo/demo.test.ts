import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoDate } from '../../../pipelines/calendar/days.js';
import { periodEnd, periodsBetween } from '../../../pipelines/calendar/periods.js';
import { returnDeadline } from '../../../pipelines/calendar/working-days.js';
import {
  generateDemo,
  writeDemo,
  type DemoAnomalies,
  type Submission,
} from '../../../pipelines/demo/index.js';
import { DEMO_PARTNERED } from '../../../pipelines/demo/partners.js';
import { loadReferenceData } from '../../../pipelines/reference/load.js';
import type { ReferenceData } from '../../../pipelines/reference/schema.js';
import { participantFields } from '../../../pipelines/returns/fields.js';
import { participantRowSchema } from '../../../pipelines/returns/row-schema.js';
import { crossFieldProblems, readCsv, toRow, warnings, type Csv } from './helpers.js';

let root: string;
let dir: string;
let reference: ReferenceData;
let manifest: Submission[];
let anomalies: DemoAnomalies;

function filesUnder(d: string): string[] {
  return readdirSync(d).flatMap((name) => {
    const path = join(d, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function hashes(d: string): Map<string, string> {
  return new Map(
    filesUnder(d).map((f) => [
      relative(d, f),
      createHash('sha256').update(readFileSync(f)).digest('hex'),
    ]),
  );
}

const csvCache = new Map<string, Csv>();
function returnCsv(contractId: string, period: string, version = 1): Csv {
  const file = join(
    dir,
    'returns',
    contractId,
    `${period}${version > 1 ? `.v${version}` : ''}.csv`,
  );
  let csv = csvCache.get(file);
  if (!csv) csvCache.set(file, (csv = readCsv(file)));
  return csv;
}

function rowsById(csv: Csv): Map<string, Record<string, string>> {
  return new Map(
    csv.rows.map((cells) => [
      cells[0] ?? '',
      Object.fromEntries(csv.header.map((h, i) => [h, cells[i] ?? ''])),
    ]),
  );
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'outturn-demo-'));
  dir = join(root, 'a');
  await writeDemo(dir);
  reference = await loadReferenceData(join(dir, 'reference'));
  manifest = JSON.parse(
    readFileSync(join(dir, 'returns', 'manifest.json'), 'utf8'),
  ) as Submission[];
  anomalies = JSON.parse(readFileSync(join(dir, 'anomalies.json'), 'utf8')) as DemoAnomalies;
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('writeDemo', () => {
  it('writes the same bytes for the same seed, and different bytes for another seed', async () => {
    await writeDemo(join(root, 'b'));
    const a = hashes(dir);
    const b = hashes(join(root, 'b'));
    expect(a.size).toBeGreaterThan(400);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [file, hash] of a) expect(b.get(file), file).toBe(hash);

    await writeDemo(join(root, 'c'), { seed: 7 });
    const c = hashes(join(root, 'c'));
    const changed = [...a].filter(([file, hash]) => file.endsWith('.csv') && c.get(file) !== hash);
    expect(changed.length).toBeGreaterThan(300);
  });

  it('lays out reference data, returns and a manifest', () => {
    for (const f of ['programmes', 'providers', 'contracts', 'profiles']) {
      const text = readFileSync(join(dir, 'reference', `${f}.json`), 'utf8');
      expect(Array.isArray(JSON.parse(text))).toBe(true);
      expect(text).toContain('\n  '); // pretty-printed
    }
    const csvFiles = filesUnder(join(dir, 'returns'))
      .filter((f) => f.endsWith('.csv'))
      .map((f) => relative(dir, f))
      .sort();
    expect(csvFiles).toEqual(manifest.map((s) => s.file).sort());
    for (const s of manifest)
      expect(s.file).toBe(
        `returns/${s.contract_id}/${s.period}${s.version > 1 ? `.v${s.version}` : ''}.csv`,
      );
  });

  it('exposes one return without writing anything, the same as the written file', () => {
    const demo = generateDemo();
    const text = demo.returnCsv('plp-cak-bright', '2025-01');
    expect(text).toBe(readFileSync(join(dir, 'returns', 'plp-cak-bright', '2025-01.csv'), 'utf8'));
    expect(demo.rowCount('plp-cak-bright', '2025-01')).toBe(text.split('\r\n').length - 2);
    // Asking out of order gives the same text (no stale cached rows).
    demo.returnCsv('plp-cak-bright', '2026-03');
    expect(demo.returnCsv('plp-cak-bright', '2025-01')).toBe(text);
    expect(() => demo.returnCsv('plp-cak-bright', '2026-04')).toThrow(/outside the term/);
    expect(() => demo.returnCsv('no-such-contract', '2025-01')).toThrow(/no contract/);
    expect(() => demo.returnCsv('plp-cak-bright', '2025-01', 2)).toThrow(/no version 2/);
  });
});

describe('reference data', () => {
  it('loads and passes the reference checks', () => {
    expect(reference.programmes.map((p) => p.id).sort()).toEqual(['plp', 'vrs']);
  });

  it('has 12 contracts, about 10 providers of every sector, 8 areas and 36-month terms', () => {
    expect(reference.contracts).toHaveLength(12);
    expect(reference.providers.length).toBeGreaterThanOrEqual(9);
    expect(reference.providers.length).toBeLessThanOrEqual(11);
    expect(new Set(reference.providers.map((p) => p.sector))).toEqual(
      new Set(['private', 'voluntary', 'nhs', 'public']),
    );
    expect(new Set(reference.contracts.map((c) => c.area.code)).size).toBe(8);
    for (const c of reference.contracts) {
      expect(periodsBetween(c.start_period, c.end_period)).toHaveLength(36);
      expect(c.start_period).toBe('2023-04');
      expect(c.end_period).toBe('2026-03');
      expect(c.return_deadline_working_day).toBe(10);
    }
    expect(new Set(reference.contracts.map((c) => c.portfolio)).size).toBeGreaterThanOrEqual(2);
  });

  it('has exactly two areas where two providers compete for the same programme', () => {
    const providersBy = new Map<string, Set<string>>();
    for (const c of reference.contracts) {
      const key = `${c.programme_id}|${c.area.code}`;
      providersBy.set(key, (providersBy.get(key) ?? new Set()).add(c.provider_id));
    }
    expect([...providersBy.values()].filter((s) => s.size === 2)).toHaveLength(2);
    expect([...providersBy.values()].every((s) => s.size <= 2)).toBe(true);
  });

  it('pays sustained jobs at the weeks the profiled sustained measure counts', () => {
    for (const c of reference.contracts) {
      const programme = reference.programmes.find((p) => p.id === c.programme_id);
      const sustained =
        programme?.measures.filter((m) => m.profiled && m.milestone?.startsWith('sustained_')) ??
        [];
      expect(sustained).toHaveLength(1);
      expect(sustained[0]?.milestone).toBe(`sustained_${c.payment.sustained_weeks}_weeks_date`);
    }
  });

  it('gives NHS trusts the Condition Management Programme as subcontractors on Pathways contracts', () => {
    const nhs = new Set(reference.providers.filter((p) => p.sector === 'nhs').map((p) => p.id));
    for (const c of reference.contracts.filter((c) => c.programme_id === 'plp')) {
      // The partnered contract (ADR 042) has a second partner besides its CMP team.
      expect(c.subcontractors.length).toBe(c.id === DEMO_PARTNERED.contractId ? 2 : 1);
      expect(nhs.has(c.subcontractors[0]?.provider_id ?? '')).toBe(true);
    }
  });

  it('profiles every profiled measure for every month, ramping up over the first months', () => {
    for (const c of reference.contracts) {
      const programme = reference.programmes.find((p) => p.id === c.programme_id);
      for (const m of programme?.measures.filter((x) => x.profiled) ?? []) {
        const targets = reference.profiles.filter(
          (p) => p.contract_id === c.id && p.measure_id === m.id,
        );
        expect(targets.map((t) => t.period)).toEqual(periodsBetween(c.start_period, c.end_period));
        expect(
          targets.reduce((s, t) => s + t.target, 0),
          `${c.id} ${m.id}`,
        ).toBeGreaterThan(0);
      }
      const referrals = reference.profiles.filter(
        (p) => p.contract_id === c.id && p.measure_id === 'referrals',
      );
      expect(referrals[0]?.target ?? 0).toBeLessThan(referrals[6]?.target ?? 0);
    }
  });
});

describe('every return', () => {
  it('has the fields.ts header and rows that pass the row schema and the cross-field rules', () => {
    const expectedHeader = participantFields.map((f) => f.name);
    const problems: string[] = [];
    let rows = 0;
    for (const s of manifest) {
      const csv = readCsv(join(dir, s.file));
      expect(csv.header, s.file).toEqual(expectedHeader);
      const end = periodEnd(s.period);
      const ids = new Set<string>();
      csv.rows.forEach((cells, i) => {
        rows++;
        const where = `${s.file} row ${i + 2}`;
        if (cells.length !== expectedHeader.length)
          problems.push(`${where}: ${cells.length} cells`);
        const row = toRow(csv.header, cells);
        const parsed = participantRowSchema.safeParse(row);
        if (!parsed.success)
          problems.push(
            `${where}: ${parsed.error.issues.map((x) => `${x.path.join('.')} ${x.message}`).join('; ')}`,
          );
        for (const p of crossFieldProblems(row, end)) problems.push(`${where}: ${p}`);
        if (ids.has(cells[0] ?? '')) problems.push(`${where}: duplicate id ${cells[0]}`);
        ids.add(cells[0] ?? '');
      });
    }
    expect(problems.slice(0, 20)).toEqual([]);
    expect(rows).toBeGreaterThan(100_000);
  });

  it('keeps participant ids pseudonymous: prefix, six base-32 characters, nothing like personal data', () => {
    const last = manifest.filter((s) => s.period === '2026-03');
    for (const s of last)
      for (const [id] of readCsv(join(dir, s.file)).rows) {
        expect(id).toMatch(/^[A-Z]{3,4}-[0-9A-Z]{6}$/);
        expect(id).not.toMatch(/^\d+$/);
        expect(id?.replace('-', '')).not.toMatch(/[A-Z]{2}\d{6}/);
        expect(id?.replace('-', '')).not.toMatch(/[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}/);
      }
  });

  it('only ever adds to what the previous return said, except the planted restatement', () => {
    const restated = new Set(
      anomalies.restated.flatMap((r) =>
        r.participants.map((p) => `${r.contract_id}|${p.participant_id}`),
      ),
    );
    const dates = participantFields.filter((f) => f.type === 'date').map((f) => f.name);
    const changes: string[] = [];
    for (const c of reference.contracts) {
      let previous: Map<string, Record<string, string>> | undefined;
      for (const period of periodsBetween(c.start_period, c.end_period)) {
        const latest = manifest.filter((s) => s.contract_id === c.id && s.period === period).at(-1);
        if (!latest) continue;
        const now = rowsById(returnCsv(c.id, period, latest.version));
        for (const [id, before] of previous ?? []) {
          const after = now.get(id);
          if (!after) changes.push(`${c.id} ${period}: ${id} disappeared`);
          else
            for (const f of dates)
              if (before[f] && before[f] !== after[f] && !restated.has(`${c.id}|${id}`))
                changes.push(`${c.id} ${period}: ${id} ${f} ${before[f]} → ${after[f]}`);
        }
        previous = now;
      }
    }
    expect(changes.slice(0, 10)).toEqual([]);
  });
});

describe('the manifest', () => {
  it('lists every return once per version, in submission order, after the period and by the provider', () => {
    const providerOf = new Map(reference.contracts.map((c) => [c.id, c.provider_id]));
    expect(manifest.map((s) => s.submitted_at)).toEqual(
      [...manifest.map((s) => s.submitted_at)].sort(),
    );
    const keys = manifest.map((s) => `${s.contract_id}|${s.period}|${s.version}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const s of manifest) {
      expect(s.submitted_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(s.submitted_at.slice(0, 10) > isoDate(periodEnd(s.period))).toBe(true);
      expect(s.submitted_by).toBe(`user-${providerOf.get(s.contract_id)}`);
    }
    expect(manifest.filter((s) => s.version === 1)).toHaveLength(12 * 36 - 1);
  });

  it('has one provider late in most months and the others on time in most', () => {
    const nationOf = new Map(reference.contracts.map((c) => [c.id, c.nation]));
    const deadlineOf = (s: Submission) =>
      isoDate(returnDeadline(s.period, 10, nationOf.get(s.contract_id)));
    const lateShare = (provider: string) => {
      const mine = manifest.filter((s) => s.version === 1 && s.submitted_by === `user-${provider}`);
      return mine.filter((s) => s.submitted_at.slice(0, 10) > deadlineOf(s)).length / mine.length;
    };
    expect(anomalies.late_provider.provider_id).toBe('meridian');
    expect(lateShare('meridian')).toBeGreaterThan(0.6);
    for (const p of new Set(reference.contracts.map((c) => c.provider_id)))
      if (p !== 'meridian') expect(lateShare(p), p).toBeLessThan(0.2);
    expect(anomalies.late_returns.length).toBeGreaterThan(50);
  });
});

describe('the planted anomalies', () => {
  it('leaves one return missing', () => {
    expect(anomalies.missing_returns).toEqual([
      { contract_id: 'plp-swv-harbour', period: '2024-12' },
    ]);
    expect(existsSync(join(dir, 'returns', 'plp-swv-harbour', '2024-12.csv'))).toBe(false);
    expect(
      manifest.some((s) => s.contract_id === 'plp-swv-harbour' && s.period === '2024-12'),
    ).toBe(false);
    expect(existsSync(join(dir, 'returns', 'plp-swv-harbour', '2024-11.csv'))).toBe(true);
    expect(existsSync(join(dir, 'returns', 'plp-swv-harbour', '2025-01.csv'))).toBe(true);
  });

  it('restates a few job entry dates between consecutive returns', () => {
    const [r] = anomalies.restated;
    expect(r?.contract_id).toBe('plp-cak-bright');
    expect(r?.participants.length).toBeGreaterThanOrEqual(3);
    const before = rowsById(returnCsv('plp-cak-bright', r?.last_period_as_reported ?? ''));
    const after = rowsById(returnCsv('plp-cak-bright', r?.first_period_corrected ?? ''));
    for (const p of r?.participants ?? []) {
      expect(p.reported).not.toBe(p.corrected);
      expect(before.get(p.participant_id)?.job_entry_date).toBe(p.reported);
      expect(after.get(p.participant_id)?.job_entry_date).toBe(p.corrected);
    }
  });

  it('has resubmissions whose second version completes the first', () => {
    expect(anomalies.resubmissions.map((r) => `${r.contract_id} ${r.period}`)).toEqual([
      'plp-tws-step 2025-02',
      'vrs-tae-tweed 2025-06',
    ]);
    for (const r of anomalies.resubmissions) {
      const v1 = manifest.find(
        (s) => s.contract_id === r.contract_id && s.period === r.period && s.version === 1,
      );
      const v2 = manifest.find(
        (s) => s.contract_id === r.contract_id && s.period === r.period && s.version === 2,
      );
      expect(v1 && v2 && v1.submitted_at < v2.submitted_at).toBe(true);
      const first = returnCsv(r.contract_id, r.period, 1);
      const second = returnCsv(r.contract_id, r.period, 2);
      expect(first.rows.length).toBeLessThanOrEqual(second.rows.length);
      expect(first.rows).not.toEqual(second.rows);
      const cut = r.first_version_as_at;
      expect(
        first.rows.every((cells) =>
          cells.every((cell) => !/^\d{4}-\d\d-\d\d$/.test(cell) || cell <= cut),
        ),
      ).toBe(true);
      expect(
        second.rows.some((cells) =>
          cells.some((cell) => /^\d{4}-\d\d-\d\d$/.test(cell) && cell > cut),
        ),
      ).toBe(true);
    }
  });

  it('has a handful of rows with first contact after the start, all in the planted contract', () => {
    const found: string[] = [];
    for (const c of reference.contracts) {
      const csv = returnCsv(c.id, '2026-03');
      for (const cells of csv.rows)
        if (warnings(toRow(csv.header, cells)).length) found.push(`${c.id}|${cells[0]}`);
    }
    const [w] = anomalies.warnings;
    expect(w?.participants.length).toBe(5);
    expect(found.sort()).toEqual(
      (w?.participants ?? []).map((p) => `${w?.contract_id}|${p.participant_id}`).sort(),
    );
  });

  it('has one participant id under two contracts in the same area, and no other', () => {
    const [d] = anomalies.duplicate_participants;
    const owners = new Map<string, string[]>();
    for (const c of reference.contracts)
      for (const [id] of returnCsv(c.id, '2026-03').rows)
        owners.set(id ?? '', [...(owners.get(id ?? '') ?? []), c.id]);
    const shared = [...owners].filter(([, cs]) => cs.length > 1);
    expect(shared).toEqual([[d?.participant_id, ['plp-tws-bright', 'plp-tws-step']]]);
    const areas = new Set(
      reference.contracts.filter((c) => shared[0]?.[1].includes(c.id)).map((c) => c.area.code),
    );
    expect(areas.size).toBe(1);
    // Both providers claim a job entry for the same person.
    for (const c of ['plp-tws-bright', 'plp-tws-step'])
      expect(
        rowsById(returnCsv(c, '2026-03')).get(d?.participant_id ?? '')?.job_entry_date,
      ).toMatch(/^\d{4}-/);
  });
});
