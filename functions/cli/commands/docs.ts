/** `outturn docs [--out DIR]`: writes the generated documentation (the return's data dictionary and the marts). */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dataDictionaryMarkdown } from '../../../pipelines/returns/data-dictionary.js';
import { martsMarkdown } from '../../../pipelines/transform/docs.js';
import { parse, type Io } from '../args.js';

export async function docsCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parse(argv, { out: { type: 'string', default: 'docs' } });
  for (const [file, text] of [
    ['data-dictionary.md', dataDictionaryMarkdown()],
    ['marts.md', martsMarkdown()],
  ] as const) {
    await writeFile(join(values.out, file), text);
    io.out(`Wrote ${join(values.out, file)}\n`);
  }
  return 0;
}
