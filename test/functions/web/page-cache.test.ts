/**
 * The page cache holds pages per build, bounded by bytes whatever the number of keys asked
 * (a commissioner varying the programme page's filters), least recently used out first.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cachedBytes, cachedPage, MAX_BYTES } from '../../../functions/web/page-cache.js';
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
});
