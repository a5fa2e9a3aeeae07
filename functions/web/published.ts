/**
 * The marts a caller reads outside their own contracts' pages — the programme pages, their
 * downloads, the contract API's suppressed figures — through the restricted engine for the
 * caller's scope (pipelines/access `restrictedScope`; ADR 020). A 404 page when nothing is built yet.
 */
import { openRestricted, scopeKey } from '../../pipelines/analytics/restricted.js';
import { rememberResults } from '../../pipelines/transform/result-cache.js';
import type { CuratedDb } from '../../pipelines/transform/query.js';
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
