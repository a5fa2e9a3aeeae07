/**
 * bench/bundle: how big each Lambda bundle is, unzipped and zipped, beside a baseline — a bare
 * Hono hello-world handler bundled the same way in the same run — and the DuckDB layer on its
 * own. The API's zipped size is checked against the 5 MB aim (cold starts grow with it).
 *
 *   npm run bench:bundle
 */
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import { bundleEntry, bundleFunction, FUNCTION_NAMES, REPO_ROOT } from '../infra/bundling.js';
import { buildDuckdbLayer } from '../infra/duckdb-layer.js';

const API_ZIPPED_AIM = 5 * 1024 * 1024;

interface Size {
  name: string;
  files: number;
  unzipped: number;
  zipped: number;
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/** Sizes of a directory as Lambda receives it: every file, zipped (deflate level 9, as CDK zips assets). */
async function measure(name: string, dir: string): Promise<Size> {
  const files = await filesUnder(dir);
  const zippable: Zippable = {};
  let unzipped = 0;
  for (const f of files) {
    const bytes = new Uint8Array(await readFile(f));
    unzipped += bytes.byteLength;
    zippable[relative(dir, f).split(sep).join('/')] = bytes;
  }
  const zipped = zipSync(zippable, { level: 9 }).byteLength;
  return { name, files: files.length, unzipped, zipped };
}

const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(2)} MB`;

const root = await mkdtemp(join(tmpdir(), 'outturn-bench-bundle-'));

// The baseline: the smallest Hono Lambda handler, bundled by the same function.
const baselineDir = join(root, 'baseline-src');
await mkdir(baselineDir, { recursive: true });
await symlink(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
await writeFile(
  join(baselineDir, 'handler.ts'),
  "import { Hono } from 'hono';\nimport { handle } from 'hono/aws-lambda';\nconst app = new Hono();\napp.get('/', (c) => c.text('hello'));\nexport const handler = handle(app);\n",
);
const started = Date.now();
await bundleEntry(join(baselineDir, 'handler.ts'), join(root, 'baseline'));
const baseline = await measure('baseline (Hono hello world)', join(root, 'baseline'));

const sizes: Size[] = [];
for (const name of FUNCTION_NAMES) {
  const result = await bundleFunction(name, join(root, name));
  if (result.warnings.length)
    process.stderr.write(
      `${name}: ${result.warnings.length} esbuild warning(s):\n  ${result.warnings.join('\n  ')}\n`,
    );
  sizes.push(await measure(name, result.outDir));
}
const bundleSeconds = (Date.now() - started) / 1000;
const layer = await measure('DuckDB layer', await buildDuckdbLayer(join(root, 'duckdb-layer')));

const rows = [baseline, ...sizes, layer];
const width = Math.max(...rows.map((r) => r.name.length));
console.log(
  `Lambda bundles (esbuild, cjs, node20, minified), bundled in ${bundleSeconds.toFixed(1)} s`,
);
console.log(`${'bundle'.padEnd(width)}  files   unzipped     zipped   × baseline (zipped)`);
for (const r of rows)
  console.log(
    `${r.name.padEnd(width)}  ${String(r.files).padStart(5)}  ${mb(r.unzipped).padStart(9)}  ${mb(r.zipped).padStart(9)}   ${(r.zipped / baseline.zipped).toFixed(1).padStart(8)}×`,
  );
const api = sizes.find((s) => s.name === 'api')!;
console.log(
  `api zipped ${mb(api.zipped)}: ${api.zipped <= API_ZIPPED_AIM ? 'under' : 'OVER'} the ${mb(API_ZIPPED_AIM)} aim` +
    ` (the DuckDB layer, ${mb(layer.zipped)} zipped, is shared and not counted)`,
);
await rm(root, { recursive: true, force: true });
