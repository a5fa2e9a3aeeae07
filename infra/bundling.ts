/**
 * Lambda bundles made with esbuild's JS API on this machine — never Docker (ADR 015, ADR 016).
 *
 * Each function is one CommonJS file (`index.js`), so Lambda's `NODE_PATH` finds the DuckDB
 * layer's native module, which stays external. Source files that locate things on disk with
 * `import.meta.url` get the file URL they would have had, re-rooted at the bundle directory,
 * and the files they read (the models' `.sql`, govuk-frontend's CSS, fonts and images) are
 * copied beside the bundle at the same relative paths.
 */
import { cp, mkdir, readFile, readdir, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile, type Plugin } from 'esbuild';

/** The repository root (this file is `infra/bundling.ts`). */
export const REPO_ROOT: string = fileURLToPath(new URL('..', import.meta.url));

/** The four Lambda functions of ADR 015, each with its entry in `functions/lambda/`. */
export const FUNCTION_NAMES = ['api', 'ingest', 'transform', 'publish'] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

/** The DuckDB native binding is the layer's (see ./duckdb-layer.ts), never bundled. */
export const EXTERNAL_MODULES: readonly string[] = [
  '@duckdb/node-bindings',
  '@duckdb/node-bindings-*',
];

/** The handler file inside every bundle: Lambda's handler setting is `index.handler`. */
export const BUNDLE_FILE = 'index.js';

export interface BundleOptions {
  minify?: boolean;
  sourcemap?: boolean;
}

export interface BundleResult {
  outDir: string;
  /** Source files (relative to the repository root) that went into the bundle. */
  inputs: string[];
  /** Files copied beside the bundle because the code reads them at run time. */
  copied: string[];
  warnings: string[];
}

/** The entry of a function: `functions/lambda/<name>.ts`. */
export function functionEntry(name: FunctionName): string {
  return join(REPO_ROOT, 'functions', 'lambda', `${name}.ts`);
}

/** Bundles one of the four functions into `outDir` (emptied first), with its run-time files. */
export function bundleFunction(
  name: FunctionName,
  outDir: string,
  options: BundleOptions = {},
): Promise<BundleResult> {
  return bundleEntry(functionEntry(name), outDir, options);
}

/** Bundles any entry (a function, the key-pair custom resource, a benchmark baseline) the same way. */
export async function bundleEntry(
  entry: string,
  outDir: string,
  options: BundleOptions = {},
): Promise<BundleResult> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const result = await build({
    entryPoints: [entry],
    absWorkingDir: REPO_ROOT,
    outfile: join(outDir, BUNDLE_FILE),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: options.minify ?? true,
    // Minified, but with class and function names kept: stack traces and error names in the
    // logs stay readable without shipping source maps.
    keepNames: true,
    sourcemap: options.sourcemap ?? false,
    external: [...EXTERNAL_MODULES],
    banner: { js: IMPORT_META_URL_HELPER },
    plugins: [importMetaUrlPlugin()],
    metafile: true,
    logLevel: 'silent',
    // Deterministic output so the asset hash, and so the deployment, changes only with the code.
    legalComments: 'none',
  });
  const inputs = sourceInputs(result.metafile);
  const copied = await copyRuntimeFiles(inputs, outDir);
  return { outDir, inputs, copied, warnings: result.warnings.map((w) => w.text) };
}

/** Bundles all four functions under `root/<name>/`, in parallel. */
export async function bundleAllFunctions(
  root: string,
  options: BundleOptions = {},
): Promise<Record<FunctionName, BundleResult>> {
  const results = await Promise.all(
    FUNCTION_NAMES.map((name) => bundleFunction(name, join(root, name), options)),
  );
  return Object.fromEntries(FUNCTION_NAMES.map((name, i) => [name, results[i]!])) as Record<
    FunctionName,
    BundleResult
  >;
}

/**
 * Defined once at the top of each bundle: the file URL a source file (given relative to the
 * repository root) has when re-rooted at the bundle's own directory, found at run time.
 */
const HELPER_NAME = '__outturnFileUrl';
const PATH_HELPER_NAME = '__outturnFilePath';
const IMPORT_META_URL_HELPER = [
  `var ${PATH_HELPER_NAME} = (p) => require("node:path").join(__dirname, p);`,
  `var ${HELPER_NAME} = (p) => require("node:url").pathToFileURL(${PATH_HELPER_NAME}(p)).href;`,
].join('\n');

/**
 * Rewrites `import.meta.url` (and `.filename`, `.dirname`) in the repository's own TypeScript
 * to what the file will have inside the bundle directory. esbuild would otherwise leave
 * `import.meta` empty in CommonJS.
 */
export function importMetaUrlPlugin(): Plugin {
  return {
    name: 'outturn-import-meta-url',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
        const source = await readFile(args.path, 'utf8');
        if (!source.includes('import.meta')) return { contents: source, loader: 'ts' };
        const rel = relative(REPO_ROOT, args.path).split(sep).join('/');
        const dir = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '.';
        const contents = source
          .replaceAll('import.meta.url', `${HELPER_NAME}(${JSON.stringify(rel)})`)
          .replaceAll('import.meta.filename', `${PATH_HELPER_NAME}(${JSON.stringify(rel)})`)
          .replaceAll('import.meta.dirname', `${PATH_HELPER_NAME}(${JSON.stringify(dir)})`);
        return { contents, loader: 'ts' };
      });
    },
  };
}

/**
 * The repository's own source files in a bundle, relative to the root (esbuild names inputs
 * relative to `absWorkingDir`, `/`-separated; packages resolve through the node_modules symlink
 * to paths outside the worktree or under node_modules/).
 */
function sourceInputs(metafile: Metafile): string[] {
  return Object.keys(metafile.inputs)
    .filter((p) => !p.startsWith('..') && !p.includes('node_modules/'))
    .sort();
}

/** What a bundle reads from disk, keyed by the source file whose presence means it does. */
const RUNTIME_FILES: ReadonlyArray<{ when: string; copy: () => Promise<string[]> }> = [
  { when: 'pipelines/transform/sql-file.ts', copy: modelSqlFiles },
  { when: 'reports/assets.ts', copy: govukFiles },
];

async function copyRuntimeFiles(inputs: readonly string[], outDir: string): Promise<string[]> {
  const copied: string[] = [];
  for (const { when, copy } of RUNTIME_FILES) {
    if (!inputs.includes(when)) continue;
    for (const rel of await copy()) {
      await mkdir(dirname(join(outDir, rel)), { recursive: true });
      await cp(join(REPO_ROOT, rel), join(outDir, rel), { recursive: true, dereference: true });
      copied.push(rel);
    }
  }
  return copied.sort();
}

/** Every model's SQL file, at its path under the repository root. */
async function modelSqlFiles(): Promise<string[]> {
  const base = 'pipelines/transform/models';
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(join(REPO_ROOT, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) await walk(rel);
      else if (entry.name.endsWith('.sql')) found.push(rel);
    }
  };
  await walk(base);
  return found;
}

/**
 * What reports/assets.ts reads: govuk-frontend's package.json (it resolves the package by it),
 * the compiled CSS and the fonts, images and manifest — not the package's 20 MB of sources.
 */
async function govukFiles(): Promise<string[]> {
  const base = 'node_modules/govuk-frontend';
  const files = [
    `${base}/package.json`,
    `${base}/dist/govuk/govuk-frontend.min.css`,
    `${base}/dist/govuk/assets/manifest.json`,
  ];
  const folders = [`${base}/dist/govuk/assets/fonts`, `${base}/dist/govuk/assets/images`];
  for (const f of [...files, ...folders]) await stat(join(REPO_ROOT, f)); // fail loudly if the package moved things
  return [...files, ...folders];
}
