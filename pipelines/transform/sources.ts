/**
 * The sources the models read: reference data flattened into tables, the receipts of every
 * upload, return deadlines, and the staged Parquet of accepted returns. Each source is declared
 * with its columns, like a model, and loaded into DuckDB before the models run.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { isoDate } from '../calendar/days.js';
import { periodsBetween } from '../calendar/periods.js';
import { returnDeadline } from '../calendar/working-days.js';
import type { ReferenceData } from '../reference/schema.js';
import { sqlString } from '../duckdb/open.js';
import { changeRecordColumns, consecutivePairs, type ReturnVersion } from '../ingest/changes.js';
import { stagedColumns } from '../ingest/staged-schema.js';
import type { VersionState } from '../ingest/versions.js';
import type { Column } from './model.js';
import type { ReceiptsIndex } from './receipts-index.js';

/** What the transform needs to know about one upload (a subset of the ingest receipt). */
export interface ReceiptRecord {
  id: string;
  contract_id: string;
  period: string;
  kind: 'participant' | 'aggregate' | null;
  submitted_by: string;
  submitted_at: string;
  status: 'accepted' | 'rejected';
  version: number | null;
  /** For an accepted version: in force, superseded, held, discarded or withdrawn (ADR 023). */
  state: VersionState | null;
  /** The version this one restores (its bytes sent again), or null. */
  restores_version: number | null;
  staged_key: string | null;
  counts: { rows: number; errors: number; warnings: number };
  warnings: { rule: string; row: number | null; column: string | null; message: string }[];
}

export interface TransformInputs {
  reference: ReferenceData;
  receipts: readonly ReceiptRecord[];
  /** A local path holding the staged Parquet at a key. */
  stagedFile(key: string): Promise<string>;
  /**
   * A local path holding the change records between two consecutive participant returns of a
   * contract (made at ingest; made now when missing: ../ingest/changes.ts).
   */
  changeRecordsFile(before: ReturnVersion, after: ReturnVersion): Promise<string>;
  /**
   * The receipts index these receipts were read from, for the build to keep beside its manifest
   * (./receipts-index.ts): `unchangedAt` names the index in force when nothing was added to it.
   */
  receiptsIndex?: {
    index: ReceiptsIndex;
    unchangedAt: string | null;
    read: number;
    reused: number;
  };
}

interface SourceDef {
  name: string;
  description: string;
  columns: readonly Column[];
}

const col = (name: string, type: Column['type'], description: string): Column => ({
  name,
  type,
  description,
});

export const sourceDefs = {
  src_programmes: {
    name: 'src_programmes',
    description: 'Programmes, one row each, with their RAG thresholds.',
    columns: [
      col('programme_id', 'VARCHAR', 'Programme id'),
      col('programme_name', 'VARCHAR', 'Programme name'),
      col('return_kind', 'VARCHAR', 'participant or aggregate'),
      col('has_cmp', 'BOOLEAN', 'Whether the programme includes a Condition Management Programme'),
      col('rag_green_from', 'DOUBLE', 'Share of profile at or above which performance is green'),
      col('rag_amber_from', 'DOUBLE', 'Share of profile at or above which performance is amber'),
    ],
  },
  src_measures: {
    name: 'src_measures',
    description: 'Each programme measure and the milestone it counts.',
    columns: [
      col('programme_id', 'VARCHAR', 'Programme id'),
      col('measure_id', 'VARCHAR', 'Measure id'),
      col('measure_label', 'VARCHAR', 'Measure name'),
      col('milestone', 'VARCHAR', 'The milestone date field the measure counts'),
      col('profiled', 'BOOLEAN', 'Whether contracts set a monthly profile for it'),
      col('measure_order', 'INTEGER', 'Position in the programme definition'),
    ],
  },
  src_standards: {
    name: 'src_standards',
    description: 'Each programme standard: a rate and the bound it must meet.',
    columns: [
      col('programme_id', 'VARCHAR', 'Programme id'),
      col('standard_id', 'VARCHAR', 'Standard id'),
      col('standard_label', 'VARCHAR', 'Standard name'),
      col('kind', 'VARCHAR', 'within_days, max_share or min_share'),
      col('days', 'INTEGER', 'For within_days: the most days allowed'),
      col('min_rate', 'DOUBLE', 'The rate must be at least this (within_days, min_share)'),
      col('max_rate', 'DOUBLE', 'The rate must be at most this (max_share)'),
    ],
  },
  src_standard_milestones: {
    name: 'src_standard_milestones',
    description: 'The milestones each standard reads, by role: from, to, numerator, denominator.',
    columns: [
      col('programme_id', 'VARCHAR', 'Programme id'),
      col('standard_id', 'VARCHAR', 'Standard id'),
      col('role', 'VARCHAR', 'from, to, numerator or denominator'),
      col('milestone', 'VARCHAR', 'Milestone date field'),
    ],
  },
  src_providers: {
    name: 'src_providers',
    description: 'Providers.',
    columns: [
      col('provider_id', 'VARCHAR', 'Provider id'),
      col('provider_name', 'VARCHAR', 'Provider name'),
      col('sector', 'VARCHAR', 'private, voluntary, public or nhs'),
    ],
  },
  src_contracts: {
    name: 'src_contracts',
    description: 'Contracts with their area, term and payment model.',
    columns: [
      col('contract_id', 'VARCHAR', 'Contract id'),
      col('programme_id', 'VARCHAR', 'Programme id'),
      col('provider_id', 'VARCHAR', 'Prime provider id'),
      col('area_code', 'VARCHAR', 'Area code (district, health board)'),
      col('area_name', 'VARCHAR', 'Area name'),
      col('portfolio', 'VARCHAR', 'Contract manager portfolio'),
      col('start_period', 'VARCHAR', 'First month of the term'),
      col('end_period', 'VARCHAR', 'Last month of the term'),
      col('service_fee_per_start', 'DOUBLE', 'Service fee per start, £'),
      col('job_outcome_payment', 'DOUBLE', 'Payment per job entry, £'),
      col('sustained_payment', 'DOUBLE', 'Payment per sustained job, £'),
      col('sustained_weeks', 'INTEGER', '13 or 26: when a job counts as sustained for payment'),
    ],
  },
  src_profiles: {
    name: 'src_profiles',
    description: 'Monthly profiles (targets) per contract and measure.',
    columns: [
      col('contract_id', 'VARCHAR', 'Contract id'),
      col('measure_id', 'VARCHAR', 'Measure id'),
      col('period', 'VARCHAR', 'Month'),
      col('target', 'INTEGER', 'Profiled number'),
    ],
  },
  src_return_deadlines: {
    name: 'src_return_deadlines',
    description: 'Every return a contract owes, with its deadline (working days after the month).',
    columns: [
      col('contract_id', 'VARCHAR', 'Contract id'),
      col('period', 'VARCHAR', 'Month the return is for'),
      col('deadline', 'DATE', 'Last day to send it on time'),
    ],
  },
  src_receipts: {
    name: 'src_receipts',
    description: 'Every upload: who sent what, when, and the verdict.',
    columns: [
      col('receipt_id', 'VARCHAR', 'Receipt id'),
      col('contract_id', 'VARCHAR', 'Contract id'),
      col('period', 'VARCHAR', 'Month the return is for'),
      col('kind', 'VARCHAR', 'participant or aggregate'),
      col('submitted_by', 'VARCHAR', 'User id'),
      col('submitted_at', 'TIMESTAMP', 'When it was uploaded (UTC)'),
      col('status', 'VARCHAR', 'accepted or rejected'),
      col('version', 'INTEGER', 'Version number among accepted returns for the month'),
      col(
        'state',
        'VARCHAR',
        'For an accepted version: in_force, superseded, held, discarded or withdrawn (ADR 023)',
      ),
      col(
        'restores_version',
        'INTEGER',
        'The earlier version whose bytes this one sent again, putting them back in force',
      ),
      col('staged_key', 'VARCHAR', 'Staged Parquet key'),
      col('row_count', 'INTEGER', 'Rows in the return'),
      col('error_count', 'INTEGER', 'Errors found'),
      col('warning_count', 'INTEGER', 'Warnings found'),
    ],
  },
  src_receipt_warnings: {
    name: 'src_receipt_warnings',
    description: 'The warnings on accepted returns.',
    columns: [
      col('receipt_id', 'VARCHAR', 'Receipt id'),
      col('contract_id', 'VARCHAR', 'Contract id'),
      col('period', 'VARCHAR', 'Month'),
      col('rule', 'VARCHAR', 'Validation rule'),
      col('row_number', 'INTEGER', 'Spreadsheet row'),
      col('column_name', 'VARCHAR', 'Column'),
      col('message', 'VARCHAR', 'What the validator said'),
    ],
  },
} satisfies Record<string, SourceDef>;

export type SourceName =
  | keyof typeof sourceDefs
  | 'src_participant_versions'
  | 'src_participants_latest'
  | 'src_aggregate_versions'
  | 'src_change_records';

/** Sources holding staged rows, loaded from Parquet rather than from reference data. */
export const stagedSources = [
  'src_participant_versions',
  'src_participants_latest',
  'src_aggregate_versions',
  'src_change_records',
] as const;

/**
 * Staged sources that hold participant rows, by far the largest: loaded only for the contracts
 * a build recomputes, so a global model may not read them, nor any model built on them
 * (registry.ts checks; ADR 031).
 */
export const participantSources: readonly string[] = [
  'src_participant_versions',
  'src_participants_latest',
  'src_change_records',
];

export const allSourceNames: readonly string[] = [...Object.keys(sourceDefs), ...stagedSources];

type Row = Record<string, string | number | boolean | null>;

function referenceRows(
  reference: ReferenceData,
  receipts: readonly ReceiptRecord[],
  contracts: ReadonlySet<string>,
): Record<keyof typeof sourceDefs, Row[]> {
  const inScope = reference.contracts.filter((c) => contracts.has(c.id));
  return {
    src_programmes: reference.programmes.map((p) => ({
      programme_id: p.id,
      programme_name: p.name,
      return_kind: p.return_kind,
      has_cmp: p.has_cmp,
      rag_green_from: p.rag.green_from,
      rag_amber_from: p.rag.amber_from,
    })),
    src_measures: reference.programmes.flatMap((p) =>
      p.measures.map((m, i) => ({
        programme_id: p.id,
        measure_id: m.id,
        measure_label: m.label,
        milestone: m.milestone,
        profiled: m.profiled,
        measure_order: i + 1,
      })),
    ),
    src_standards: reference.programmes.flatMap((p) =>
      p.standards.map((s) => ({
        programme_id: p.id,
        standard_id: s.id,
        standard_label: s.label,
        kind: s.kind,
        days: s.kind === 'within_days' ? s.days : null,
        min_rate: s.kind === 'max_share' ? null : s.min_rate,
        max_rate: s.kind === 'max_share' ? s.max_rate : null,
      })),
    ),
    src_standard_milestones: reference.programmes.flatMap((p) =>
      p.standards.flatMap((s) =>
        s.kind === 'within_days'
          ? [
              { programme_id: p.id, standard_id: s.id, role: 'from', milestone: s.from },
              { programme_id: p.id, standard_id: s.id, role: 'to', milestone: s.to },
            ]
          : s.kind === 'max_share'
            ? [
                ...s.numerator.map((m) => ({
                  programme_id: p.id,
                  standard_id: s.id,
                  role: 'numerator',
                  milestone: m,
                })),
                {
                  programme_id: p.id,
                  standard_id: s.id,
                  role: 'denominator',
                  milestone: s.denominator,
                },
              ]
            : [
                {
                  programme_id: p.id,
                  standard_id: s.id,
                  role: 'numerator',
                  milestone: s.numerator,
                },
                {
                  programme_id: p.id,
                  standard_id: s.id,
                  role: 'denominator',
                  milestone: s.denominator,
                },
              ],
      ),
    ),
    src_providers: reference.providers.map((p) => ({
      provider_id: p.id,
      provider_name: p.name,
      sector: p.sector,
    })),
    src_contracts: inScope.map((c) => ({
      contract_id: c.id,
      programme_id: c.programme_id,
      provider_id: c.provider_id,
      area_code: c.area.code,
      area_name: c.area.name,
      portfolio: c.portfolio,
      start_period: c.start_period,
      end_period: c.end_period,
      service_fee_per_start: c.payment.service_fee_per_start,
      job_outcome_payment: c.payment.job_outcome_payment,
      sustained_payment: c.payment.sustained_payment,
      sustained_weeks: c.payment.sustained_weeks,
    })),
    src_profiles: reference.profiles
      .filter((p) => contracts.has(p.contract_id))
      .map((p) => ({ ...p })),
    src_return_deadlines: inScope.flatMap((c) =>
      periodsBetween(c.start_period, c.end_period).map((period) => ({
        contract_id: c.id,
        period,
        deadline: isoDate(returnDeadline(period, c.return_deadline_working_day, c.nation)),
      })),
    ),
    src_receipts: receipts
      .filter((r) => contracts.has(r.contract_id))
      .map((r) => ({
        receipt_id: r.id,
        contract_id: r.contract_id,
        period: r.period,
        kind: r.kind,
        submitted_by: r.submitted_by,
        submitted_at: r.submitted_at,
        status: r.status,
        version: r.version,
        state: r.state,
        restores_version: r.restores_version,
        staged_key: r.staged_key,
        row_count: r.counts.rows,
        error_count: r.counts.errors,
        warning_count: r.counts.warnings,
      })),
    src_receipt_warnings: receipts
      .filter((r) => contracts.has(r.contract_id) && r.status === 'accepted')
      .flatMap((r) =>
        r.warnings.map((w) => ({
          receipt_id: r.id,
          contract_id: r.contract_id,
          period: r.period,
          rule: w.rule,
          row_number: w.row,
          column_name: w.column,
          message: w.message,
        })),
      ),
  };
}

function columnsSql(columns: readonly Column[]): string {
  return `{${columns.map((c) => `${sqlString(c.name)}: ${sqlString(c.type)}`).join(', ')}}`;
}

/**
 * Creates every source table for the contracts in scope. Staged rows are read from Parquet: the
 * version in force of each contract's newest period, the change records between each pair of
 * consecutive returns put in force and not withdrawn (ADR 031, ADR 023: held, discarded and
 * withdrawn versions count for nothing), and those versions (`src_participant_versions`) only
 * when `withVersions` (when a model reads it: none does now, since restatements are found at
 * ingest). With `participants: false` the participant sources are left empty: the global
 * models' pass, which reads contracts' rows from the previous build's files instead.
 */
export async function loadSources(
  connection: DuckDBConnection,
  inputs: TransformInputs,
  contracts: ReadonlySet<string>,
  workDir: string,
  withVersions: boolean,
  participants = true,
): Promise<void> {
  const rows = referenceRows(inputs.reference, inputs.receipts, contracts);
  for (const [name, def] of Object.entries(sourceDefs)) {
    const file = join(workDir, `${name}.ndjson`);
    await writeFile(
      file,
      rows[name as keyof typeof sourceDefs].map((r) => JSON.stringify(r)).join('\n') + '\n',
    );
    await connection.run(
      `CREATE OR REPLACE TABLE ${name} AS SELECT * FROM read_json(${sqlString(file)}, format = 'newline_delimited', columns = ${columnsSql(def.columns)})`,
    );
  }

  const accepted = inputs.receipts.filter(
    (r) =>
      r.status === 'accepted' &&
      r.staged_key &&
      (r.state === 'in_force' || r.state === 'superseded') &&
      contracts.has(r.contract_id),
  );
  const participant = participants ? accepted.filter((r) => r.kind === 'participant') : [];
  const latest = new Map<string, ReceiptRecord>();
  for (const r of participant) {
    if (r.state !== 'in_force') continue;
    const best = latest.get(r.contract_id);
    if (!best || r.period > best.period) latest.set(r.contract_id, r);
  }
  const files = async (rs: readonly ReceiptRecord[]) =>
    Promise.all(rs.map((r) => inputs.stagedFile(r.staged_key!)));
  await createStagedView(connection, 'src_participants_latest', await files([...latest.values()]));
  await createStagedView(
    connection,
    'src_participant_versions',
    withVersions ? await files(participant) : [],
  );
  const byContract = new Map<string, ReturnVersion[]>();
  for (const r of participant)
    byContract.set(r.contract_id, [
      ...(byContract.get(r.contract_id) ?? []),
      {
        contract_id: r.contract_id,
        period: r.period,
        version: r.version!,
        staged_key: r.staged_key!,
      },
    ]);
  const pairs = [...byContract.values()].flatMap((vs) => consecutivePairs(vs));
  const changeFiles: string[] = [];
  for (const { before, after } of pairs)
    changeFiles.push(await inputs.changeRecordsFile(before, after));
  await createChangeRecordsView(connection, changeFiles);
  await createStagedView(
    connection,
    'src_aggregate_versions',
    await files(accepted.filter((r) => r.kind === 'aggregate')),
    'aggregate',
  );
}

async function createStagedView(
  connection: DuckDBConnection,
  name: string,
  files: string[],
  kind: 'participant' | 'aggregate' = 'participant',
): Promise<void> {
  await dropRelation(connection, name);
  const columns = stagedColumns(kind);
  if (files.length) {
    // Files staged before a field was added lack its column (fields.ts `optionalColumn`): a
    // typed empty row set unioned by name gives every staged column, blank where a file has none.
    const empty = columns.map((c) => `NULL::${c.type} AS ${c.name}`).join(', ');
    await connection.run(
      `CREATE VIEW ${name} AS SELECT ${columns.map((c) => c.name).join(', ')} FROM (SELECT ${empty} WHERE false UNION ALL BY NAME SELECT * FROM read_parquet([${files.map(sqlString).join(', ')}], union_by_name = true))`,
    );
    return;
  }
  // No staged data yet: an empty table with the staged columns, so models still build.
  await connection.run(
    `CREATE TABLE ${name} (${columns.map((c) => `${c.name} ${c.type}`).join(', ')})`,
  );
}

async function createChangeRecordsView(
  connection: DuckDBConnection,
  files: readonly string[],
): Promise<void> {
  const name = 'src_change_records';
  await dropRelation(connection, name);
  if (files.length) {
    await connection.run(
      `CREATE VIEW ${name} AS SELECT * FROM read_parquet([${files.map(sqlString).join(', ')}])`,
    );
    return;
  }
  await connection.run(
    `CREATE TABLE ${name} (${changeRecordColumns.map(([n, t]) => `${n} ${t}`).join(', ')})`,
  );
}

/** Drops a table or view of this name, whichever it is (DuckDB refuses DROP VIEW on a table). */
export async function dropRelation(connection: DuckDBConnection, name: string): Promise<void> {
  const r = await connection.runAndReadAll(
    `SELECT table_type FROM information_schema.tables WHERE table_schema = 'main' AND table_name = ${sqlString(name)}`,
  );
  const type = r.getRows()[0]?.[0];
  if (type === 'VIEW') await connection.run(`DROP VIEW ${name}`);
  else if (type) await connection.run(`DROP TABLE ${name}`);
}
