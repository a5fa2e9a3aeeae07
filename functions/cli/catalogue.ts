/**
 * The one list of commands: what each is called, how it is used, what it does, its options and
 * an example. The top-level help, each command's `--help`, and the README's table of commands
 * are all made from it (a test checks the README), so they cannot drift apart (ADR 028).
 */

export interface CommandEntry {
  name: string;
  /** How it is called, one line per form, without the `npm run outturn --` prefix. */
  usage: readonly string[];
  /** What it does, for the README and the command's help. */
  description: string;
  /** Each option and what it means. */
  options: readonly (readonly [string, string])[];
  /** A command a newcomer can paste (after `npm run outturn -- `). */
  example: string;
  /** Whether it reads or writes the store (and so says which one it opened). */
  store: boolean;
}

export const catalogue = [
  {
    name: 'docs',
    usage: ['docs [--out DIR] [--readme FILE]'],
    description:
      "Regenerates `docs/data-dictionary.md` (the return), `docs/marts.md` (every mart, its grain, columns and tests) and the README's table of commands from the definitions; tests fail when they are out of date.",
    options: [
      ['--out DIR', 'where to write the two documents (default docs)'],
      ['--readme FILE', 'the README whose command table to rewrite (default README.md)'],
    ],
    example: 'docs',
    store: false,
  },
  {
    name: 'template',
    usage: [
      'template --format csv|xlsx|json-schema|markdown [--kind participant|aggregate] [--out FILE]',
    ],
    description:
      'The return template: the CSV heading row, the XLSX workbook (with drop-down lists and a data dictionary sheet), the JSON Schema, or the data dictionary as Markdown.',
    options: [
      ['--format F', 'csv (default), xlsx, json-schema or markdown'],
      ['--kind K', 'participant (default) or aggregate'],
      ['--out FILE', 'write to a file (needed for xlsx) instead of printing'],
    ],
    example: 'template --format xlsx --out return-template.xlsx',
    store: false,
  },
  {
    name: 'validate',
    usage: ['validate FILE [--contract ID --period YYYY-MM] [--reference DIR] [--json]'],
    description:
      'Checks a return (CSV or XLSX). Exit code 0 when accepted, 1 when rejected, 2 when the command was called wrongly. `--json` prints the full report. With `--contract`, the contract and period are checked against the reference data in the store (or in `--reference DIR`); a contract that cannot be checked is an error.',
    options: [
      ['--contract ID', 'the contract the return is for (checked against the reference data)'],
      ['--period YYYY-MM', 'the month the return is for'],
      ['--reference DIR', 'a folder of reference data to check against instead of the store'],
      ['--json', 'print the whole report as JSON'],
    ],
    example:
      'validate data/returns/plp-tws-bright/2025-03.csv --contract plp-tws-bright --period 2025-03',
    store: true,
  },
  {
    name: 'demo',
    usage: [
      'demo --out DIR [--seed N] [--scale N] [--contracts N] [--months N]',
      'demo --ingest [options]',
    ],
    description:
      'Writes the deterministic demo data set (reference data, monthly returns, `returns/manifest.json` saying who sent what and when, `anomalies.json` listing the planted late, missing, restated and duplicated returns), or with `--ingest` loads it into the store: every return ingested in the order it was sent, then the marts built. Running it again changes nothing.',
    options: [
      ['--out DIR', 'write the data set to a folder'],
      ['--ingest', 'load it into the store'],
      ['--seed N', 'a different (still deterministic) data set'],
      ['--scale N', 'multiply participant volumes'],
      ['--contracts N', 'how many contracts (default 12)'],
      ['--months N', 'how many months of returns (default 36)'],
    ],
    example: 'demo --out demo-data --contracts 2 --months 6',
    store: true,
  },
  {
    name: 'reference',
    usage: ['reference load DIR [--as USER]'],
    description:
      "Loads your own reference data (`programmes.json`, `providers.json`, `contracts.json`, `profiles.json`, `users.json`, as the demo's `reference/` folder holds them) into the store, checked first: nothing changes unless every file is right. The change is in the audit log, and the marts are rebuilt when there are any.",
    options: [
      ['DIR', 'the folder holding the five JSON files'],
      ['--as USER', 'who is loading it, for the audit log (default admin)'],
    ],
    example: 'reference load my-reference',
    store: true,
  },
  {
    name: 'ingest',
    usage: [
      'ingest FILE --contract ID --period YYYY-MM [--as USER] [--received YYYY-MM-DD] [--as-of YYYY-MM-DD] [--confirm-removal]',
    ],
    description:
      'Keeps the file (raw zone, by content hash), validates it, writes a receipt, stages it as Parquet when accepted, and rebuilds the marts for its contract (and any contract whose marts lag its receipts after a failed build). The same file as the version in force changes nothing, even when sent by two processes at once; the file of an earlier version is restored as a new version. A file that would remove many participants (0 rows, fewer than half, or under 20% of them kept) is held until confirmed (ADR 023). A provider user may only send returns for its own contracts. `--received` gives the day a historical return was really received, so a service moving to Outturn keeps its timeliness record: ingest them in the order they came.',
    options: [
      ['--contract ID', 'the contract the return is for'],
      ['--period YYYY-MM', 'the month the return is for'],
      ['--as USER', 'the user sending it (default admin)'],
      ['--received YYYY-MM-DD', 'when the return was received (default now)'],
      ['--as-of YYYY-MM-DD', 'the day the rebuilt marts are as at (default today)'],
      [
        '--confirm-removal',
        'put the file in force even if it removes many participants (otherwise it is held: exit code 3)',
      ],
    ],
    example: 'ingest 2025-03.csv --contract plp-tws-bright --period 2025-03 --received 2025-04-09',
    store: true,
  },
  {
    name: 'version',
    usage: [
      'version list --contract ID --period YYYY-MM',
      'version confirm|discard|withdraw --contract ID --period YYYY-MM --version N [--as USER] [--reason TEXT]',
    ],
    description:
      'The versions of one return and their states (in force, replaced, held, discarded, withdrawn), or: confirm a held version (put it in force), discard it, or withdraw the version in force, putting the one before it back (ADR 023). Each step is recorded and audited; nothing is deleted; the marts are rebuilt when the version in force changes.',
    options: [
      ['--contract ID', 'the contract'],
      ['--period YYYY-MM', 'the month of the return'],
      ['--version N', 'the version to act on'],
      ['--as USER', 'who is acting (default admin)'],
      ['--reason TEXT', 'why, kept with the record of the step'],
    ],
    example: 'version withdraw --contract plp-tws-bright --period 2025-03 --version 2',
    store: true,
  },
  {
    name: 'rebuild',
    usage: ['rebuild [--as-of YYYY-MM-DD] [--timings]'],
    description:
      'Recomputes every mart from the staged data and switches the new build in, only on top of the build it started from (ADR 027); a failed build leaves the previous one serving.',
    options: [
      ['--as-of YYYY-MM-DD', 'the day returns are late or missing as at (default today)'],
      [
        '--timings',
        'also print how long each step of the build took (loading, each model, each file written)',
      ],
    ],
    example: 'rebuild --as-of 2026-04-30',
    store: true,
  },
  {
    name: 'notify',
    usage: ['notify --as-of YYYY-MM-DD [--include-demo]'],
    description:
      'Sends the email notices due on that day (ADR 025): reminders before a deadline to providers, late and missing returns, worse RAG statuses and moves to a worse intervention level to contract managers, and any accepted, queried or rejected return of the last week not yet told. Through the SMTP server in `OUTTURN_SMTP_URL` (sender `OUTTURN_MAIL_FROM`); with none set nothing is sent, and it says so. Each user gets only the notices they chose, each at most once; each message sent is in the audit log. A store holding the demo data sends nothing unless asked. Run it once a day.',
    options: [
      ['--as-of YYYY-MM-DD', 'the day whose notices to send'],
      ['--include-demo', 'send even though the store holds the demo data'],
    ],
    example: 'notify --as-of 2026-04-28',
    store: true,
  },
  {
    name: 'query',
    usage: ['query "SQL" [--csv|--json]'],
    description:
      'A read-only SELECT over the marts in force (`performance`, `funnel`, `standards`, `outcomes`, `outcome_transitions`, `distance_travelled`, `payments`, `returns_status`, `provider_timeliness`, `data_quality`, `double_claims`, and the commissioner-facing `suppressed_*` tables with small numbers suppressed).',
    options: [
      ['--csv', 'print CSV'],
      ['--json', 'print JSON'],
    ],
    example: 'query "select contract_id, period, actual from performance limit 5"',
    store: true,
  },
  {
    name: 'publish',
    usage: ['publish --out DIR [--base-path /x/]'],
    description:
      'Renders the commissioner pages (from the suppressed marts only) and their assets into a static site, ready for S3 and CloudFront.',
    options: [
      ['--out DIR', 'where to write the site'],
      ['--base-path /x/', 'the path the site will be served under (default /)'],
    ],
    example: 'publish --out site',
    store: true,
  },
  {
    name: 'start',
    usage: ['start [--no-serve]'],
    description:
      'Loads the demo into the store when it has no marts yet, shows each contract’s job entries against profile, then serves the web app (pages and the JSON API under `/api/`, which answers anonymous requests with 401).',
    options: [['--no-serve', 'stop after the summary']],
    example: 'start',
    store: true,
  },
] as const satisfies readonly CommandEntry[];

export type CommandName = (typeof catalogue)[number]['name'];

const PREFIX = 'npm run outturn --';

/** The top-level help: every command and what it does, in a line or two. */
export function overviewHelp(): string {
  const lines = [`Usage: ${PREFIX} <command> [options]`, '', 'Commands:'];
  for (const c of catalogue) {
    lines.push(`  ${c.name}`);
    lines.push(...wrap(firstSentence(c.description), 72).map((l) => `      ${l}`));
  }
  lines.push('', `"${PREFIX} <command> --help" says more about one command, with an example.`, '');
  return lines.join('\n');
}

/** One command's help: its usage, what it does, its options and an example. */
export function commandHelp(entry: CommandEntry): string {
  const width = Math.max(...entry.options.map(([o]) => o.length), 0);
  return [
    ...entry.usage.map((u, i) => `${i === 0 ? 'Usage:' : '      '} ${PREFIX} ${u}`),
    '',
    ...wrap(plain(entry.description), 78),
    ...(entry.options.length
      ? ['', 'Options:', ...entry.options.map(([o, d]) => `  ${o.padEnd(width)}  ${d}`)]
      : []),
    '',
    'Example:',
    `  ${PREFIX} ${entry.example}`,
    '',
  ].join('\n');
}

export function usageLine(entry: CommandEntry): string {
  return entry.usage.map((u) => `${PREFIX} ${u}`).join('\n       ');
}

/** The README's table of commands, as Prettier lays a Markdown table out. */
export function readmeCommandTable(): string {
  const rows = catalogue.map((c) => [
    c.usage.map((u) => '`' + u.replaceAll('|', '\\|') + '`').join('<br>'),
    c.description.replaceAll('|', '\\|'),
  ]);
  const head = ['command', 'what it does'];
  const widths = head.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, j) => c.padEnd(widths[j]!)).join(' | ')} |`;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}

export const README_TABLE_START = '<!-- commands: generated by `npm run outturn -- docs` -->';
export const README_TABLE_END = '<!-- end of commands -->';

/** The README with its command table replaced by the catalogue's. */
export function withCommandTable(readme: string): string {
  const start = readme.indexOf(README_TABLE_START);
  const end = readme.indexOf(README_TABLE_END);
  if (start < 0 || end < start)
    throw new Error(`The README has no "${README_TABLE_START}" … "${README_TABLE_END}" section`);
  return (
    readme.slice(0, start + README_TABLE_START.length) +
    '\n\n' +
    readmeCommandTable() +
    '\n' +
    readme.slice(end)
  );
}

function firstSentence(text: string): string {
  const m = /^(.+?\.)(\s|$)/.exec(plain(text));
  return m ? m[1]! : plain(text);
}

function plain(text: string): string {
  return text.replaceAll('`', '');
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}
