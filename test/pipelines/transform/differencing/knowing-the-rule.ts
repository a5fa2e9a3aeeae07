/**
 * The attacker who knows the suppression rule (ADR 021 publishes it) and reads one measure's
 * series: for each block of hidden months, every way its shown total could be split between its
 * months is put through the rule again; a split that would have been published differently is
 * ruled out. A hidden month (or a run of them) whose value is the same in every split left is
 * recovered. The attacker is also told every other month's true value, which only helps them:
 * what they still cannot work out, a real one cannot either.
 */

/** How a rule publishes each of several series: one text per series, equal when they read alike. */
export type Publish = (series: readonly (readonly number[])[]) => Promise<string[]>;

export interface HiddenBlock {
  /** Index of the block's first and last month. */
  from: number;
  to: number;
  total: number;
}

export interface RuleAttackResult {
  /** Blocks whose splits were all tried. */
  examined: number;
  /** Blocks with too many splits to try. */
  skipped: number;
  /** `from..to` runs of months (one month: from = to) with a single possible total. */
  recovered: { from: number; to: number; value: number }[];
}

/** Every way of writing `total` as `parts` whole numbers from 0, up to `limit` of them (null: more). */
function splits(total: number, parts: number, limit: number): number[][] | null {
  const out: number[][] = [];
  const walk = (left: number, at: number, prefix: number[]): boolean => {
    if (at === parts - 1) {
      out.push([...prefix, left]);
      return out.length <= limit;
    }
    for (let v = 0; v <= left; v++) if (!walk(left - v, at + 1, [...prefix, v])) return false;
    return true;
  };
  return walk(total, 0, []) ? out : null;
}

export async function attackKnowingTheRule(
  series: readonly number[],
  blocks: readonly HiddenBlock[],
  publish: Publish,
  limit = 4000,
): Promise<RuleAttackResult> {
  const [published] = await publish([series]);
  const result: RuleAttackResult = { examined: 0, skipped: 0, recovered: [] };
  for (const block of blocks) {
    const length = block.to - block.from + 1;
    const candidates = splits(block.total, length, limit);
    if (!candidates) {
      result.skipped++;
      continue;
    }
    result.examined++;
    const filled = candidates.map((c) => [
      ...series.slice(0, block.from),
      ...c,
      ...series.slice(block.to + 1),
    ]);
    const texts = await publish(filled);
    const left = candidates.filter((_, i) => texts[i] === published);
    if (!left.some((c) => c.every((v, i) => v === series[block.from + i])))
      throw new Error('the true series is not among those that publish alike');
    // Every run of months inside the block, shorter than the block (its total is shown).
    for (let a = 0; a < length; a++)
      for (let b = a; b < length; b++) {
        if (a === 0 && b === length - 1) continue;
        const sums = new Set(left.map((c) => c.slice(a, b + 1).reduce((s, v) => s + v, 0)));
        if (sums.size === 1)
          result.recovered.push({
            from: block.from + a,
            to: block.from + b,
            value: [...sums][0]!,
          });
      }
  }
  return result;
}
