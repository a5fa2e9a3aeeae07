/**
 * The tables an ad-hoc query may name: one per exported mart, named as the model, as in the Glue
 * database (docs/decisions/015-aws-deployment.md), with columns and descriptions from the model
 * definitions, so the page that lists them and the tables themselves cannot disagree.
 *
 * Who may read which is decided in functions/web/auth/policy.ts (`queryableTables`).
 */
import type { Model } from '../transform/model.js';
import { exportedModels, models, publishedModels } from '../transform/registry.js';
import { normaliseType } from './engine.js';

/** Every mart (true figures and suppressed copies), as the build exports them and Glue has them. */
export const EXPORTED_MARTS: readonly Model[] = exportedModels();

export const EXPORTED_MART_NAMES: readonly string[] = EXPORTED_MARTS.map((m) => m.name);

/**
 * The tables anyone who may see a programme's aggregates may read (the models whose audience is
 * `published`: the suppressed layer, and provider_timeliness, which counts returns, not people).
 * The restricted engine holds these and nothing else.
 */
export const PUBLISHABLE_TABLES: readonly string[] = publishedModels().map((m) => m.name);

/** Every table the local DuckDB has (staging too): names no ad-hoc query may use unless allowed. */
export const ALL_TABLE_NAMES: readonly string[] = models.map((m) => m.name);

export interface QueryableTable {
  name: string;
  description: string;
  /** `suppressed`: small numbers suppressed; `mart`: true figures. */
  layer: Model['layer'];
  columns: { name: string; type: string; description: string }[];
}

/** The named tables with their columns, in the order given. */
export function describeTables(names: readonly string[]): QueryableTable[] {
  return names.flatMap((name) => {
    const model = EXPORTED_MARTS.find((m) => m.name === name);
    if (!model) return [];
    return [
      {
        name,
        description: model.description,
        layer: model.layer,
        columns: model.columns.map((c) => ({
          name: c.name,
          type: normaliseType(c.type),
          description: c.description,
        })),
      },
    ];
  });
}
