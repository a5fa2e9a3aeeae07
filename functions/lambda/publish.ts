/**
 * The publish function (ADR 015): SQS fed by the S3 notification for `curated/current.json`
 * (a build was switched in). Renders the commissioner dashboards with publishSite into a folder
 * under /tmp, with links under `/site/` (where CloudFront serves the site bucket), uploads them
 * under `site/` and removes what is no longer published. A batch of notifications is one publish.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { publishSite } from '../../reports/publish/publish.js';
import { uploadSite } from '../../reports/publish/site-upload.js';
import type { ObjectStore } from '../../pipelines/store/object-store.js';
import { CURRENT_KEY } from '../../pipelines/transform/curated.js';
import { readSettings } from './env.js';
import { createLogger, type Sink } from './log.js';
import { once } from './once.js';
import { parseS3Message } from './s3-events.js';
import { dataStore, siteStore } from './stores.js';

/** Where the site lives: in the bucket, and on the distribution. */
export const SITE_PREFIX = 'site/';
export const SITE_BASE_PATH = '/site/';

export interface PublishContext {
  /** The data (read: curated/, reference/). */
  store: ObjectStore;
  /** The site bucket. */
  site: ObjectStore;
  /** The working store's key prefix, to recognise `curated/current.json` in a notification. */
  prefix: string;
  /** Where to render before uploading; default the system's temp folder (/tmp on Lambda). */
  tmpDir?: string;
  log?: Sink;
}

export function createPublishHandler(make: () => PublishContext | Promise<PublishContext>) {
  const context = once(make);
  return async (
    event: SQSEvent,
    lambda?: Pick<Context, 'awsRequestId'>,
  ): Promise<SQSBatchResponse> => {
    const { store, site, prefix, tmpDir = tmpdir(), log: sink } = await context();
    const log = createLogger('publish', lambda?.awsRequestId, sink);
    let switched = false;
    const failed: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      try {
        const message = parseS3Message(record.body);
        if (
          message.kind === 'objects' &&
          message.objects.some((o) => o.key === `${prefix}${CURRENT_KEY}`)
        )
          switched = true;
      } catch (e) {
        log.error('Ignored a message that is not an S3 notification', e, {
          message_id: record.messageId,
        });
      }
    }
    if (!switched) return { batchItemFailures: failed };
    const dir = await mkdtemp(join(tmpDir, 'outturn-site-'));
    try {
      const published = await publishSite(store, dir, { basePath: SITE_BASE_PATH });
      const { uploaded, deleted } = await uploadSite(site, dir, published.files, SITE_PREFIX);
      log.info('Dashboards published', {
        files: uploaded.length,
        deleted: deleted.length,
        programmes: published.programmes,
        bytes: published.bytes,
      });
      return { batchItemFailures: failed };
    } catch (e) {
      log.error(
        'Publishing failed; the site keeps its previous pages and the notification will be retried',
        e,
      );
      return { batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.messageId })) };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
}

export const handler = createPublishHandler(() => {
  const settings = readSettings('publish', process.env);
  return { store: dataStore(settings), site: siteStore(settings), prefix: settings.prefix };
});
