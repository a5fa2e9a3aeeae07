/**
 * What the contract page needs from the reference data, worked out by the web app (which holds
 * it) and passed as the page's parameters: the contract's name in words, its programme's RAG
 * thresholds, and how long each standard's people need before it can judge them.
 */
import type { Contract, ReferenceData } from '../../../pipelines/reference/schema.js';
import { orderRules } from '../../../pipelines/validate/row-rules.js';
import { contractTitle } from '../../names.js';

export type ContractPageParams = {
  contract: string;
  /** The contract in words: programme, area and provider. */
  title: string;
  green_from: number;
  amber_from: number;
  /**
   * `standard_id:days:milestone`, comma-separated: a cohort standard whose numerator can come
   * only `days` after the denominator's milestone (a job lasts 13 weeks 91 days after it starts),
   * so the people whose milestone is more recent than that cannot be judged yet.
   */
  waits: string;
};

/** @example contractPageParams(contract, reference) // { contract: 'vrs-tae-tweed', title: '…', … } */
export function contractPageParams(
  contract: Contract,
  reference: ReferenceData,
): ContractPageParams {
  const programme = reference.programmes.find((p) => p.id === contract.programme_id);
  const waits = (programme?.standards ?? []).flatMap((s) => {
    if (s.kind !== 'min_share') return [];
    const days = orderRules.find(
      (r) => r.later === s.numerator && r.earlier === s.denominator,
    )?.minDays;
    return days ? [`${s.id}:${days}:${s.denominator}`] : [];
  });
  return {
    contract: contract.id,
    title: contractTitle(contract, reference),
    green_from: programme?.rag.green_from ?? 1,
    amber_from: programme?.rag.amber_from ?? 1,
    waits: waits.join(','),
  };
}
