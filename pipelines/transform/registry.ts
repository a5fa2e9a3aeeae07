/**
 * Every model, and the order to build them in: dependencies are read from the SQL itself (a
 * model depends on each source or model it names), as dbt reads `ref()`.
 */
import { martModels } from './models/marts/index.js';
import { stagingModels } from './models/staging/index.js';
import type { Audience, Model } from './model.js';
import { allSourceNames, participantSources } from './sources.js';

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

/**
 * Whether a model needs participant rows loaded to build: it reads a participant source, or a
 * staging model that does (staging is never exported, so the global pass has no files of it).
 * Exported contract models are not followed: the global pass reads them from their files.
 */
export function readsParticipantRows(model: Model, list: readonly Model[] = models): boolean {
  const byName = new Map(list.map((m) => [m.name, m]));
  const seen = new Set<string>();
  const visit = (m: Model): boolean => {
    if (seen.has(m.name)) return false;
    seen.add(m.name);
    const deps = dependencies(m, list);
    if (deps.sources.some((s) => participantSources.includes(s))) return true;
    return deps.models.some((d) => {
      const dep = byName.get(d)!;
      return dep.layer === 'staging' && visit(dep);
    });
  };
  return visit(model);
}

/**
 * The models whose rows depend on the as-at date: those whose SQL reads it
 * (`getvariable('as_of')`) and every model built on one of them. Only these are recomputed for
 * every contract when a build is as at a new day (ADR 031).
 */
export function asOfDependent(list: readonly Model[] = models): Set<string> {
  const out = new Set<string>();
  for (const m of buildOrder(list))
    if (
      /getvariable\s*\(\s*'as_of'\s*\)/i.test(m.sql) ||
      dependencies(m, list).models.some((d) => out.has(d))
    )
      out.add(m.name);
  return out;
}

/** A global model must not read participant rows (only loaded for the contracts rebuilt). */
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
    if (m.partition === 'global' && readsParticipantRows(m, list))
      problems.push(
        `${m.name} is global but reads participant rows (${participantSources.join(', ')} or staging over them), which are loaded only for the contracts being rebuilt: read a contract model's summary instead`,
      );
    if (m.incrementalSql !== undefined && m.partition !== 'global')
      problems.push(
        `${m.name} has an incremental form, which only a global model may have (a contract model is rebuilt for its contracts)`,
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
