/** `outturn template --format csv|xlsx|json-schema|markdown [--kind participant|aggregate] [--out FILE]` */
import { writeFile } from 'node:fs/promises';
import { dataDictionaryMarkdown } from '../../../pipelines/returns/data-dictionary.js';
import { returnJsonSchema } from '../../../pipelines/returns/json-schema.js';
import { csvTemplate, xlsxTemplate } from '../../../pipelines/returns/templates.js';
import type { ReturnKind } from '../../../pipelines/returns/fields.js';
import { parse, UsageError, type Io } from '../args.js';

const formats = ['csv', 'xlsx', 'json-schema', 'markdown'] as const;

export async function templateCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parse(argv, {
    format: { type: 'string', default: 'csv' },
    kind: { type: 'string', default: 'participant' },
    out: { type: 'string' },
  });
  const format = values.format as (typeof formats)[number];
  if (!formats.includes(format))
    throw new UsageError(`--format must be one of ${formats.join(', ')}`);
  const kind = values.kind as ReturnKind;
  if (kind !== 'participant' && kind !== 'aggregate')
    throw new UsageError('--kind must be participant or aggregate');

  const body: string | Uint8Array =
    format === 'csv'
      ? csvTemplate(kind)
      : format === 'xlsx'
        ? xlsxTemplate(kind)
        : format === 'json-schema'
          ? JSON.stringify(returnJsonSchema(), null, 2) + '\n'
          : dataDictionaryMarkdown();

  if (values.out) {
    await writeFile(values.out, body);
    io.err(
      `Wrote ${format === 'markdown' ? 'the data dictionary' : `the ${kind} ${format} template`} to ${values.out}\n`,
    );
  } else if (typeof body === 'string') io.out(body);
  else throw new UsageError('An XLSX template is binary: give --out FILE to write it to a file');
  return 0;
}
