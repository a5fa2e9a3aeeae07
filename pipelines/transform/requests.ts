/**
 * Requests to rebuild the marts, as sent to the transform queue in AWS (ADR 015): one small JSON
 * message each, and the rule for turning a batch of them into one build.
 */
import { z } from 'zod';
import { slug } from '../reference/schema.js';

export const transformRequestSchema = z.union([
  z.object({ full: z.literal(true), reason: z.string() }),
  z.object({ contracts: z.array(slug).min(1), reason: z.string() }),
]);

/** `{ full: true }` for everything (reference data changed), else the contracts a new return touched. */
export type TransformRequest = z.infer<typeof transformRequestSchema>;

/** Somewhere to send rebuild requests: the FIFO queue in AWS (functions/lambda/sqs.ts), a recorder in tests. */
export interface TransformRequests {
  /**
   * @param deduplicationId the same id for the same cause (an upload id, say), so a request
   *   sent twice within the queue's window is built once.
   */
  send(request: TransformRequest, deduplicationId: string): Promise<void>;
}

/** Checks a message body; the error says what is wrong with it. */
export function parseTransformRequest(body: string): TransformRequest {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new Error(
      `A transform request must be JSON such as {"contracts":["plp-a"],"reason":"…"}; got ${JSON.stringify(body.slice(0, 80))}`,
    );
  }
  const parsed = transformRequestSchema.safeParse(value);
  if (!parsed.success)
    throw new Error(
      `A transform request must be {"full":true,"reason":…} or {"contracts":[ids…],"reason":…}: ${parsed.error.issues[0]?.message ?? 'not one'}`,
    );
  return parsed.data;
}

/**
 * One build for a batch of requests: full if any asks for it or there is no build yet to add
 * to, else the union of their contracts, sorted.
 *
 * @example planRebuild([{ contracts: ['b'] }, { contracts: ['a', 'b'] }], true) // ['a', 'b']
 */
export function planRebuild(
  requests: readonly TransformRequest[],
  previousBuildExists: boolean,
): 'full' | string[] {
  if (!previousBuildExists || requests.length === 0 || requests.some((r) => 'full' in r))
    return 'full';
  return [...new Set(requests.flatMap((r) => ('contracts' in r ? r.contracts : [])))].sort();
}
