/**
 * `outturn docs [--out DIR] [--readme FILE]`: writes the generated documentation (the return's
 * data dictionary and the marts) and the README's table of commands.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dataDictionaryMarkdown } from '../../../pipelines/returns/data-dictionary.js';
import { martsMarkdown } from '../../../pipelines/transform/docs.js';
import { parse, type Io } from '../args.js';
import { withCommandTable } from '../catalogue.js';

export async function docsCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parse(argv, {
    out: { type: 'string', default: 'docs' },
    readme: { type: 'string', default: 'README.md' },
  });
  for (const [file, text] of [
    ['data-dictionary.md', dataDictionaryMarkdown()],
    ['marts.md', martsMarkdown()],
  ] as const) {
    await writeFile(join(values.out, file), text);
    io.out(`Wrote ${join(values.out, file)}\n`);
  }
  const readme = await readFile(values.readme, 'utf8');
  const updated = withCommandTable(readme);
  if (updated !== readme) await writeFile(values.readme, updated);
  io.out(`${updated === readme ? 'Checked' : 'Wrote'} the table of commands in ${values.readme}\n`);
  return 0;
}
