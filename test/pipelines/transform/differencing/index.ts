/**
 * The differencing checker: everything a commissioner can read from the suppressed tables,
 * attacked with every relation between them (publication.ts) by exact elimination and bounds
 * (solver.ts). `checkSuppression` over the marts in force gives the hidden cells it tried and
 * those it recovered; a suppression that holds recovers none.
 */
import { readFileSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ReferenceData } from '../../../../pipelines/reference/schema.js';
import { publication, type PublicationOptions, type Query } from './publication.js';
import { attack, type AttackResult } from './solver.js';

export { attack, type AttackResult, type Cell, type Relation } from './solver.js';
export { publication } from './publication.js';

export function measuresOf(reference: ReferenceData): PublicationOptions['measures'] {
  return reference.programmes.flatMap((p) =>
    p.measures.map((m) => ({ programme_id: p.id, measure_id: m.id, milestone: m.milestone })),
  );
}

export async function checkSuppression(
  query: Query,
  options: PublicationOptions,
): Promise<AttackResult> {
  const { cells, relations, inequalities } = await publication(query, options);
  return attack(cells, relations, inequalities);
}

/**
 * The suppression ADR 008 described (shown as "<5" and "[c]"), built as temporary tables
 * `adr008_suppressed_*` beside the marts, for the checker to show what it recovers.
 */
export async function buildAdr008Suppression(connection: DuckDBConnection): Promise<void> {
  for (const model of ['suppressed_performance', 'suppressed_outcomes', 'suppressed_costs']) {
    const sql = readFileSync(new URL(`./adr-008-${model}.sql`, import.meta.url), 'utf8');
    await connection.run(`create or replace temp table adr008_${model} as ${sql}`);
  }
}

/** What the old labels told: "<5" is 1 to 4. */
export const adr008 = {
  labels: { '<5': [1, 4] },
  tables: {
    suppressed_performance: 'adr008_suppressed_performance',
    suppressed_outcomes: 'adr008_suppressed_outcomes',
    suppressed_costs: 'adr008_suppressed_costs',
    suppressed_performance_quarterly: null,
    suppressed_performance_yearly: null,
  },
} satisfies Partial<PublicationOptions>;

/** The programmes' own measures, for the checker to read suppressed_measure_values with. */
export function journeyMeasuresOf(
  reference: ReferenceData,
): NonNullable<PublicationOptions['journeyMeasures']> {
  return reference.programmes.map((p) => ({
    programme_id: p.id,
    measures: p.journey_measures ?? [],
  }));
}
