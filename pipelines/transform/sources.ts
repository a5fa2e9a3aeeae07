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
import {
  DEFAULT_CLAIMS_SAMPLE,
  DEFAULT_OUTLIER_CHECK,
  interventionOf,
  levelMeasures,
  type ReferenceData,
} from '../reference/schema.js';
import { sqlString } from '../duckdb/open.js';
import { changeRecordColumns, consecutivePairs, type ReturnVersion } from '../ingest/changes.js';
import { qualitySummaryColumns } from '../ingest/quality.js';
import { stagedColumns } from '../ingest/staged-schema.js';
import type { VersionState } from '../ingest/versions.js';
import type { Column } from './model.js';
import type { ClaimEvidence } from '../claims/evidence.js';
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
   * A local path holding the quality summary of an accepted version (made at ingest; made now
   * from the staged file and the receipt's warnings when missing: ../ingest/quality.ts).
   */
  qualitySummaryFile(receipt: ReceiptRecord): Promise<string>;
  /** The evidence providers recorded for the claims sampled (ADR 040); none when not given. */
  claimEvidence?: readonly ClaimEvidence[];
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

type Value = string | number | boolean | null;
type Row = Record<string, Value>;

/** What a source's rows are made from. */
interface SourceInputs {
  reference: ReferenceData;
  receipts: readonly ReceiptRecord[];
  claimEvidence: readonly ClaimEvidence[];
  /** The contracts in scope of this build. */
  contracts: ReadonlySet<string>;
}

/** A source column: a model's column plus how its value is read from one item of the source. */
interface SourceColumn<T> extends Column {
  value: (item: T) => Value;
}

/**
 * A source, declared once: what each row is made from (`items`) and, per column, its name, type,
 * description and value. The rows and the table's column types are both derived from it.
 */
interface SourceDef<T> {
  name: string;
  description: string;
  items: (inputs: SourceInputs) => readonly T[];
  columns: readonly SourceColumn<T>[];
}

function source<T>(def: SourceDef<T>): SourceDef<T> {
  return def;
}

const col = <T>(
  name: string,
  type: Column['type'],
  description: string,
  value: (item: T) => Value,
): SourceColumn<T> => ({ name, type, description, value });

type Programme = ReferenceData['programmes'][number];
const outlierCheckOf = (p: Programme) => p.outlier_check ?? DEFAULT_OUTLIER_CHECK;
type Standard = Programme['standards'][number];
type Contract = ReferenceData['contracts'][number];
type StandardMilestone = {
  programme: Programme;
  standard: Standard;
  role: string;
  milestone: string;
};
type Warning = ReceiptRecord['warnings'][number];

/** The milestones a standard reads, by role. */
function standardMilestones(programme: Programme, standard: Standard): StandardMilestone[] {
  const at = (role: string, milestone: string) => ({ programme, standard, role, milestone });
  switch (standard.kind) {
    case 'within_days':
      return [at('from', standard.from), at('to', standard.to)];
    case 'max_share':
      return [
        ...standard.numerator.map((m) => at('numerator', m)),
        at('denominator', standard.denominator),
      ];
    default:
      return [at('numerator', standard.numerator), at('denominator', standard.denominator)];
  }
}

const contractsInScope = ({ reference, contracts }: SourceInputs): Contract[] =>
  reference.contracts.filter((c) => contracts.has(c.id));
const receiptsInScope = ({ receipts, contracts }: SourceInputs): ReceiptRecord[] =>
  receipts.filter((r) => contracts.has(r.contract_id));

export const sourceDefs = {
  src_programmes: source<Programme>({
    name: 'src_programmes',
    description: 'Programmes, one row each, with their RAG thresholds and outlier check.',
    items: ({ reference }) => reference.programmes,
    columns: [
      col('programme_id', 'VARCHAR', 'Programme id', (p) => p.id),
      col('programme_name', 'VARCHAR', 'Programme name', (p) => p.name),
      col('return_kind', 'VARCHAR', 'participant or aggregate', (p) => p.return_kind),
      col(
        'has_cmp',
        'BOOLEAN',
        'Whether the programme includes a Condition Management Programme',
        (p) => p.has_cmp,
      ),
      col(
        'rag_green_from',
        'DOUBLE',
        'Share of profile at or above which performance is green',
        (p) => p.rag.green_from,
      ),
      col(
        'rag_amber_from',
        'DOUBLE',
        'Share of profile at or above which performance is amber',
        (p) => p.rag.amber_from,
      ),
      col(
        'outlier_method',
        'VARCHAR',
        'How monthly referrals are checked for outliers: own_history, z_score, modified_z or min_max',
        (p) => outlierCheckOf(p).method,
      ),
      col(
        'outlier_threshold',
        'DOUBLE',
        'For z_score and modified_z: the score above which a month is an outlier',
        (p) => {
          const check = outlierCheckOf(p);
          return 'threshold' in check ? check.threshold : null;
        },
      ),
      col(
        'outlier_min',
        'INTEGER',
        'For min_max: the fewest referrals expected in a month',
        (p) => {
          const check = outlierCheckOf(p);
          return check.method === 'min_max' ? check.min : null;
        },
      ),
      col('outlier_max', 'INTEGER', 'For min_max: the most referrals expected in a month', (p) => {
        const check = outlierCheckOf(p);
        return check.method === 'min_max' ? check.max : null;
      }),
      col(
        'level_window',
        'VARCHAR',
        'The window intervention levels are judged on: in_month, rolling_3, rolling_12 or cumulative (ADR 039)',
        (p) => interventionOf(p).window,
      ),
      col(
        'level_below',
        'DOUBLE',
        'A share of profile below which a measure is below profile, for intervention levels',
        (p) => interventionOf(p).below,
      ),
      col(
        'level_up_after',
        'INTEGER',
        'Months below profile in a row that move a contract up one intervention level',
        (p) => interventionOf(p).up_after,
      ),
      col(
        'level_down_after',
        'INTEGER',
        'Months at or above profile in a row that move a contract down one intervention level',
        (p) => interventionOf(p).down_after,
      ),
      col(
        'level_max',
        'INTEGER',
        'The highest intervention level (the lowest is 0)',
        (p) => interventionOf(p).levels.length - 1,
      ),
      col(
        'claims_sample_share',
        'DOUBLE',
        'Share of a month’s claimed outcomes of each kind sampled for evidence (ADR 040)',
        (p) => (p.claims_sample ?? DEFAULT_CLAIMS_SAMPLE).share,
      ),
      col(
        'claims_sample_min',
        'INTEGER',
        'The fewest claims sampled (all of them when fewer were claimed)',
        (p) => (p.claims_sample ?? DEFAULT_CLAIMS_SAMPLE).min,
      ),
      col(
        'claims_sample_max',
        'INTEGER',
        'The most claims sampled',
        (p) => (p.claims_sample ?? DEFAULT_CLAIMS_SAMPLE).max,
      ),
    ],
  }),
  src_intervention_levels: source<{ programme: Programme; level: number }>({
    name: 'src_intervention_levels',
    description: 'Each programme’s intervention levels, from 0 (no intervention) up (ADR 039).',
    items: ({ reference }) =>
      reference.programmes.flatMap((programme) =>
        interventionOf(programme).levels.map((_, level) => ({ programme, level })),
      ),
    columns: [
      col('programme_id', 'VARCHAR', 'Programme id', (l) => l.programme.id),
      col('level', 'INTEGER', 'Level, 0 for no intervention', (l) => l.level),
      col(
        'level_label',
        'VARCHAR',
        'The level’s name',
        (l) => interventionOf(l.programme).levels[l.level]!.label,
      ),
      col(
        'level_description',
        'VARCHAR',
        'What the level means for the provider',
        (l) => interventionOf(l.programme).levels[l.level]!.description,
      ),
    ],
  }),
  src_measures: source<{
    programme: Programme;
    measure: Programme['measures'][number];
    order: number;
  }>({
    name: 'src_measures',
    description: 'Each programme measure and the milestone it counts.',
    items: ({ reference }) =>
      reference.programmes.flatMap((programme) =>
        programme.measures.map((measure, i) => ({ programme, measure, order: i + 1 })),
      ),
    columns: [
      col('programme_id', 'VARCHAR', 'Programme id', (m) => m.programme.id),
      col('measure_id', 'VARCHAR', 'Measure id', (m) => m.measure.id),
      col('measure_label', 'VARCHAR', 'Measure name', (m) => m.measure.label),
      col(
        'milestone',
        'VARCHAR',
        'The milestone date field the measure counts (or null)',
        (m) => m.measure.milestone ?? null,
      ),
      col(
        'journey_measure',
        'VARCHAR',
        'Or the programme’s own count measure (journey_measures) it counts, month by month',
        (m) => m.measure.journey_measure ?? null,
      ),
      col(
        'profiled',
        'BOOLEAN',
        'Whether contracts set a monthly profile for it',
        (m) => m.measure.profiled,
      ),
      col('measure_order', 'INTEGER', 'Position in the programme definition', (m) => m.order),
      col(
        'drives_level',
        'BOOLEAN',
        'Whether the programme’s intervention levels are judged on it (ADR 039)',
        (m) => levelMeasures(m.programme).includes(m.measure.id),
      ),
    ],
  }),
  src_standards: source<{ programme: Programme; standard: Standard }>({
    name: 'src_standards',
    description: 'Each programme standard: a rate and the bound it must meet.',
    items: ({ reference }) =>
      reference.programmes.flatMap((programme) =>
        programme.standards.map((standard) => ({ programme, standard })),
      ),
    columns: [
      col('programme_id', 'VARCHAR', 'Programme id', (s) => s.programme.id),
      col('standard_id', 'VARCHAR', 'Standard id', (s) => s.standard.id),
      col('standard_label', 'VARCHAR', 'Standard name', (s) => s.standard.label),
      col('kind', 'VARCHAR', 'within_days, max_share or min_share', (s) => s.standard.kind),
      col('days', 'INTEGER', 'For within_days: the most days allowed', ({ standard: s }) =>
        s.kind === 'within_days' ? s.days : null,
      ),
      col(
        'min_rate',
        'DOUBLE',
        'The rate must be at least this (within_days, min_share)',
        ({ standard: s }) => (s.kind === 'max_share' ? null : s.min_rate),
      ),
      col('max_rate', 'DOUBLE', 'The rate must be at most this (max_share)', ({ standard: s }) =>
        s.kind === 'max_share' ? s.max_rate : null,
      ),
    ],
  }),
  src_standard_milestones: source<StandardMilestone>({
    name: 'src_standard_milestones',
    description: 'The milestones each standard reads, by role: from, to, numerator, denominator.',
    items: ({ reference }) =>
      reference.programmes.flatMap((p) => p.standards.flatMap((s) => standardMilestones(p, s))),
    columns: [
      col('programme_id', 'VARCHAR', 'Programme id', (m) => m.programme.id),
      col('standard_id', 'VARCHAR', 'Standard id', (m) => m.standard.id),
      col('role', 'VARCHAR', 'from, to, numerator or denominator', (m) => m.role),
      col('milestone', 'VARCHAR', 'Milestone date field', (m) => m.milestone),
    ],
  }),
  src_providers: source<ReferenceData['providers'][number]>({
    name: 'src_providers',
    description: 'Providers.',
    items: ({ reference }) => reference.providers,
    columns: [
      col('provider_id', 'VARCHAR', 'Provider id', (p) => p.id),
      col('provider_name', 'VARCHAR', 'Provider name', (p) => p.name),
      col('sector', 'VARCHAR', 'private, voluntary, public or nhs', (p) => p.sector),
    ],
  }),
  src_contracts: source<Contract>({
    name: 'src_contracts',
    description: 'Contracts with their area, term and payment model.',
    items: contractsInScope,
    columns: [
      col('contract_id', 'VARCHAR', 'Contract id', (c) => c.id),
      col('programme_id', 'VARCHAR', 'Programme id', (c) => c.programme_id),
      col('provider_id', 'VARCHAR', 'Prime provider id', (c) => c.provider_id),
      col('area_code', 'VARCHAR', 'Area code (district, health board)', (c) => c.area.code),
      col('area_name', 'VARCHAR', 'Area name', (c) => c.area.name),
      col('portfolio', 'VARCHAR', 'Contract manager portfolio', (c) => c.portfolio),
      col('start_period', 'VARCHAR', 'First month of the term', (c) => c.start_period),
      col('end_period', 'VARCHAR', 'Last month of the term', (c) => c.end_period),
      col(
        'service_fee_per_start',
        'DOUBLE',
        'Service fee per start, £',
        (c) => c.payment.service_fee_per_start,
      ),
      col(
        'job_outcome_payment',
        'DOUBLE',
        'Payment per job entry, £',
        (c) => c.payment.job_outcome_payment,
      ),
      col(
        'sustained_payment',
        'DOUBLE',
        'Payment per sustained job, £',
        (c) => c.payment.sustained_payment,
      ),
      col(
        'sustained_weeks',
        'INTEGER',
        '13 or 26: when a job counts as sustained for payment',
        (c) => c.payment.sustained_weeks,
      ),
    ],
  }),
  src_profiles: source<ReferenceData['profiles'][number]>({
    name: 'src_profiles',
    description: 'Monthly profiles (targets) per contract and measure.',
    items: ({ reference, contracts }) =>
      reference.profiles.filter((p) => contracts.has(p.contract_id)),
    columns: [
      col('contract_id', 'VARCHAR', 'Contract id', (p) => p.contract_id),
      col('measure_id', 'VARCHAR', 'Measure id', (p) => p.measure_id),
      col('period', 'VARCHAR', 'Month', (p) => p.period),
      col('target', 'INTEGER', 'Profiled number', (p) => p.target),
    ],
  }),
  src_return_deadlines: source<{ contract: Contract; period: string }>({
    name: 'src_return_deadlines',
    description: 'Every return a contract owes, with its deadline (working days after the month).',
    items: (inputs) =>
      contractsInScope(inputs).flatMap((contract) =>
        periodsBetween(contract.start_period, contract.end_period).map((period) => ({
          contract,
          period,
        })),
      ),
    columns: [
      col('contract_id', 'VARCHAR', 'Contract id', (d) => d.contract.id),
      col('period', 'VARCHAR', 'Month the return is for', (d) => d.period),
      col('deadline', 'DATE', 'Last day to send it on time', ({ contract: c, period }) =>
        isoDate(returnDeadline(period, c.return_deadline_working_day, c.nation)),
      ),
    ],
  }),
  src_receipts: source<ReceiptRecord>({
    name: 'src_receipts',
    description: 'Every upload: who sent what, when, and the verdict.',
    items: receiptsInScope,
    columns: [
      col('receipt_id', 'VARCHAR', 'Receipt id', (r) => r.id),
      col('contract_id', 'VARCHAR', 'Contract id', (r) => r.contract_id),
      col('period', 'VARCHAR', 'Month the return is for', (r) => r.period),
      col('kind', 'VARCHAR', 'participant or aggregate', (r) => r.kind),
      col('submitted_by', 'VARCHAR', 'User id', (r) => r.submitted_by),
      col('submitted_at', 'TIMESTAMP', 'When it was uploaded (UTC)', (r) => r.submitted_at),
      col('status', 'VARCHAR', 'accepted or rejected', (r) => r.status),
      col(
        'version',
        'INTEGER',
        'Version number among accepted returns for the month',
        (r) => r.version,
      ),
      col(
        'state',
        'VARCHAR',
        'For an accepted version: in_force, superseded, held, discarded or withdrawn (ADR 023)',
        (r) => r.state,
      ),
      col(
        'restores_version',
        'INTEGER',
        'The earlier version whose bytes this one sent again, putting them back in force',
        (r) => r.restores_version,
      ),
      col('staged_key', 'VARCHAR', 'Staged Parquet key', (r) => r.staged_key),
      col('row_count', 'INTEGER', 'Rows in the return', (r) => r.counts.rows),
      col('error_count', 'INTEGER', 'Errors found', (r) => r.counts.errors),
      col('warning_count', 'INTEGER', 'Warnings found', (r) => r.counts.warnings),
    ],
  }),
  src_claim_evidence: source<ClaimEvidence>({
    name: 'src_claim_evidence',
    description:
      'Every answer a provider recorded for a sampled claim (evidence held or not held, with a note), every recording kept; the newest answer for a claim counts (ADR 040).',
    items: ({ claimEvidence, contracts }) =>
      claimEvidence.filter((e) => contracts.has(e.contract_id)),
    columns: [
      col('contract_id', 'VARCHAR', 'Contract id', (e) => e.contract_id),
      col('period', 'VARCHAR', 'The month the outcome was claimed in (YYYY-MM)', (e) => e.period),
      col('outcome_kind', 'VARCHAR', 'job_entry or sustained_job', (e) => e.outcome_kind),
      col('participant_id', 'VARCHAR', 'The participant the claim is for', (e) => e.participant_id),
      col('evidence', 'VARCHAR', 'held or not_held', (e) => e.evidence),
      col('note', 'VARCHAR', 'The provider’s note (required for not_held)', (e) => e.note),
      col('recorded_by', 'VARCHAR', 'The user who recorded it', (e) => e.recorded_by),
      col('recorded_at', 'TIMESTAMP', 'When it was recorded', (e) => e.recorded_at),
    ],
  }),
  src_receipt_warnings: source<{ receipt: ReceiptRecord; warning: Warning }>({
    name: 'src_receipt_warnings',
    description: 'The warnings on the version in force of each return.',
    // Only the version in force: what every model reads of them (data_quality,
    // validation_problems), so a build's cost does not grow with every superseded version.
    items: (inputs) =>
      receiptsInScope(inputs)
        .filter((receipt) => receipt.status === 'accepted' && receipt.state === 'in_force')
        .flatMap((receipt) => receipt.warnings.map((warning) => ({ receipt, warning }))),
    columns: [
      col('receipt_id', 'VARCHAR', 'Receipt id', (w) => w.receipt.id),
      col('contract_id', 'VARCHAR', 'Contract id', (w) => w.receipt.contract_id),
      col('period', 'VARCHAR', 'Month', (w) => w.receipt.period),
      col('rule', 'VARCHAR', 'Validation rule', (w) => w.warning.rule),
      col('row_number', 'INTEGER', 'Spreadsheet row', (w) => w.warning.row),
      col('column_name', 'VARCHAR', 'Column', (w) => w.warning.column),
      col('message', 'VARCHAR', 'What the validator said', (w) => w.warning.message),
    ],
  }),
};

export type SourceName =
  | keyof typeof sourceDefs
  | 'src_participant_versions'
  | 'src_participants_latest'
  | 'src_aggregate_versions'
  | 'src_change_records'
  | 'src_quality_summaries';

/** Sources holding staged rows, loaded from Parquet rather than from reference data. */
export const stagedSources = [
  'src_participant_versions',
  'src_participants_latest',
  'src_aggregate_versions',
  'src_change_records',
  'src_quality_summaries',
] as const;

/**
 * Staged sources that hold participant rows, by far the largest, or files made from them one
 * per version (change records, quality summaries): loaded only for the contracts a build
 * recomputes, so a global model may not read them, nor any model built on them (registry.ts
 * checks; ADR 031), and a model that reads the date reads them only through an exported
 * contract model (ADR 051).
 */
export const participantSources: readonly string[] = [
  'src_participant_versions',
  'src_participants_latest',
  'src_change_records',
  'src_quality_summaries',
];

export const allSourceNames: readonly string[] = [...Object.keys(sourceDefs), ...stagedSources];

/** A source's rows, one object per item, keyed by its column names. */
function sourceRows<T>(def: SourceDef<T>, inputs: SourceInputs): Row[] {
  return def
    .items(inputs)
    .map((item) => Object.fromEntries(def.columns.map((c) => [c.name, c.value(item)])));
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
 * models' pass, which reads contracts' rows from the previous build's files instead. With `only`,
 * just the sources named in it are created (the global pass loads what its models read, ADR 047).
 */
export async function loadSources(
  connection: DuckDBConnection,
  inputs: TransformInputs,
  contracts: ReadonlySet<string>,
  workDir: string,
  withVersions: boolean,
  participants = true,
  only?: ReadonlySet<string>,
): Promise<void> {
  const wanted = (name: string) => only === undefined || only.has(name);
  const sourceInputs = {
    reference: inputs.reference,
    receipts: inputs.receipts,
    claimEvidence: inputs.claimEvidence ?? [],
    contracts,
  };
  for (const def of Object.values(sourceDefs) as SourceDef<unknown>[]) {
    const { name } = def;
    if (!wanted(name)) continue;
    const file = join(workDir, `${name}.ndjson`);
    await writeFile(
      file,
      sourceRows(def, sourceInputs)
        .map((r) => JSON.stringify(r))
        .join('\n') + '\n',
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
  if (wanted('src_participants_latest'))
    await createStagedView(
      connection,
      'src_participants_latest',
      await files([...latest.values()]),
    );
  if (wanted('src_participant_versions'))
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
  if (wanted('src_change_records')) {
    for (const { before, after } of pairs)
      changeFiles.push(await inputs.changeRecordsFile(before, after));
    await createChangeRecordsView(connection, changeFiles);
  }
  // The quality summaries of the versions in force, of both kinds (ADR 051).
  if (wanted('src_quality_summaries')) {
    const summaryFiles: string[] = [];
    if (participants)
      for (const r of accepted)
        if (r.state === 'in_force') summaryFiles.push(await inputs.qualitySummaryFile(r));
    await createFilesView(connection, 'src_quality_summaries', summaryFiles, qualitySummaryColumns);
  }
  if (wanted('src_aggregate_versions'))
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
  await createFilesView(connection, 'src_change_records', files, changeRecordColumns);
}

/** A view over Parquet files written with these columns, or an empty table of them when there are none. */
async function createFilesView(
  connection: DuckDBConnection,
  name: string,
  files: readonly string[],
  columns: readonly (readonly [string, string, ...string[]])[],
): Promise<void> {
  await dropRelation(connection, name);
  if (files.length) {
    await connection.run(
      `CREATE VIEW ${name} AS SELECT * FROM read_parquet([${files.map(sqlString).join(', ')}])`,
    );
    return;
  }
  await connection.run(`CREATE TABLE ${name} (${columns.map(([n, t]) => `${n} ${t}`).join(', ')})`);
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
