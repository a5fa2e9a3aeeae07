/**
 * The marts a caller reads outside their own contracts' pages — the programme pages, their
 * downloads, the contract API's suppressed figures — through the restricted engine for the
 * caller's scope (pipelines/access `restrictedScope`; ADR 020). A 404 page when nothing is built yet.
 * And the marts as the pages over a caller's own contracts read them (`openMartsForPages`).
 */
import { openRestricted, scopeKey } from '../../pipelines/analytics/restricted.js';
import { rememberResults } from '../../pipelines/transform/result-cache.js';
import { openCurated, type CuratedDb } from '../../pipelines/transform/query.js';
import type { Caller } from './auth/guard.js';
import { restrictedScope } from '../../pipelines/access/index.js';
import type { Deps } from './deps.js';

/** The restricted engine holding the published tables, and only the rows the caller may see. */
export function openPublished(deps: Deps, caller: Caller): Promise<CuratedDb> {
  return openRestricted(deps.store, restrictedScope(caller.user, caller.reference), {
    source: deps.publishedSource,
  });
}

/**
 * The same engine for a page's own queries, whose results are kept per build and scope
 * (pipelines/transform/result-cache.ts): never for ad-hoc SQL.
 */
export async function openPublishedForPages(deps: Deps, caller: Caller): Promise<CuratedDb> {
  const scope = restrictedScope(caller.user, caller.reference);
  const db = await openRestricted(deps.store, scope, { source: deps.publishedSource });
  return rememberResults(db, `restricted|${scopeKey(scope)}`);
}

/**
 * The marts in force for the pages over a caller's own contracts (the contract, measures,
 * quality and review pages, the portfolio): copied into memory in the background, and each
 * page query's result kept per build (docs/decisions/034). Who may see which contract is the
 * route's guard's business, as before; the queries name the contracts.
 */
export async function openMartsForPages(deps: Deps): Promise<CuratedDb> {
  return rememberResults(await openCurated(deps.store, { inMemory: true }), 'full');
}
