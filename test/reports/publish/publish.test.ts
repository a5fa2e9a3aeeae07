import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../functions/cli/main.js';
import { assetPaths } from '../../../reports/assets.js';
import { openRestricted } from '../../../pipelines/analytics/restricted.js';
import {
  PUBLISHABLE_TABLES,
  publishSite,
  type PublishResult,
} from '../../../reports/publish/publish.js';
import { pipelineWith, type PipelineFixture } from '../../fixtures/pipeline.js';
import { participants } from '../../fixtures/returns.js';
import { webReference } from '../../functions/web/fixture.js';

let pipeline: PipelineFixture;
let out: string;
let result: PublishResult;
const progress: number[] = [];
const made: string[] = [];
const tempDir = async (): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), 'outturn-site-'));
  made.push(dir);
  return dir;
};
afterAll(async () => {
  for (const dir of made) await rm(dir, { recursive: true, force: true });
});

beforeAll(async () => {
  // As the web fixture: six January participants on plp-test, three on vrs-south (suppressed).
  pipeline = await pipelineWith(webReference(), [
    { contractId: 'plp-test', period: '2025-01', rows: participants(6) },
    { contractId: 'vrs-south', period: '2025-01', rows: participants(3) },
  ]);
  out = await tempDir();
  result = await publishSite(pipeline.store, out, { onProgress: (done) => progress.push(done) });
}, 60_000);

async function walk(dir: string, prefix = ''): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) found.push(...(await walk(join(dir, entry.name), rel)));
    else found.push(rel);
  }
  return found;
}
const page = (file: string) => readFile(join(out, file), 'utf8');
const htmlFiles = () => result.files.filter((f) => f.endsWith('.html'));

describe('publishSite', () => {
  it('writes an index, one overview and two measures pages (to date, by programme year) per programme and every asset, and lists them', async () => {
    expect(result.programmes.sort()).toEqual(['agg', 'plp', 'vrs']);
    expect(htmlFiles().sort()).toEqual([
      'index.html',
      'programmes/agg/index.html',
      'programmes/agg/measures/index.html',
      'programmes/agg/measures/programme-years/index.html',
      'programmes/plp/index.html',
      'programmes/plp/measures/index.html',
      'programmes/plp/measures/programme-years/index.html',
      'programmes/vrs/index.html',
      'programmes/vrs/measures/index.html',
      'programmes/vrs/measures/programme-years/index.html',
    ]);
    const years = await page('programmes/vrs/measures/programme-years/index.html');
    expect(years).toContain('Figures are for everyone, by programme year.');
    expect(years).toContain(
      'href="../index.html">The same measures for the whole term to date</a>',
    );
    for (const asset of assetPaths()) expect(result.files).toContain(asset.slice(1));
    expect(result.files).toContain('assets/govuk-frontend.min.css');
    expect(result.files).toContain('assets/outturn.css');
    expect((await walk(out)).sort()).toEqual([...result.files].sort());
    expect((await stat(join(out, 'assets/govuk-frontend.min.css'))).size).toBeGreaterThan(50_000);
    expect(progress.at(-1)).toBe(result.files.length);
  });

  it('renders the overview with the web app’s renderer: headings, captions, header cells and the figures', async () => {
    const plp = await page('programmes/plp/index.html');
    expect(plp).toContain('<h1 class="govuk-heading-l">Programme overview</h1>');
    expect(plp).toContain('% of profile to date by contract and measure</caption>');
    expect(plp).toContain('Job entry rates by contract</caption>');
    expect(plp).toMatch(
      /<th scope="col" class="govuk-table__header govuk-table__header--numeric">% of profile to date<\/th>/,
    );
    // plp-test, January 2025: 6 referrals against a profile of 20 = 30%, red; plp's rule in the
    // reference data is green from 95%, amber from 85%, so the tag says red is below 85%.
    expect(plp).toMatch(
      /Acme Employment<\/td><td[^>]*>Referrals<\/td><td[^>]*>January 2025<\/td><td[^>]*>6<\/td><td[^>]*>20<\/td><td[^>]*>30%<\/td><td[^>]*><strong class="govuk-tag govuk-tag--red">Red: below 85% of profile<\/strong><\/td>/,
    );
    expect(plp).not.toMatch(/>(Red|Amber|Green)<\/strong>/);
    // The filters ask the server, so the static page has none.
    expect(plp).not.toContain('<form');
    const index = await page('index.html');
    expect(index).toContain('<h1 class="govuk-heading-l">Programme overviews</h1>');
    expect(index).toContain('href="programmes/plp/index.html"');
  });

  it('links only to files in the folder or anchors in the page, and to nothing outside', async () => {
    const broken: string[] = [];
    for (const file of htmlFiles()) {
      const text = await page(file);
      expect(text, file).not.toMatch(/https?:\/\/(?!www\.w3\.org\/)/);
      expect(text, file).not.toMatch(/(?:href|src|action)="\/\//);
      for (const [, link] of text.matchAll(/(?:href|src|action)="([^"]*)"/g)) {
        if (link!.startsWith('#')) {
          if (!text.includes(`id="${link!.slice(1)}"`)) broken.push(`${file}: ${link}`);
          continue;
        }
        expect(link, `${file}: ${link}`).not.toMatch(/^\//); // relative, so file:// and any folder work
        const target = posix.normalize(posix.join(posix.dirname(file), link!.split('#')[0]!));
        if (!result.files.includes(target)) broken.push(`${file}: ${link} → ${target}`);
      }
    }
    expect(broken).toEqual([]);
    // The stylesheet's fonts and images resolve relative to it.
    const css = await page('assets/govuk-frontend.min.css');
    for (const [, url] of css.matchAll(/url\(([^)]+)\)/g)) {
      const clean = url!.replace(/["']/g, '');
      if (clean.startsWith('data:')) continue;
      expect(result.files, clean).toContain(posix.normalize(posix.join('assets', clean)));
    }
  });

  it('never publishes a suppressed true value: vrs-south’s 3 shows only as “[c]”', async () => {
    const [perf] =
      await pipeline.query(`select s.cumulative_actual_display as shown, p.cumulative_actual as truth
      from suppressed_performance s join performance p using (contract_id, measure_id, period)
      where contract_id = 'vrs-south' and measure_id = 'referrals' and period = '2025-01'`);
    expect(perf).toEqual({ shown: '[c]', truth: 3 });
    const [out] = await pipeline.query(`select s.starts_display as shown, o.starts as truth
      from suppressed_outcomes s join outcomes o using (contract_id, breakdown, breakdown_value)
      where contract_id = 'vrs-south' and breakdown = 'all'`);
    expect(out).toEqual({ shown: '[c]', truth: 3 });
    const vrs = await page('programmes/vrs/index.html');
    const row = vrs.match(
      /<tr class="govuk-table__row" data-contract="vrs-south">[\s\S]*?<\/tr>/,
    )?.[0];
    expect(row).toMatch(/Referrals<\/td><td[^>]*>January 2025<\/td><td[^>]*>\[c\]<\/td>/);
    const cells = [...vrs.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]);
    expect(cells).not.toContain('3');
  });

  it('is rendered from the restricted engine, which holds the published tables and nothing else', async () => {
    // The scope publishSite uses: every contract. The same instance serves the site (it is cached).
    const scope = {
      contracts: pipeline.reference.contracts.map((c) => ({
        id: c.id,
        programme_id: c.programme_id,
        provider_id: c.provider_id,
      })),
    };
    const db = await openRestricted(pipeline.store, scope);
    try {
      const tables = await db.query('select table_name from duckdb_tables() order by table_name');
      expect(tables.rows.map((r) => r.table_name)).toEqual([...PUBLISHABLE_TABLES].sort());
      expect(PUBLISHABLE_TABLES).toContain('suppressed_performance');
      expect(PUBLISHABLE_TABLES).toContain('provider_timeliness');
      expect(PUBLISHABLE_TABLES).not.toContain('performance');
      await expect(db.query('select * from performance')).rejects.toThrow(/does not exist/);
    } finally {
      db.close();
    }
  });

  it('takes an absolute base path for a site under a folder of a domain', async () => {
    const dir = await tempDir();
    await publishSite(pipeline.store, dir, { basePath: '/reports/' });
    const plp = await readFile(join(dir, 'programmes/plp/index.html'), 'utf8');
    expect(plp).toContain('href="/reports/assets/govuk-frontend.min.css"');
    expect(plp).toContain('href="/reports/index.html"');
  });
});

describe('npm run outturn -- publish', () => {
  it('writes the site and says what it wrote', async () => {
    const dir = await tempDir();
    const said: string[] = [];
    const errs: string[] = [];
    const before = process.env.OUTTURN_DATA_DIR;
    process.env.OUTTURN_DATA_DIR = pipeline.dir;
    try {
      const code = await main(['publish', '--out', dir], {
        out: (t) => said.push(t),
        err: (t) => errs.push(t),
      });
      // The command says which store it opened (on stderr, beside its output), and nothing else.
      expect(errs).toEqual([`Store: local directory ${pipeline.dir}\n`]);
      expect(code).toBe(0);
    } finally {
      if (before === undefined) delete process.env.OUTTURN_DATA_DIR;
      else process.env.OUTTURN_DATA_DIR = before;
    }
    expect(said.join('')).toMatch(
      /^Wrote \d+ files \(10 pages for 3 programmes, \d+ assets; \d+ KB\) to /,
    );
    expect((await stat(join(dir, 'programmes', 'vrs', 'index.html'))).isFile()).toBe(true);
    expect(dirname(join(dir, 'index.html'))).toBe(dir);
  });

  it('asks for --out', async () => {
    const errs: string[] = [];
    expect(await main(['publish'], { out: () => {}, err: (t) => errs.push(t) })).toBe(2);
    expect(errs.join('')).toContain('--out DIR');
  });
});
