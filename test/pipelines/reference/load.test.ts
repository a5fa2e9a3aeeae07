import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadReferenceData, ReferenceDataError } from '../../../pipelines/reference/load.js';
import { testReference } from '../../fixtures/reference.js';

async function folderWith(edit: (data: ReturnType<typeof testReference>) => void): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'outturn-ref-'));
  await mkdir(dir, { recursive: true });
  const data = JSON.parse(JSON.stringify(testReference()));
  edit(data);
  for (const [key, rows] of Object.entries(data))
    await writeFile(join(dir, `${key}.json`), JSON.stringify(rows, null, 2));
  return dir;
}

async function problemsOf(dir: string) {
  try {
    await loadReferenceData(dir);
  } catch (e) {
    if (e instanceof ReferenceDataError) return e.problems;
    throw e;
  }
  return [];
}

describe('loadReferenceData', () => {
  it('loads good reference data', async () => {
    const data = await loadReferenceData(await folderWith(() => {}));
    expect(data.contracts.map((c) => c.id)).toEqual(['plp-test', 'vrs-test', 'agg-test']);
    expect(data.contracts[1]!.subcontractors).toEqual([]);
  });

  it('names the file and the path of a bad value', async () => {
    const dir = await folderWith((d) => {
      (d.contracts[0]!.payment as { sustained_weeks: number }).sustained_weeks = 20;
      (d.programmes[0]!.measures[1] as { milestone: string }).milestone = 'lunch_date';
    });
    const problems = await problemsOf(dir);
    expect(problems).toContainEqual(
      expect.objectContaining({ file: 'contracts.json', path: '[0].payment.sustained_weeks' }),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({ file: 'programmes.json', path: '[0].measures[1].milestone' }),
    );
  });

  it('checks references across files', async () => {
    const dir = await folderWith((d) => {
      d.contracts[0]!.provider_id = 'nobody';
      d.profiles.push({
        contract_id: 'plp-test',
        measure_id: 'referrals',
        period: '2030-01',
        target: 3,
      });
      d.profiles.push({
        contract_id: 'plp-test',
        measure_id: 'referrals',
        period: '2025-01',
        target: 3,
      });
      d.contracts.push({ ...d.contracts[1]! });
    });
    const problems = await problemsOf(dir);
    expect(problems.map((p) => `${p.file} ${p.path}: ${p.message}`)).toEqual([
      'contracts.json [1].id: The id "vrs-test" is used more than once',
      'contracts.json [3].id: The id "vrs-test" is used more than once',
      'contracts.json [0].provider_id: No provider has the id "nobody"',
      'profiles.json [1].period: 2030-01 is outside the term of contract "plp-test" (2024-10 to 2027-09)',
      'profiles.json [2]: There is already a profile for plp-test, referrals, 2025-01',
    ]);
  });

  it('says which file is missing or is not JSON', async () => {
    const dir = await folderWith(() => {});
    await writeFile(join(dir, 'providers.json'), '[{');
    const problems = await problemsOf(dir);
    expect(problems[0]).toMatchObject({ file: 'providers.json', path: '' });
    expect(problems[0]!.message).toMatch(/not valid JSON/);
    expect((await problemsOf(join(dir, 'nowhere')))[0]!.message).toMatch(/missing/);
  });
});
