/** `outturn publish --out DIR [--base-path /reports/]`: writes the commissioner pages as a static site. */
import { resolve } from 'node:path';
import { publishSite } from '../../../reports/publish/publish.js';
import { openStoreFor, parse, UsageError, type Io } from '../args.js';
import { progressLine } from '../progress.js';

export async function publishCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parse(argv, { out: { type: 'string' }, 'base-path': { type: 'string' } });
  if (!values.out) throw new UsageError('Say where to write the site: --out DIR');
  const basePath = values['base-path'];
  if (basePath !== undefined && !basePath.startsWith('/'))
    throw new UsageError('--base-path must start with /, for example /reports/');
  const store = openStoreFor(io);
  const progress = progressLine('Publishing');
  const { files, programmes, bytes } = await publishSite(store, values.out, {
    basePath,
    onProgress: (done, total) => progress(done, total),
  });
  const pages = files.filter((f) => f.endsWith('.html')).length;
  io.out(
    `Wrote ${files.length.toLocaleString('en-GB')} files (${pages} pages for ${programmes.length} programmes, ${(files.length - pages).toLocaleString('en-GB')} assets; ${(bytes / 1024).toFixed(0)} KB) to ${resolve(values.out)}\n` +
      `Open ${resolve(values.out, 'index.html')} to check it.\n`,
  );
  return 0;
}
