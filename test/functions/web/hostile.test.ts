/**
 * Privilege, not parsing (issue 9, ADR 020): every hostile technique and a generated fuzz of
 * spellings, for every role that may query, through the HTTP routes (the API and the page) and
 * through the restricted engine itself with the dialect checker skipped. Canaries are planted
 * where each role may not look — a value in every true-count mart's files, a participant
 * reference in the staged Parquet and the raw upload, the rows of a contract or programme
 * outside the role's scope, a system file — and no answer may contain one. The same queries
 * against the full engine find them: the assertion can fail.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../functions/web/app.js';
import { analyticsEngine } from '../../../functions/web/routes/analytics.js';
import { restrictedScope } from '../../../pipelines/access/index.js';
import { withDefaults } from '../../../functions/web/deps.js';
import { LocalEngine } from '../../../pipelines/analytics/local.js';
import { openRestricted } from '../../../pipelines/analytics/restricted.js';
import { openDuckDb, sqlIdent, sqlString } from '../../../pipelines/duckdb/open.js';
import { readCurrentManifest } from '../../../pipelines/transform/curated.js';
import {
  audienceOf,
  exportedModels,
  SCOPE_COLUMNS,
} from '../../../pipelines/transform/registry.js';
import { pipelineWith, type Pipeline } from '../../fixtures/pipeline.js';
import { participants } from '../../fixtures/returns.js';
import { NOW, SAME_ORIGIN, SECRET, webReference } from './fixture.js';
import { fuzzedQueries, hostileQueries, type HostileQuery } from './hostile/queries.js';
import { issueToken } from '../../../functions/web/auth/tokens.js';

/** In every row of every true-count mart's files (planted after the build). */
const TRUE_MART_CANARY = 'CANARY-TRUE-MART-7f3a';
/** A participant reference: in the staged Parquet and the raw upload, never in an aggregate. */
const STAGED_CANARY = 'CANARY-STAGED-91c2';
/** The first line of /etc/passwd begins so. */
const SYSTEM_CANARY = 'root:x:0:0';

/** What each role may not see, beyond the canaries every role is kept from. */
const OUT_OF_SCOPE: Record<'comm' | 'cm-north', string[]> = {
  // comm commissions plp and vrs: agg-test and the agg programme (named in provider_timeliness).
  comm: ['agg-test', 'Pathways aggregate'],
  // cm-north's portfolio is north: vrs-south is portfolio south's.
  'cm-north': ['vrs-south'],
};
const roles = Object.keys(OUT_OF_SCOPE) as (keyof typeof OUT_OF_SCOPE)[];
const forbidden = (who: keyof typeof OUT_OF_SCOPE) => [
  TRUE_MART_CANARY,
  STAGED_CANARY,
  SYSTEM_CANARY,
  ...OUT_OF_SCOPE[who],
];

let pipeline: Pipeline;
let app: ReturnType<typeof createApp>;
let queries: HostileQuery[];
let outDir: string;
const tried: Record<string, number> = {};
const leaked: Record<string, number> = {};

/** Rewrites a true-count mart's file so every row carries the canary in its first text column. */
async function plantInTrueMarts(p: Pipeline): Promise<string[]> {
  const manifest = (await readCurrentManifest(p.store))!;
  const { instance, connection } = await openDuckDb({ memoryLimit: '512MB' });
  const planted: string[] = [];
  try {
    for (const model of exportedModels()) {
      if (audienceOf(model) !== 'internal') continue;
      const column = model.columns.find(
        (c) => c.type === 'VARCHAR' && !(SCOPE_COLUMNS as readonly string[]).includes(c.name),
      );
      if (!column) continue;
      for (const key of Object.values(manifest.models[model.name]!.files)) {
        const path = join(p.dir, key);
        await connection.run(
          `COPY (SELECT * REPLACE (${sqlString(TRUE_MART_CANARY)} AS ${sqlIdent(column.name)}) FROM read_parquet(${sqlString(path)})) TO ${sqlString(`${path}.new`)} (FORMAT parquet)`,
        );
        await rename(`${path}.new`, path);
      }
      planted.push(model.name);
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return planted;
}

beforeAll(async () => {
  pipeline = await pipelineWith(webReference(), [
    {
      contractId: 'plp-test',
      period: '2025-01',
      rows: participants(6, (i) => (i === 0 ? { participant_id: STAGED_CANARY } : {})),
    },
    { contractId: 'vrs-south', period: '2025-01', rows: participants(3) },
    {
      contractId: 'agg-test',
      period: '2025-01',
      aggregate: true,
      rows: [
        { measure: 'referrals', count: '7' },
        { measure: 'starts', count: '3' },
      ],
    },
  ]);
  const planted = await plantInTrueMarts(pipeline);
  expect(planted).toEqual(expect.arrayContaining(['performance', 'outcomes', 'payments']));
  app = createApp({ store: pipeline.store, sessionSecret: SECRET, now: () => NOW });
  outDir = await mkdtemp(join(tmpdir(), 'outturn-hostile-out-'));
  const paths = { dataDir: pipeline.dir, outDir };
  queries = [...hostileQueries(paths), ...fuzzedQueries(paths, 400)];
}, 180_000);

/** The forbidden values found in an answer. */
const found = (answer: string, who: keyof typeof OUT_OF_SCOPE) =>
  forbidden(who).filter((value) => answer.includes(value));

function record(who: string, route: string, leaks: string[][], answered: number): void {
  const key = `${who} ${route}`;
  tried[key] = queries.length;
  leaked[key] = leaks.filter((l) => l.length > 0).length;
  console.log(
    `hostile queries tried: ${tried[key]}, leaked: ${leaked[key]} (${key}; ${answered} answered with rows)`,
  );
}

describe.each(roles)('as %s', (who) => {
  it('POST /api/analytics/query answers no hostile query with anything the role may not see', async () => {
    const token = await issueToken(who, SECRET, { now: NOW });
    const leaks: string[][] = [];
    const statuses: number[] = [];
    for (const q of queries) {
      const res = await app.request('/api/analytics/query', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ sql: q.sql }),
      });
      statuses.push(res.status);
      const answer = await res.text();
      const leak = found(answer, who);
      leaks.push(leak);
      expect(leak, `${q.technique}: ${q.sql}`).toEqual([]);
      expect(res.status, q.sql).toBeLessThan(500);
    }
    record(who, 'POST /api/analytics/query', leaks, statuses.filter((s) => s === 200).length);
    // Some ran (a published table's rows, the catalogue) and some were refused: not all one way.
    expect(statuses).toEqual(expect.arrayContaining([200, 400]));
  }, 300_000);

  it('POST /analytics (the page) answers none with anything the role may not see', async () => {
    const cookie = await signIn(who);
    const leaks: string[][] = [];
    let answered = 0;
    for (const q of queries) {
      const res = await app.request('/analytics', {
        method: 'POST',
        headers: { cookie, ...SAME_ORIGIN },
        body: new URLSearchParams({ sql: q.sql, params: '' }),
      });
      const answer = await res.text();
      // Refused by the app's reading of the query, not by the same-origin check on forms.
      expect(answer, q.sql).not.toContain('was not sent from an Outturn page');
      if (res.status === 200) answered++;
      const leak = found(answer, who);
      leaks.push(leak);
      expect(leak, `${q.technique}: ${q.sql}`).toEqual([]);
    }
    record(who, 'POST /analytics', leaks, answered);
  }, 300_000);

  it('the restricted engine itself, with no checker in front, reads no file and holds nothing else', async () => {
    const caller = {
      user: pipeline.reference.users.find((u) => u.id === who)!,
      reference: pipeline.reference,
    };
    const engine = new LocalEngine(() =>
      openRestricted(pipeline.store, restrictedScope(caller.user, caller.reference)),
    );
    const leaks: string[][] = [];
    let answered = 0;
    for (const q of queries) {
      const outcome = await engine.run(q.sql, [], 1000).then(
        (r) => ({ ran: true, text: JSON.stringify(r) }),
        (e: unknown) => ({ ran: false, text: (e as Error).message }),
      );
      if (outcome.ran) answered++;
      const leak = found(outcome.text, who);
      leaks.push(leak);
      expect(leak, `${q.technique}: ${q.sql}`).toEqual([]);
      // Nothing outside the engine answers at all: a file read, a true table, a statement fails.
      if (q.target !== 'published-table')
        expect(outcome.ran && !outcome.text.includes('"rows":[]'), `${q.technique}: ${q.sql}`).toBe(
          false,
        );
    }
    record(who, 'restricted engine', leaks, answered);
    // The app's own engine for the caller is the same restricted one.
    const deps = withDefaults({ store: pipeline.store, sessionSecret: SECRET });
    const appEngine = analyticsEngine(deps, { ...caller, via: 'token' })!;
    expect(appEngine).toBeInstanceOf(LocalEngine);
    expect(
      (await appEngine
        .run('SELECT * FROM performance', [], 10)
        .catch((e: Error) => e.message)) as string,
    ).toMatch(/Table with name performance does not exist/);
  }, 300_000);
});

describe('the canaries are there to be found', () => {
  it('the same queries against the full engine find every kind of canary (the check can fail)', async () => {
    const full = new LocalEngine(pipeline.store);
    const seen = new Set<string>();
    // The plain form of each technique is enough to show each canary can be reached.
    const plain = queries.filter((q) =>
      /^(read_parquet|read_text|glob) on |^every row|^table spelled #0/.test(q.technique),
    );
    for (const q of plain) {
      const text = await full.run(q.sql, [], 1000).then(
        (r) => JSON.stringify(r),
        (e: unknown) => (e as Error).message,
      );
      for (const value of [...forbidden('comm'), ...forbidden('cm-north')])
        if (text.includes(value)) seen.add(value);
    }
    expect([...seen].sort()).toEqual(
      [...new Set([...forbidden('comm'), ...forbidden('cm-north')])].sort(),
    );
  }, 300_000);

  it('nothing was written where COPY, EXPORT and ATTACH were pointed', async () => {
    expect(await readdir(outDir)).toEqual([]);
    expect(existsSync(join(outDir, 'copied.csv'))).toBe(false);
  });

  it('and each role’s engine does answer its own figures', async () => {
    for (const who of roles) {
      const token = await issueToken(who, SECRET, { now: NOW });
      const res = await app.request('/api/analytics/query', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          sql: 'SELECT DISTINCT contract_id FROM suppressed_performance ORDER BY 1',
        }),
      });
      const { rows } = (await res.json()) as { rows: { contract_id: string }[] };
      expect(
        rows.map((r) => r.contract_id),
        who,
      ).toEqual(who === 'comm' ? ['plp-test', 'vrs-south'] : ['plp-test']);
    }
  });
});

async function signIn(userId: string): Promise<string> {
  const res = await app.request('/sign-in', {
    method: 'POST',
    headers: SAME_ORIGIN,
    body: new URLSearchParams({ user: userId }),
  });
  return res.headers.get('set-cookie')!.split(';')[0]!;
}
