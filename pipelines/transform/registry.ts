/**
 * Every model, and the order to build them in: dependencies are read from the SQL itself (a
 * model depends on each source or model it names), as dbt reads `ref()`.
 */
import { martModels } from './models/marts/index.js';
import { stagingModels } from './models/staging/index.js';
import type { Audience, Model } from './model.js';
import { allSourceNames } from './sources.js';

export const models: readonly Model[] = [...stagingModels, ...martModels];

/**
 * The models a build writes to the curated zone — every layer but staging — and so the Glue
 * tables over it and the tables an ad-hoc query may name. One rule, kept here.
 */
export function exportedModels(list: readonly Model[] = models): Model[] {
  return list.filter((m) => m.layer !== 'staging');
}

/** A model's audience: as declared, or by its layer (the suppressed layer is published). */
export function audienceOf(model: Model): Audience {
  return model.audience ?? (model.layer === 'suppressed' ? 'published' : 'internal');
}

/** The audience of a model by name; a name no model has now (a retired one) is internal. */
export function audienceOfName(name: string, list: readonly Model[] = models): Audience {
  const model = list.find((m) => m.name === name);
  return model ? audienceOf(model) : 'internal';
}

/**
 * The exported models anyone who may see a programme's aggregates may read: what the
 * restricted engine holds, what the published site and commissioners' pages read, and what
 * the Glue database over the published prefix has. One rule, kept here.
 */
export function publishedModels(list: readonly Model[] = models): Model[] {
  return exportedModels(list).filter((m) => audienceOf(m) === 'published');
}

/** The columns a published table's rows are held to a reader's contracts by (pipelines/analytics/restricted.ts). */
export const SCOPE_COLUMNS = ['contract_id', 'programme_id', 'provider_id'] as const;

const WORD = /[A-Za-z_][A-Za-z0-9_]*/g;

/** The sources and models a model's SQL names. */
export function dependencies(
  model: Model,
  among: readonly Model[] = models,
): { models: string[]; sources: string[] } {
  const sql = model.sql.replace(/--[^\n]*/g, '');
  const words = new Set(sql.match(WORD) ?? []);
  return {
    models: among.filter((m) => m.name !== model.name && words.has(m.name)).map((m) => m.name),
    sources: allSourceNames.filter((s) => words.has(s)),
  };
}

/** Models in an order where each comes after everything it reads; throws on a cycle. */
export function buildOrder(list: readonly Model[] = models): Model[] {
  const byName = new Map(list.map((m) => [m.name, m]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const order: Model[] = [];
  const visit = (m: Model, path: string[]) => {
    if (done.has(m.name)) return;
    if (visiting.has(m.name))
      throw new Error(`Models depend on each other in a circle: ${[...path, m.name].join(' → ')}`);
    visiting.add(m.name);
    for (const d of dependencies(m, list).models) visit(byName.get(d)!, [...path, m.name]);
    visiting.delete(m.name);
    done.add(m.name);
    order.push(m);
  };
  // Models that read every return version are by far the largest; building them first, before
  // the staging tables take their share of DuckDB's memory, keeps them from spilling to disk.
  const readsVersions = (m: Model) =>
    dependencies(m, list).sources.includes('src_participant_versions');
  for (const m of [...list.filter(readsVersions), ...list.filter((m) => !readsVersions(m))])
    visit(m, []);
  return order;
}

/** A global model must not read all return versions (only loaded for the contracts rebuilt). */
export function checkModelRules(list: readonly Model[] = models): string[] {
  const problems: string[] = [];
  for (const m of list) {
    const deps = dependencies(m, list);
    if (m.layer === 'staging' && m.audience === 'published')
      problems.push(
        `${m.name} is a staging model, which is never exported, so it cannot be published`,
      );
    // A published table is copied into a reader's engine only for their contracts or programmes.
    if (
      audienceOf(m) === 'published' &&
      m.layer !== 'staging' &&
      !m.columns.some((c) => c.name === 'contract_id' || c.name === 'programme_id')
    )
      problems.push(
        `${m.name} is published but has neither a contract_id nor a programme_id column, so its rows cannot be held to a commissioner's programmes`,
      );
    if (m.partition === 'global' && deps.sources.includes('src_participant_versions'))
      problems.push(
        `${m.name} is global but reads src_participant_versions, which holds only the contracts being rebuilt`,
      );
    if (m.partition === 'contract' && !m.columns.some((c) => c.name === 'contract_id'))
      problems.push(`${m.name} is partitioned by contract but has no contract_id column`);
    if (m.partition === 'contract')
      for (const d of deps.models) {
        const dep = list.find((x) => x.name === d)!;
        if (dep.partition === 'global')
          problems.push(`${m.name} is partitioned by contract but reads the global model ${d}`);
      }
  }
  return problems;
}
