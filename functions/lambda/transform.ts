/**
 * The transform function (ADR 015): the FIFO queue's one message group (`marts`) makes builds
 * single-flight, and a batch of up to 10 requests is one build: the union of their contracts,
 * or in full if any asks for that or there is no build yet. After the switch, Athena's symlink
 * manifests are rewritten for the build in force.
 *
 * If the build fails, every message of the batch is reported failed: SQS delivers them again,
 * then keeps them in the dead-letter queue, and the previous build keeps serving.
 */
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { isoDate, today } from '../../pipelines/calendar/days.js';
import type { ObjectStore } from '../../pipelines/store/object-store.js';
import { readCurrentManifest } from '../../pipelines/transform/curated.js';
import { rebuild } from '../../pipelines/transform/rebuild.js';
import {
  parseTransformRequest,
  planRebuild,
  type TransformRequest,
} from '../../pipelines/transform/requests.js';
import { readSettings } from './env.js';
import { createLogger, type Sink } from './log.js';
import { once } from './once.js';
import { dataStore } from './stores.js';

export interface TransformContext {
  store: ObjectStore;
  /** The clock: the marts are as at its day. Default the real one. */
  now?: () => Date;
  log?: Sink;
}

export function createTransformHandler(make: () => TransformContext | Promise<TransformContext>) {
  const context = once(make);
  return async (
    event: SQSEvent,
    lambda?: Pick<Context, 'awsRequestId'>,
  ): Promise<SQSBatchResponse> => {
    const { store, now = () => new Date(), log: sink } = await context();
    const log = createLogger('transform', lambda?.awsRequestId, sink);
    const requests: TransformRequest[] = [];
    for (const record of event.Records) {
      try {
        requests.push(parseTransformRequest(record.body));
      } catch (e) {
        // It would never parse, so retrying cannot help; the valid requests still build.
        log.error('Ignored a message that is not a transform request', e, {
          message_id: record.messageId,
        });
      }
    }
    if (!requests.length) return { batchItemFailures: [] };
    try {
      const previous = await readCurrentManifest(store);
      const plan = planRebuild(requests, previous !== null);
      const started = Date.now();
      // rebuild() also rewrites the Athena symlink manifests (the store is S3) and clears old builds.
      const {
        manifest,
        athenaManifests: symlinks,
        pruned,
      } = await rebuild(store, {
        asOf: isoDate(today(now())),
        ...(plan === 'full' ? {} : { contracts: plan }),
      });
      log.info('Marts rebuilt and switched in', {
        build_id: manifest.build_id,
        scope: manifest.scope === 'full' ? 'full' : manifest.scope,
        requests: requests.length,
        reasons: requests.map((r) => r.reason),
        symlink_manifests: symlinks.length,
        ...('error' in pruned
          ? { prune_error: pruned.error }
          : { old_files_deleted: pruned.deleted.length }),
        seconds: Math.round((Date.now() - started) / 100) / 10,
      });
      return { batchItemFailures: [] };
    } catch (e) {
      log.error(
        'The rebuild failed; the previous marts keep serving and the requests will be retried',
        e,
        { requests: requests.length },
      );
      return { batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.messageId })) };
    }
  };
}

export const handler = createTransformHandler(() => {
  const settings = readSettings('transform', process.env);
  return { store: dataStore(settings) };
});
