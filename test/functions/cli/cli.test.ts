/**
 * The command line as a user runs it: `npm run outturn -- …` is `tsx functions/cli/main.ts …`,
 * run here as a child process on real files, checking exit codes and what it prints.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { participantFields } from '../../../pipelines/returns/fields.js';
import { csvOf, participant } from '../../fixtures/returns.js';
import { csvTemplate } from '../../../pipelines/returns/templates.js';
import { testReference } from '../../fixtures/reference.js';
import { catalogue } from '../../../functions/cli/catalogue.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

let env: NodeJS.ProcessEnv = process.env;

async function outturn(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  return outturnIn(env, ...args);
}

async function outturnIn(
  env: NodeJS.ProcessEnv,
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
      expect(loaded.stderr).toContain(`Store: local directory ${data}`);
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
      expect(refused.stderr).toMatch(/^Refused: /m);

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
      const typo = await outturn('query', 'select * from perfromance');
      expect(typo.code).toBe(1);
      expect(typo.stderr).toMatch(/There is no table "perfromance". Did you mean performance\?/);
      expect(typo.stderr).not.toMatch(/Catalog Error|Binder Error/);
      const text = await outturn('query', 'select * from performance where period = 2025');
      expect(text.stderr).toMatch(
        /The column period holds text such as '\d{4}-\d\d', which is not a whole number: compare it with text in quotes/,
      );
      expect(text.stderr).toMatch(/^LINE 1: /m);
      const write = await outturn('query', 'create table x as select 1');
      expect(write.code).toBe(1);
      expect(write.stderr).toMatch(/Only SELECT queries/);
    } finally {
      env = process.env;
    }
  }, 300_000); // about twenty commands, each a new process: a shared machine is slow
});

describe('help', () => {
  it(
    'describes every command at the top level, and exits 2 when called with nothing',
    {
      timeout: 180_000,
    },
    async () => {
      const help = await outturn('--help');
      expect(help.code).toBe(0);
      for (const c of catalogue)
        expect(help.stdout).toMatch(new RegExp(`^  ${c.name}\n      \\S`, 'm'));
      const bare = await outturn();
      expect(bare.code).toBe(2);
      expect(bare.stdout).toContain('Usage: npm run outturn -- <command> [options]');
    },
  );

  it('prints each command’s usage with an example for --help and -h, exit 0, touching no store', async () => {
    // In this process (the same main() the child runs), so that 20 commands cost no 20 starts.
    const { main } = await import('../../../functions/cli/main.js');
    for (const c of catalogue)
      for (const flag of ['--help', '-h']) {
        let stdout = '';
        let stderr = '';
        const code = await main([c.name, flag], {
          out: (t) => (stdout += t),
          err: (t) => (stderr += t),
        });
        expect(code, `${c.name} ${flag}`).toBe(0);
        expect(stdout).toMatch(new RegExp(`^Usage: npm run outturn -- ${c.name}[ \n]`));
        expect(stdout).toContain(`Example:\n  npm run outturn -- ${c.example}\n`);
        expect(stderr).toBe('');
      }
    const child = await outturn('ingest', '-h');
    expect(child.code).toBe(0);
    expect(child.stdout).toMatch(/--received YYYY-MM-DD/);
  });

  it('names the command and its help when one is called wrongly', async () => {
    const { code, stderr } = await outturn('ingest', '--contract', 'x');
    expect(code).toBe(2);
    expect(stderr).toMatch(/^Give one file to ingest\n\nUsage: npm run outturn -- ingest FILE/);
    expect(stderr).toContain('"npm run outturn -- ingest --help" says more.');
  });
});

describe('your own reference data and historical returns, on a new store', () => {
  it('loads reference data, refuses a contract it cannot check, and keeps the day a return was received', async () => {
    const store = join(dir, 'own-store');
    const own = { ...process.env, OUTTURN_DATA_DIR: store };
    const file = join(dir, 'historical.csv');
    await writeFile(file, csvOf([participant()]));

    // Nothing loaded yet: a contract cannot be checked, so that is an error, not a pass.
    const unchecked = await outturnIn(
      own,
      'validate',
      file,
      '--contract',
      'plp-test',
      '--period',
      '2025-03',
    );
    expect(unchecked.code).toBe(2);
    expect(unchecked.stderr).toContain(`Store: local directory ${store}`);
    expect(unchecked.stderr).toMatch(
      /Cannot check the return against contract "plp-test": local directory .* has no usable reference data/,
    );

    // A folder with a bad value changes nothing and says where it is.
    const bad = join(dir, 'bad-reference');
    const good = join(dir, 'good-reference');
    const data = testReference();
    for (const [folder, contracts] of [
      [bad, data.contracts.map((c, i) => (i === 1 ? { ...c, nation: 'wales' } : c))],
      [good, data.contracts.map((c, i) => (i === 1 ? { ...c, nation: 'scotland' } : c))],
    ] as const) {
      await mkdir(folder, { recursive: true });
      for (const [key, rows] of Object.entries({ ...data, contracts }))
        await writeFile(join(folder, `${key}.json`), JSON.stringify(rows));
    }
    const refused = await outturnIn(own, 'reference', 'load', bad);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/contracts.json: \[1\]\.nation: /);
    await expect(readFile(join(store, 'reference', 'contracts.json'))).rejects.toThrow();

    const loaded = await outturnIn(own, 'reference', 'load', good);
    expect(loaded.code).toBe(0);
    expect(loaded.stdout).toMatch(
      /^Loaded the reference data from .*good-reference into local directory .*: 3 programmes, 2 providers, 3 contracts, 1 profile rows, 6 users\./,
    );
    const stored = JSON.parse(await readFile(join(store, 'reference', 'contracts.json'), 'utf8'));
    expect(stored.map((c: { nation: string }) => c.nation)).toEqual([
      'england-and-wales',
      'scotland',
      'england-and-wales',
    ]);

    const unknown = await outturnIn(
      own,
      'validate',
      file,
      '--contract',
      'plp-tset',
      '--period',
      '2025-03',
    );
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toMatch(/There is no contract "plp-tset"/);

    // March 2025's return was due on 14 April (the 10th working day); it came on the 25th.
    const future = await outturnIn(
      own,
      'ingest',
      file,
      '--contract',
      'plp-test',
      '--period',
      '2025-03',
      '--received',
      '2999-01-01',
    );
    expect(future.code).toBe(2);
    expect(future.stderr).toMatch(/--received 2999-01-01 is in the future/);
    const ingested = await outturnIn(
      own,
      'ingest',
      file,
      '--contract',
      'plp-test',
      '--period',
      '2025-03',
      '--received',
      '2025-04-25',
    );
    expect(ingested.stdout).toMatch(/\(received 2025-04-25T12:00:00.000Z\): accepted, version 1/);
    expect(ingested.code).toBe(0);
    const status = await outturnIn(
      own,
      'query',
      "select deadline, first_submitted_at, on_time, days_late from returns_status where contract_id = 'plp-test' and period = '2025-03'",
      '--json',
    );
    expect(JSON.parse(status.stdout)).toEqual([
      {
        deadline: '2025-04-14',
        first_submitted_at: '2025-04-25 12:00:00',
        on_time: false,
        days_late: 11,
      },
    ]);
  }, 240_000);
});

describe('S3 failures', () => {
  const s3 = (extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv => {
    const clean = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')),
    );
    return {
      ...clean,
      HOME: dir,
      AWS_CONFIG_FILE: join(dir, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-aws-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_MAX_ATTEMPTS: '1',
      OUTTURN_S3_BUCKET: 'outturn-cli-test',
      ...extra,
    };
  };

  it('are one plain sentence: no credentials', async () => {
    const { code, stderr } = await outturnIn(s3({}), 'rebuild');
    expect(code).toBe(1);
    const said = stderr
      .split('\n')
      .filter(
        (l) =>
          l &&
          !l.startsWith('Store:') &&
          !/NodeVersionSupportWarning|node >=22|a\.co\/|upgrade to node|trace-warnings|^To continue|^More information|^versions published|^will require/.test(
            l,
          ),
      );
    expect(said).toEqual([
      'Outturn found no AWS credentials to open s3://outturn-cli-test/: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or unset OUTTURN_S3_BUCKET to use a local folder.',
    ]);
  });

  it('are one plain sentence: an endpoint that cannot be reached', async () => {
    const { code, stderr } = await outturnIn(
      s3({
        AWS_ACCESS_KEY_ID: 'S3RVER',
        AWS_SECRET_ACCESS_KEY: 'S3RVER',
        OUTTURN_S3_ENDPOINT: 'http://127.0.0.1:9',
      }),
      'query',
      'select 1',
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^Outturn could not reach the S3 endpoint http:\/\/127\.0\.0\.1:9 for s3:\/\/outturn-cli-test\/ \(ECONNREFUSED\): check OUTTURN_S3_ENDPOINT/m,
    );
    expect(stderr).not.toMatch(/^\s+at /m);
  });
});
