/**
 * One contract's rows of the performance mart. Belongs in pipelines/transform beside
 * `openCurated` once the page renderer in reports/ has its named queries; here until then.
 */
import type { CuratedDb } from '../../pipelines/transform/query.js';
import { QueryError } from '../../pipelines/transform/query.js';

export interface ContractPerformance {
  /** The date the marts are as at; null when none have been built yet. */
  as_of: string | null;
  /** Which mart the rows come from: `suppressed_performance` has small numbers suppressed. */
  mart: 'performance' | 'suppressed_performance';
  rows: Record<string, unknown>[];
}

/**
 * @param open The engine to read: the full marts, or the restricted engine for a reader who may
 *   see only published figures (then the suppressed copy is read: it is all that engine has).
 *
 * @example const { rows } = await contractPerformance(() => openCurated(store), 'plp-test', { suppressed: false })
 */
export async function contractPerformance(
  open: () => Promise<CuratedDb>,
  contractId: string,
  options: { suppressed: boolean },
): Promise<ContractPerformance> {
  const mart = options.suppressed ? 'suppressed_performance' : 'performance';
  let db;
  try {
    db = await open();
  } catch (e) {
    if (e instanceof QueryError) return { as_of: null, mart, rows: [] };
    throw e;
  }
  try {
    // The mart's name is one of two constants; the contract id is always a bound parameter.
    const { rows } = await db.query(
      `select * from ${mart} where contract_id = $contract order by measure_order, period`,
      { contract: contractId },
    );
    return { as_of: db.manifest.as_of, mart, rows };
  } finally {
    db.close();
  }
}
