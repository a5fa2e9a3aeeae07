/**
 * The restricted engine: for a reader who may see only published figures (a commissioner, a
 * contract manager's ad-hoc queries, the published site), a DuckDB instance of its own that
 * holds the published tables (`publishedModels`) and, of those, only the rows of the reader's
 * contracts, copied into memory from the build's Parquet. Once they are copied, external access
 * is switched off and the configuration locked, so whatever SQL it is given, it can read no file,
 * attach no database, load no extension and raise none of its limits: what the reader may not
 * see is not in it to be found (docs/decisions/020-restricted-engine.md).
 *
 * One instance per store, build and scope, shared by every caller in the process; the instances
 * of a superseded build close after their last handle, and at most `MAX_SCOPES` are kept.
 *
 * @example
 *   const db = await openRestricted(store, { contracts: [{ id: 'plp-a', programme_id: 'plp', provider_id: 'acme' }] });
 *   try { await db.query('select count(*) as n from suppressed_performance'); } finally { db.close(); }
 */
import { createHash } from 'node:crypto';
import { DuckDBInstance } from '@duckdb/node-api';
import { sqlIdent, sqlString } from '../duckdb/open.js';
import { getJson, type ObjectStore } from '../store/object-store.js';
import {
  CURRENT_KEY,
  manifestKey,
  manifestSchema,
  type BuildManifest,
} from '../transform/curated.js';
import type { Model } from '../transform/model.js';
import { handleOn, NoMartsYetError, QueryError, type CuratedDb } from '../transform/query.js';
import { models, publishedModels, SCOPE_COLUMNS } from '../transform/registry.js';

/** A contract whose rows a reader may see, with what a published row is matched on. */
export interface ScopedContract {
  id: string;
  programme_id: string;
  provider_id: string;
}

/** A delivery partner of one contract (ADR 042): the partner's code as its returns give it. */
export interface PartnerScope {
  contract_id: string;
  code: string;
}

/**
 * The contracts whose rows a restricted engine holds: the reader's (pipelines/access/rules.ts).
 * With `partner`, the engine holds instead `PARTNER_TABLES`, and of them only the rows of that
 * contract's participants the returns name the partner for.
 */
export interface RestrictedScope {
  contracts: readonly ScopedContract[];
  partner?: PartnerScope;
}

/** The breakdown whose categories are partner codes: the return's delivery_partner field. */
export const PARTNER_BREAKDOWN = 'delivery_partner';

/**
 * What a partner's engine holds: the programme's measures, true figures (the partner supports
 * these people, so nothing in its own figures is hidden from it), only its own breakdown cell.
 */
export const PARTNER_TABLES: readonly string[] = ['measure_values'];

function partnerModels(): Model[] {
  return PARTNER_TABLES.map((name) => {
    const model = models.find((m) => m.name === name);
    if (!model) throw new QueryError(`There is no model ${name} for a partner's engine.`);
    return model;
  });
}

/** The rows of a partner table a partner may see: its contract's, in its own breakdown cell. */
export function partnerPredicate(partner: PartnerScope): string {
  return `t.contract_id = ${sqlString(partner.contract_id)} and t.breakdown = ${sqlString(PARTNER_BREAKDOWN)} and t.breakdown_value = ${sqlString(partner.code)}`;
}

/**
 * The most memory one restricted instance may use, its tables and every query on it together; it
 * never spills to disk. A query that needs more is stopped with a message saying so.
 */
export const RESTRICTED_MEMORY_LIMIT = '256MB';

/** Instances kept at once (one per distinct scope in use); the least recently used go first. */
export const MAX_SCOPES = 8;

export interface RestrictedOptions {
  /** The store the published Parquet is copied from; in AWS one that may read only the published prefix. */
  source?: ObjectStore;
  /** Default RESTRICTED_MEMORY_LIMIT. */
  memoryLimit?: string;
}

interface Entry {
  buildId: string;
  scope: RestrictedScope;
  options: RestrictedOptions;
  ready: Promise<{ instance: DuckDBInstance; manifest: BuildManifest }>;
  users: number;
  superseded: boolean;
  lastUsed: number;
}

const shared = new WeakMap<ObjectStore, Map<string, Entry>>();
let uses = 0;

/** A stable name for a scope: the same contracts in any order give the same key. */
export function scopeKey(scope: RestrictedScope): string {
  const lines = scope.contracts
    .map((c) => `${c.id}\t${c.programme_id}\t${c.provider_id}`)
    .sort()
    .join('\n');
  const partner = scope.partner
    ? `partner\t${scope.partner.contract_id}\t${scope.partner.code}\n`
    : '';
  return createHash('sha256')
    .update(partner + lines)
    .digest('hex')
    .slice(0, 16);
}

/**
 * The rows of a published model a scope may see: those matching one of its contracts on every
 * scope column the model has (contract_id, programme_id, provider_id). A model with neither a
 * contract nor a programme column cannot be scoped and is refused (checkModelRules says so too).
 */
export function scopePredicate(model: Pick<Model, 'name' | 'columns'>): string {
  const names = new Set(model.columns.map((c) => c.name));
  if (!names.has('contract_id') && !names.has('programme_id'))
    throw new QueryError(
      `${model.name} has neither a contract_id nor a programme_id column, so it cannot be held to a reader's contracts.`,
    );
  const column: Record<(typeof SCOPE_COLUMNS)[number], string> = {
    contract_id: 'id',
    programme_id: 'programme_id',
    provider_id: 'provider_id',
  };
  const matches = SCOPE_COLUMNS.filter((c) => names.has(c)).map(
    (c) => `s.${column[c]} = t.${sqlIdent(c)}`,
  );
  return `exists (select 1 from reader_scope s where ${matches.join(' and ')})`;
}

/**
 * Settings given to the instance when it is made (they cannot be changed by a query: the
 * configuration is locked once the tables are in). No temp directory, so the memory limit is a
 * ceiling rather than a point to spill from; no extension installed or loaded behind our back.
 */
function instanceConfig(memoryLimit: string): Record<string, string> {
  return {
    memory_limit: memoryLimit,
    threads: '1',
    temp_directory: '',
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    allow_community_extensions: 'false',
    allow_unsigned_extensions: 'false',
    allow_persistent_secrets: 'false',
  };
}

/** What is switched off once the tables are in, then locked. Checked after, so a failure fails closed. */
export const LOCKDOWN: readonly string[] = [
  "SET disabled_filesystems = 'LocalFileSystem'",
  'SET enable_external_access = false',
  'SET lock_configuration = true',
];

async function openInstance(
  source: ObjectStore,
  buildId: string,
  scope: RestrictedScope,
  memoryLimit: string,
): Promise<{ instance: DuckDBInstance; manifest: BuildManifest }> {
  const raw = await getJson(source, manifestKey(buildId));
  if (!raw)
    throw new QueryError(
      `${CURRENT_KEY} points at build ${buildId}, whose manifest is missing`,
      'not-ready',
    );
  const manifest = manifestSchema.parse(raw);
  const instance = await DuckDBInstance.create(':memory:', instanceConfig(memoryLimit));
  const loader = await instance.connect();
  try {
    await loader.run(
      'CREATE TEMP TABLE reader_scope (id VARCHAR, programme_id VARCHAR, provider_id VARCHAR)',
    );
    if (scope.contracts.length)
      await loader.run(
        `INSERT INTO reader_scope VALUES ${scope.contracts
          .map(
            (c) =>
              `(${sqlString(c.id)}, ${sqlString(c.programme_id)}, ${sqlString(c.provider_id)})`,
          )
          .join(', ')}`,
      );
    const { partner } = scope;
    for (const model of partner ? partnerModels() : publishedModels()) {
      const built = manifest.models[model.name];
      const columns = model.columns.map((c) => `${sqlIdent(c.name)} ${c.type}`).join(', ');
      await loader.run(`CREATE TABLE ${sqlIdent(model.name)} (${columns})`);
      const keys = built ? Object.values(built.files) : [];
      if (!keys.length) continue;
      const paths = await Promise.all(keys.map((k) => source.localFile(k)));
      const names = model.columns.map((c) => sqlIdent(c.name)).join(', ');
      await loader.run(
        `INSERT INTO ${sqlIdent(model.name)} SELECT ${names} FROM read_parquet([${paths.map(sqlString).join(', ')}]) t WHERE ${partner ? partnerPredicate(partner) : scopePredicate(model)}`,
      );
    }
    await loader.run('DROP TABLE reader_scope');
    for (const statement of LOCKDOWN) await loader.run(statement);
    const check = await loader.runAndReadAll(
      "SELECT current_setting('enable_external_access')::VARCHAR, current_setting('lock_configuration')::VARCHAR",
    );
    const [external, locked] = check.getRowsJson()[0] as [string, string];
    if (external !== 'false' || locked !== 'true')
      throw new QueryError('The restricted engine could not be locked down, so it was not opened.');
  } catch (e) {
    loader.closeSync();
    instance.closeSync();
    throw e;
  }
  loader.closeSync();
  return { instance, manifest };
}

function retire(entries: Map<string, Entry>, key: string, entry: Entry): void {
  if (entries.get(key) === entry) entries.delete(key);
  entry.superseded = true;
  if (entry.users === 0)
    entry.ready.then(
      ({ instance }) => entry.users === 0 && instance.closeSync(),
      () => undefined,
    );
}

/**
 * Opens the restricted engine for a scope over the marts in force; throws QueryError when nothing
 * has been built yet. Close the handle after use.
 */
export async function openRestricted(
  store: ObjectStore,
  scope: RestrictedScope,
  options: RestrictedOptions = {},
): Promise<CuratedDb> {
  const source = options.source ?? store;
  const pointer = await getJson<{ build_id: string }>(source, CURRENT_KEY);
  if (!pointer) throw new NoMartsYetError();
  let entries = shared.get(store);
  if (!entries) shared.set(store, (entries = new Map()));
  // A newer build retires every instance of the older ones.
  for (const [k, e] of [...entries]) if (e.buildId !== pointer.build_id) retire(entries, k, e);
  const key = scopeKey(scope);
  let entry = entries.get(key);
  if (!entry) {
    const made: Entry = {
      buildId: pointer.build_id,
      scope,
      options,
      ready: openInstance(
        source,
        pointer.build_id,
        scope,
        options.memoryLimit ?? RESTRICTED_MEMORY_LIMIT,
      ),
      users: 0,
      superseded: false,
      lastUsed: ++uses,
    };
    entries.set(key, made);
    made.ready.catch(() => entries.get(key) === made && entries.delete(key));
    entry = made;
    const idle = [...entries]
      .filter(([, e]) => e !== made)
      .sort(([, a], [, b]) => a.lastUsed - b.lastUsed);
    while (entries.size > MAX_SCOPES && idle.length) {
      const [k, e] = idle.shift()!;
      retire(entries, k, e);
    }
  }
  const current = entry;
  current.lastUsed = ++uses;
  const { instance, manifest } = await current.ready;
  // A newer build was switched in (or the scope was evicted) while this one opened: start again.
  if (current.superseded) return openRestricted(store, scope, options);
  return handleOn(current, instance, manifest);
}

/** How many restricted instances are open for a store (for tests and the benchmark). */
export function openRestrictedCount(store: ObjectStore): number {
  return shared.get(store)?.size ?? 0;
}

/** The build of each restricted instance kept for a store (for tests and the benchmark). */
export function openRestrictedBuilds(store: ObjectStore): string[] {
  return [...(shared.get(store)?.values() ?? [])].map((e) => e.buildId);
}

/**
 * Opens, in the background, an instance over the build in force for each scope that had one
 * over an older build: called when a reader sees a new build switched in, so the first page
 * after the switch for those readers finds its engine ready or on its way (ADR 034). Failures
 * are left for that page to meet.
 */
export function reopenScopesInUse(store: ObjectStore, buildId: string): void {
  const entries = shared.get(store);
  if (!entries) return;
  for (const entry of [...entries.values()])
    if (entry.buildId !== buildId)
      void openRestricted(store, entry.scope, entry.options).then(
        (db) => db.close(),
        () => undefined,
      );
}
