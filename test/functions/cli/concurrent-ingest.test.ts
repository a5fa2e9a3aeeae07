/**
 * Issue 15.1 (ADR 027): `outturn ingest` run by several processes at once, as a user (or two
 * Lambda functions) would. Each trial starts three real CLI processes together on one store: a
 * return for one contract, a return for another, and the first return's bytes again. Afterwards
 * the marts in force must hold both returns, and the repeated bytes must have one receipt. Run
 * against a local directory and against s3rver (real S3 protocol, honouring `If-Match` and
 * `If-None-Match` as AWS does: test/pipelines/store/s3rver-server.ts).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listReceipts } from '../../../pipelines/ingest/ingest.js';
import { putReference } from '../../../pipelines/ingest/reference-store.js';
import { LocalStore } from '../../../pipelines/store/local-store.js';
import type { ObjectStore } from '../../../pipelines/store/object-store.js';
import { S3Store } from '../../../pipelines/store/s3-store.js';
import { currentLag } from '../../../pipelines/transform/lag.js';
import { openCurated } from '../../../pipelines/transform/query.js';
import { rebuild } from '../../../pipelines/transform/rebuild.js';
import { testReference } from '../../fixtures/reference.js';
import { csvOf, participants } from '../../fixtures/returns.js';
import {
  bucket,
  credentials,
  startS3rver,
  type RunningS3rver,
} from '../../pipelines/store/s3rver-server.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const asOf = '2026-11-26';
/**
 * Trials per store: 10 locally, 5 over s3rver (each trial is three CLI processes building marts,
 * about a minute on a busy machine); OUTTURN_CONCURRENT_TRIALS to run more or fewer.
 */
const TRIALS = Number(process.env.OUTTURN_CONCURRENT_TRIALS ?? 10);
const S3_TRIALS = Number(process.env.OUTTURN_CONCURRENT_TRIALS ?? 5);

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function ingest(
  env: NodeJS.ProcessEnv,
  file: string,
  contract: string,
  period: string,
): Promise<Outcome> {
  const args = ['functions/cli/main.ts', 'ingest', file, '--contract', contract];
  try {
    const { stdout, stderr } = await run(
      tsx,
      [...args, '--period', period, '--as-of', asOf, '--as', 'admin'],
      { cwd: root, env, maxBuffer: 16 * 1024 * 1024 },
    );
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

async function acceptedInMarts(store: ObjectStore): Promise<string[]> {
  const db = await openCurated(store);
  try {
    const { rows } = await db.query(
      `select contract_id || ' ' || period as r from returns_status where status like 'accepted%' order by 1`,
    );
    return rows.map((row) => String(row.r));
  } finally {
    db.close();
  }
}

/**
 * The trials on one store: trial i sends month i of 2025 for plp-test and vrs-test, the first
 * twice. Returns how many trials had a build that lost the race and built again.
 */
async function trials(
  store: ObjectStore,
  env: NodeJS.ProcessEnv,
  dir: string,
  count: number,
): Promise<number> {
  await putReference(store, testReference());
  await rebuild(store, { asOf, now: new Date(`${asOf}T00:00:00.000Z`) });
  const expected: string[] = [];
  let raced = 0;
  for (let i = 1; i <= count; i++) {
    const period = `2025-${String(i).padStart(2, '0')}`;
    const plp = join(dir, `plp-${period}.csv`);
    const vrs = join(dir, `vrs-${period}.csv`);
    await writeFile(plp, csvOf(participants(i)));
    await writeFile(vrs, csvOf(participants(i + 1)));
    const outcomes = await Promise.all([
      ingest(env, plp, 'plp-test', period),
      ingest(env, vrs, 'vrs-test', period),
      ingest(env, plp, 'plp-test', period),
    ]);
    const [a, b, again] = outcomes;
    console.info(`trial ${i}: ${outcomes.map((o) => o.code).join(' ')}`);
    const why = outcomes.map((o) => o.stdout + o.stderr).join('\n---\n');
    expect(b!.code, why).toBe(0);
    expect([a!.code, again!.code], why).toEqual([0, 0]);
    // The same bytes twice at once: one receipt, and one of the two answers says so.
    expect(
      [a!.stdout, again!.stdout].filter((out) => /: accepted, version 1 \(/.test(out)),
      why,
    ).toHaveLength(1);
    expect(
      [a!.stdout, again!.stdout].filter((out) =>
        /already received|is the version in force/.test(out),
      ),
      why,
    ).toHaveLength(1);
    expect(await listReceipts(store, { contractId: 'plp-test', period })).toHaveLength(1);
    // Every accepted version is in the marts in force, and they lag nothing.
    expected.push(`plp-test ${period}`, `vrs-test ${period}`);
    expect(await acceptedInMarts(store), why).toEqual([...expected].sort());
    expect(await currentLag(store)).toEqual({ contracts: [], missing: [] });
    if (outcomes.some((o) => /built \d+ times/.test(o.stdout))) raced += 1;
  }
  return raced;
}

describe('outturn ingest in several processes at once', () => {
  it(
    `keeps every return in the marts and takes repeated bytes once, ${TRIALS} trials on a local store`,
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'outturn-concurrent-'));
      try {
        const data = join(dir, 'data');
        const env = { ...process.env, OUTTURN_DATA_DIR: data, OUTTURN_S3_BUCKET: '' };
        const raced = await trials(new LocalStore(data), env, dir, TRIALS);
        console.info(`local store: ${raced} of ${TRIALS} trials had a build that lost the race`);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    20 * 60_000,
  );

  describe('on s3rver', () => {
    let server: RunningS3rver;
    beforeAll(async () => {
      server = await startS3rver();
    });
    afterAll(async () => {
      await server.stop();
    });

    it(
      `keeps every return in the marts and takes repeated bytes once, ${S3_TRIALS} trials`,
      async () => {
        const dir = await mkdtemp(join(tmpdir(), 'outturn-concurrent-s3-'));
        const store = new S3Store({
          bucket,
          prefix: 'concurrent/',
          region: 'eu-west-2',
          endpoint: server.conditionalEndpoint,
          forcePathStyle: true,
          credentials,
          cacheDir: join(dir, 'cache-test'),
        });
        try {
          const env = {
            ...process.env,
            OUTTURN_S3_BUCKET: bucket,
            OUTTURN_S3_PREFIX: 'concurrent/',
            OUTTURN_S3_ENDPOINT: server.conditionalEndpoint,
            OUTTURN_CACHE_DIR: join(dir, 'cache-cli'),
            AWS_ACCESS_KEY_ID: credentials.accessKeyId,
            AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
          };
          const raced = await trials(store, env, dir, S3_TRIALS);
          console.info(`s3rver: ${raced} of ${S3_TRIALS} trials had a build that lost the race`);
        } finally {
          store.destroy();
          await rm(dir, { recursive: true, force: true });
        }
      },
      20 * 60_000,
    );
  });
});
