/** The catalogue of commands is the one source of the help and of the README's table. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  catalogue,
  commandHelp,
  readmeCommandTable,
  withCommandTable,
} from '../../../functions/cli/catalogue.js';

const root = join(import.meta.dirname, '..', '..', '..');

describe('the catalogue of commands', () => {
  it('is the README’s table of commands (run `npm run outturn -- docs` after changing it)', async () => {
    const readme = await readFile(join(root, 'README.md'), 'utf8');
    expect(readme).toContain(readmeCommandTable());
    expect(withCommandTable(readme)).toBe(readme);
  });

  it('gives every command a usage, an example of itself, and help naming each option', () => {
    expect(new Set(catalogue.map((c) => c.name)).size).toBe(catalogue.length);
    for (const c of catalogue) {
      expect(c.example.split(' ')[0], c.name).toBe(c.name);
      for (const u of c.usage) expect(u.split(' ')[0], c.name).toBe(c.name);
      const help = commandHelp(c);
      for (const [option] of c.options) expect(help, c.name).toContain(`  ${option}  `);
    }
  });
});
