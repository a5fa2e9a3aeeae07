/**
 * Puts a published site (publishSite's folder) into a bucket under one prefix, and takes away
 * what is no longer published, so the bucket holds exactly the site of the build in force.
 * Pages and assets go up first and stale keys are deleted last, so a reader mid-way sees old
 * pages or new, never a link to something already removed.
 */
import { extname, join } from 'node:path';
import type { ObjectStore } from '../../pipelines/store/object-store.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/** The Content-Type a browser needs for a published file. */
export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export interface SiteUpload {
  uploaded: string[];
  deleted: string[];
}

/**
 * @param files the files publishSite wrote, relative to `dir`, `/`-separated
 * @param prefix where the site lives in the store, e.g. `site/`
 */
export async function uploadSite(
  store: ObjectStore,
  dir: string,
  files: readonly string[],
  prefix: string,
): Promise<SiteUpload> {
  const base = prefix.endsWith('/') ? prefix : `${prefix}/`;
  // Pages last among uploads: a page never links to an asset not yet there.
  const ordered = [...files].sort(
    (a, b) =>
      Number(a.endsWith('.html')) - Number(b.endsWith('.html')) ||
      Number(a === 'index.html') - Number(b === 'index.html') ||
      (a < b ? -1 : 1),
  );
  const uploaded: string[] = [];
  for (const file of ordered) {
    const key = `${base}${file}`;
    await store.putFile(key, join(dir, ...file.split('/')), { contentType: contentTypeOf(file) });
    uploaded.push(key);
  }
  const keep = new Set(uploaded);
  const deleted: string[] = [];
  for (const key of await store.list(base)) {
    if (keep.has(key)) continue;
    await store.delete(key);
    deleted.push(key);
  }
  return { uploaded, deleted };
}
