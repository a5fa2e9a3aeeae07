import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { martsMarkdown } from '../../../pipelines/transform/docs.js';
import { models } from '../../../pipelines/transform/registry.js';

describe('docs/marts.md', () => {
  it('is what the model definitions generate (run `npm run outturn -- docs`)', async () => {
    const onDisk = await readFile(join(import.meta.dirname, '../../../docs/marts.md'), 'utf8');
    expect(onDisk).toBe(martsMarkdown());
  });

  it('describes every model and every column', () => {
    const text = martsMarkdown();
    for (const m of models) {
      expect(text).toContain(`### ${m.name}\n`);
      for (const c of m.columns) expect(text).toContain(`| \`${c.name}\` | ${c.type} |`);
    }
  });
});
