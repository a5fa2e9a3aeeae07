/**
 * The page cache holds pages per build, bounded by bytes whatever the number of keys asked
 * (a commissioner varying the programme page's filters), least recently used out first.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cachedBytes,
  cachedPage,
  MAX_BYTES,
  pageBytes,
} from '../../../functions/web/page-cache.js';
import { putJson } from '../../../pipelines/store/object-store.js';
import { LocalStore } from '../../../pipelines/store/local-store.js';
import { CURRENT_KEY } from '../../../pipelines/transform/curated.js';

describe('the page cache', () => {
  it('renders a page once per build, and holds no more than its bytes whatever is asked', async () => {
    const store = new LocalStore(await mkdtemp(join(tmpdir(), 'outturn-page-cache-')));
    await putJson(store, CURRENT_KEY, { build_id: 'build-1' });
    let renders = 0;
    const page = (n: number) => async () => {
      renders++;
      return { html: `<p>${n}</p>`.padEnd(1024 * 1024, ' '), status: 200 };
    };
    await cachedPage(store, 'a', page(0));
    await cachedPage(store, 'a', page(0));
    expect(renders).toBe(1);
    // Twice the budget in 1 MB pages: the cache stays within it.
    for (let i = 0; i < (2 * MAX_BYTES) / (1024 * 1024); i++) {
      await cachedPage(store, `key-${i}`, page(i));
      // a is used again and again, so it is never the least recently used
      await cachedPage(store, 'a', page(0));
    }
    expect(cachedBytes()).toBeLessThanOrEqual(MAX_BYTES);
    const before = renders;
    await cachedPage(store, 'a', page(0));
    expect(renders).toBe(before);
    await cachedPage(store, 'key-0', page(0));
    expect(renders).toBe(before + 1); // the oldest went first
    // A new build is never served an old page.
    await putJson(store, CURRENT_KEY, { build_id: 'build-2' });
    await cachedPage(store, 'a', page(0));
    expect(renders).toBe(before + 2);
  });

  it('sends a page as the bytes the replaces would give, its parts at the top of the main content', () => {
    const main = '<main id="main-content">';
    const page = { html: `<p>Outturn – £3</p>${main}<h1>Figures</h1></main>`, status: 200 };
    const replaced = (parts: string[]) =>
      [...parts].reverse().reduce((h, p) => (p ? h.replace(main, `${main}\n${p}`) : h), page.html);
    const decoded = (parts: string[]) => new TextDecoder().decode(pageBytes(page, parts, main));
    expect(decoded(['', ''])).toBe(page.html);
    expect(decoded(['<div>banner</div>', '<p>Locked: May 2025.</p>'])).toBe(
      replaced(['<div>banner</div>', '<p>Locked: May 2025.</p>']),
    );
    expect(decoded(['', '<p>Closed: June 2025.</p>'])).toBe(
      page.html.replace(main, `${main}\n<p>Closed: June 2025.</p>`),
    );
    // The same parts again: the same bytes, not encoded again.
    expect(pageBytes(page, ['', '<p>Closed: June 2025.</p>'], main)).toBe(
      pageBytes(page, ['', '<p>Closed: June 2025.</p>'], main),
    );
    // A page without a main content (an error page) is sent as it is.
    const bare = { html: '<p>Sorry – no</p>', status: 500 };
    expect(new TextDecoder().decode(pageBytes(bare, ['<div>banner</div>'], main))).toBe(bare.html);
  });
});
