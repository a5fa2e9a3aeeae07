/**
 * The static files a page needs — govuk-frontend's compiled CSS, its fonts and images, and
 * Outturn's own stylesheet — served by the app itself from the installed package.
 *
 * No CDN and nothing fetched at run time (DESIGN §8): NHS and government networks block or
 * slow third-party hosts. The set of paths is an allow-list built from the package's files, so
 * a request is either exactly one of them or refused: `..`, encoded slashes and absolute paths
 * never reach the file system.
 *
 * @example
 *   const asset = await readAsset('/assets/govuk-frontend.min.css');
 *   if (asset) return new Response(asset.body, { headers: { 'content-type': asset.contentType } });
 */
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { outturnCss } from './styles.js';

export interface Asset {
  body: Uint8Array;
  contentType: string;
}

/** Where the assets live in a URL; pages link under it, and `readAsset` answers for it. */
export const ASSET_PREFIX = '/assets/';

const CONTENT_TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/manifest+json',
};

type Source = { file: string } | { text: () => string };

let sources: Map<string, Source> | undefined;
const cache = new Map<string, Promise<Asset>>();

function govukDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('govuk-frontend/package.json')), 'dist', 'govuk');
}

function allSources(): Map<string, Source> {
  if (sources) return sources;
  const dir = govukDir();
  const map = new Map<string, Source>();
  map.set(`${ASSET_PREFIX}govuk-frontend.min.css`, { file: join(dir, 'govuk-frontend.min.css') });
  map.set(`${ASSET_PREFIX}outturn.css`, { text: () => outturnCss });
  map.set(`${ASSET_PREFIX}manifest.json`, { file: join(dir, 'assets', 'manifest.json') });
  for (const folder of ['fonts', 'images']) {
    for (const name of readdirSync(join(dir, 'assets', folder)).sort()) {
      if (CONTENT_TYPES[extname(name)])
        map.set(`${ASSET_PREFIX}${folder}/${name}`, { file: join(dir, 'assets', folder, name) });
    }
  }
  sources = map;
  return map;
}

/** Every asset path (e.g. `/assets/fonts/bold-b542beb274-v2.woff2`), for a static publish to copy. */
export function assetPaths(): string[] {
  return [...allSources().keys()];
}

/**
 * The bytes and content type for a request path, or null when the path is not an asset (which
 * includes every attempt to climb out of the folder). The path is matched exactly: query
 * strings are the caller's to strip.
 */
export async function readAsset(path: string): Promise<Asset | null> {
  const source = allSources().get(path);
  if (!source) return null;
  let asset = cache.get(path);
  if (!asset) {
    asset = load(path, source);
    cache.set(path, asset);
  }
  return asset;
}

async function load(path: string, source: Source): Promise<Asset> {
  const contentType = CONTENT_TYPES[extname(path)] ?? 'application/octet-stream';
  if ('text' in source) return { body: new TextEncoder().encode(source.text()), contentType };
  const bytes = new Uint8Array(await readFile(source.file));
  if (!path.endsWith('.css')) return { body: bytes, contentType };
  // govuk-frontend's CSS names its fonts and images from the site root (`url(/assets/fonts/…)`).
  // Relative to the stylesheet they resolve to the same place when served live, and also work
  // when the published static site sits under a folder.
  const css = new TextDecoder().decode(bytes).replaceAll(`url(${ASSET_PREFIX}`, 'url(');
  return { body: new TextEncoder().encode(css), contentType };
}
