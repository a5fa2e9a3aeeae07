/**
 * The command line as a user runs it: `npm run outturn -- …` is `tsx functions/cli/main.ts …`,
 * run here as a child process on real files, checking exit codes and what it prints.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { participantFields } from '../../../pipelines/returns/fields.js';
import { csvOf, participant } from '../../fixtures/returns.js';
import { csvTemplate } from '../../../pipelines/returns/templates.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

let env: NodeJS.ProcessEnv = process.env;

async function outturn(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(tsx, [join(root, 'functions/cli/main.ts'), ...args], {
      cwd: root,
      env,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'outturn-cli-'));
});

describe('template', () => {
  it('prints the CSV heading row with the key columns', async () => {
    const { code, stdout } = await outturn('template', '--format', 'csv');
    expect(code).toBe(0);
    const header = stdout.trim().split(',');
    for (const c of [
      'participant_id',
      'referral_date',
      'job_entry_date',
      'exit_reason',
      'work_status_at_referral',
    ])
      expect(header).toContain(c);
    expect(header).toEqual(participantFields.map((f) => f.name));
  });

  it('writes the XLSX template and JSON Schema to files', async () => {
    const xlsx = join(dir, 'template.xlsx');
    const schema = join(dir, 'schema.json');
    expect((await outturn('template', '--format', 'xlsx', '--out', xlsx)).code).toBe(0);
    expect((await outturn('template', '--format', 'json-schema', '--out', schema)).code).toBe(0);
    expect([...(await readFile(xlsx)).subarray(0, 2)]).toEqual([0x50, 0x4b]);
    const parsed = JSON.parse(await readFile(schema, 'utf8'));
    expect(parsed.$defs.participant_row.required).toContain('referral_date');
  });

  it('refuses an unknown format with exit code 2', async () => {
    const { code, stderr } = await outturn('template', '--format', 'pdf');
    expect(code).toBe(2);
    expect(stderr).toMatch(/--format must be one of csv, xlsx, json-schema, markdown/);
  });
});

describe('validate', () => {
  it('accepts a good return with exit code 0', async () => {
    const file = join(dir, 'good.csv');
    await writeFile(file, csvOf([participant()]));
    const { code, stdout } = await outturn('validate', file, '--period', '2025-03');
    expect(stdout).toMatch(/^Accepted: good.csv/);
    expect(code).toBe(0);
  });

  it('rejects a file carrying a National Insurance number, naming row and column', async () => {
    const file = join(dir, 'ni.csv');
    await writeFile(file, csvOf([participant(), participant({ participant_id: 'AB123456C' })]));
    const { code, stdout } = await outturn('validate', file);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /Error \(row 3, column participant_id\): This looks like a National Insurance number/,
    );
    expect(stdout).not.toContain('AB123456C');
  });

  it('rejects a job entry before the referral', async () => {
    const file = join(dir, 'order.csv');
    await writeFile(
      file,
      csvOf([
        participant({
          referral_date: '2025-02-01',
          first_contact_date: '',
          start_date: '',
          job_entry_date: '2025-01-15',
        }),
      ]),
    );
    const { code, stdout } = await outturn('validate', file);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /row 2, column job_entry_date\): Job entry date 2025-01-15 is before referral date 2025-02-01/,
    );
  });

  it('rejects a file missing referral_date, as JSON with --json', async () => {
    const file = join(dir, 'missing.csv');
    await writeFile(
      file,
      csvOf(
        [participant()],
        participantFields.map((f) => f.name).filter((n) => n !== 'referral_date'),
      ),
    );
    const { code, stdout } = await outturn('validate', file, '--json');
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.status).toBe('rejected');
    expect(report.problems).toContainEqual(
      expect.objectContaining({ rule: 'header.missing_column', row: 1, column: 'referral_date' }),
    );
  });

  it('rejects a non-CSV file renamed .csv', async () => {
    const file = join(dir, 'report.csv');
    await writeFile(
      file,
      Buffer.concat([Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n'), Buffer.alloc(200, 7)]),
    );
    const { code, stdout } = await outturn('validate', file);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /This file is a PDF document, not a CSV or Excel workbook, although its name ends in \.csv/,
    );
  });

  it('rejects an XLSX zip bomb without crashing', async () => {
    const file = join(dir, 'bomb.xlsx');
    // 400 MB of sheet XML that compresses to well under a megabyte.
    const sheet = new Uint8Array(400 * 1024 * 1024).fill(0x20);
    const zip = zipSync(
      {
        '[Content_Types].xml': new TextEncoder().encode('<Types/>'),
        'xl/workbook.xml': new TextEncoder().encode(
          '<workbook><sheets><sheet name="Return" sheetId="1" r:id="rId1"/></sheets></workbook>',
        ),
        'xl/worksheets/sheet1.xml': sheet,
      },
      { level: 9 },
    );
    await writeFile(file, zip);
    expect(zip.length).toBeLessThan(2 * 1024 * 1024);
    const { code, stdout } = await outturn('validate', file);
    expect(code).toBe(1);
    expect(stdout).toMatch(/Rejected: bomb.xlsx/);
    expect(stdout).toMatch(/expand|bomb|too much/i);
  });

  it('checks the contract against reference data', async () => {
    const ref = join(dir, 'reference');
    const { testReference } = await import('../../fixtures/reference.js');
    const data = testReference();
    await import('node:fs/promises').then((fs) => fs.mkdir(ref, { recursive: true }));
    for (const [key, rows] of Object.entries(data))
      await writeFile(join(ref, `${key}.json`), JSON.stringify(rows));
    const file = join(dir, 'ref.csv');
    await writeFile(file, csvOf([participant()]));
    expect(
      (
        await outturn(
          'validate',
          file,
          '--contract',
          'plp-test',
          '--period',
          '2025-03',
          '--reference',
          ref,
        )
      ).code,
    ).toBe(0);
    const wrong = await outturn(
      'validate',
      file,
      '--contract',
      'plp-tset',
      '--period',
      '2025-03',
      '--reference',
      ref,
    );
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(/There is no contract "plp-tset". Did you mean plp-test\?/);
  });

  it('says how to call it when the file is missing', async () => {
    const { code, stderr } = await outturn('validate', join(dir, 'nope.csv'));
    expect(code).toBe(2);
    expect(stderr).toMatch(/There is no file at/);
  });
});

describe('the pipeline commands, on a store in a temp folder', () => {
  it('load a small demo, ingest a return, refuse a stranger, rebuild and query', async () => {
    const data = join(dir, 'store');
    env = { ...process.env, OUTTURN_DATA_DIR: data };
    try {
      const loaded = await outturn('demo', '--ingest', '--contracts', '2', '--months', '3');
      expect(loaded.code).toBe(0);
      expect(loaded.stdout).toMatch(
        /Loaded the demo into local directory .*: 6 returns, 6 accepted, 0 rejected/,
      );
      const again = await outturn('demo', '--ingest', '--contracts', '2', '--months', '3');
      expect(again.stdout).toMatch(/6 returns, 0 accepted, 0 rejected, 6 already received/);

      const contracts = JSON.parse(
        await readFile(join(data, 'reference', 'contracts.json'), 'utf8'),
      ) as { id: string; provider_id: string }[];
      const contract = contracts[0]!;
      const june = async () =>
        JSON.parse(
          (
            await outturn(
              'query',
              `select actual from performance where contract_id = '${contract.id}' and measure_id = 'referrals' and period = '2023-06'`,
              '--json',
            )
          ).stdout,
        ) as { actual: number }[];
      const [before] = await june();

      // A corrected June return: the demo's own June return (the demo is deterministic) plus one participant.
      const demoDir = join(dir, 'demo');
      expect(
        (await outturn('demo', '--out', demoDir, '--contracts', '2', '--months', '3')).code,
      ).toBe(0);
      const original = await readFile(join(demoDir, 'returns', contract.id, '2023-06.csv'), 'utf8');
      const extra = csvOf([
        participant({
          participant_id: 'NEW-1',
          referral_date: '2023-06-20',
          first_contact_date: '2023-06-21',
          start_date: '2023-06-28',
        }),
      ]).split('\r\n')[1];
      const file = join(dir, 'june-corrected.csv');
      await writeFile(file, original + extra + '\r\n');

      const stranger =
        contracts.find((c) => c.provider_id !== contract.provider_id)?.provider_id ?? 'nobody';
      const refused = await outturn(
        'ingest',
        file,
        '--contract',
        contract.id,
        '--period',
        '2023-06',
        '--as',
        `user-${stranger}`,
      );
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/^Refused: /);

      const ingested = await outturn(
        'ingest',
        file,
        '--contract',
        contract.id,
        '--period',
        '2023-06',
        '--as',
        `user-${contract.provider_id}`,
      );
      expect(ingested.stdout).toMatch(/: accepted, version 2 \(/);
      expect(ingested.stdout).toMatch(new RegExp(`Marts rebuilt for ${contract.id}`));
      expect(ingested.code).toBe(0);
      expect(await june()).toEqual([{ actual: before!.actual + 1 }]);
      const duplicate = await outturn(
        'ingest',
        file,
        '--contract',
        contract.id,
        '--period',
        '2023-06',
        '--as',
        `user-${contract.provider_id}`,
      );
      expect(duplicate.stdout).toMatch(/is the version in force .* Nothing changed/);

      // The unfilled template for June: held, not in force (ADR 023); confirmed, then withdrawn.
      const template = join(dir, 'template.csv');
      await writeFile(template, csvTemplate('participant'));
      const as = [
        '--contract',
        contract.id,
        '--period',
        '2023-06',
        '--as',
        `user-${contract.provider_id}`,
      ];
      const held = await outturn('ingest', template, ...as);
      expect(held.code).toBe(3);
      expect(held.stdout).toMatch(/: accepted, version 3 \(0 rows/);
      expect(held.stdout).toMatch(
        /This file has no participants; the version in force for 2023-06 \(version 2\) has [\d,]+ participants\./,
      );
      expect(held.stdout).toMatch(
        /Held, not in force\. To put it in force: npm run outturn -- version confirm/,
      );
      expect(await june()).toEqual([{ actual: before!.actual + 1 }]);
      const confirmed = await outturn('version', 'confirm', ...as, '--version', '3');
      expect(confirmed.stdout).toMatch(/^Version 3 confirmed; version 3 is in force\.\n/);
      expect(await june()).toEqual([{ actual: 0 }]);
      const withdrawn = await outturn('version', 'withdraw', ...as, '--version', '3');
      expect(withdrawn.stdout).toMatch(/^Version 3 withdrawn; version 2 is in force again\.\n/);
      expect(await june()).toEqual([{ actual: before!.actual + 1 }]);
      const listed = await outturn('version', 'list', ...as);
      expect(listed.stdout).toMatch(/version 2 {2}In force/);
      expect(listed.stdout).toMatch(/version 3 {2}Withdrawn/);

      const rebuilt = await outturn('rebuild', '--as-of', '2026-11-26');
      expect(rebuilt.code).toBe(0);
      expect(rebuilt.stdout).toMatch(/Built \d+ marts/);

      const csv = await outturn(
        'query',
        `select period, actual from performance where contract_id = '${contract.id}' and measure_id = 'referrals' and period = '2023-06'`,
        '--csv',
      );
      expect(csv.stdout).toBe(`period,actual\r\n2023-06,${before!.actual + 1}\r\n`);
      const write = await outturn('query', 'create table x as select 1');
      expect(write.code).toBe(1);
      expect(write.stderr).toMatch(/Only SELECT queries/);
    } finally {
      env = process.env;
    }
  });
});
