/**
 * A store failure as one plain sentence for a person at a terminal: no credentials, an endpoint
 * that cannot be reached, a bucket that does not exist or refuses access. The SDK's own message
 * and stack stay in the error's cause for whoever debugs it.
 */
import { ObjectStoreError } from './object-store.js';
import { storeConfig, type Env } from './open-store.js';

function causeChain(e: unknown): { name: string; code: string; message: string }[] {
  const out: { name: string; code: string; message: string }[] = [];
  for (let c: unknown = e, depth = 0; c && depth < 6; depth++) {
    const err = c as { name?: unknown; code?: unknown; Code?: unknown; message?: unknown };
    out.push({
      name: String(err.name ?? ''),
      code: String(err.code ?? err.Code ?? ''),
      message: String(err.message ?? ''),
    });
    c = (c as { cause?: unknown }).cause ?? (c as { errors?: unknown[] }).errors?.[0];
  }
  return out;
}

/**
 * One sentence saying why the store could not be used and what to do, or null when `e` is not
 * a store failure.
 *
 * @example plainStoreError(err, process.env) // 'Outturn could not reach the S3 endpoint http://127.0.0.1:9 (connection refused). …'
 */
export function plainStoreError(e: unknown, env: Env = process.env): string | null {
  if (!(e instanceof ObjectStoreError)) return null;
  const config = storeConfig(env);
  const chain = causeChain(e.cause);
  const has = (test: (x: { name: string; code: string; message: string }) => boolean) =>
    chain.some(test);
  if (config.kind === 'local')
    return `Outturn could not use the local store ${config.root}: ${chain[0]?.message || e.message}. Check the folder exists and can be written, or set OUTTURN_DATA_DIR.`;
  const bucket = `s3://${config.bucket}/`;
  const where = config.endpoint ? `the S3 endpoint ${config.endpoint}` : `S3 in ${config.region}`;
  if (has((x) => x.name === 'CredentialsProviderError' || /load credentials/i.test(x.message)))
    return `Outturn found no AWS credentials to open ${bucket}: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or unset OUTTURN_S3_BUCKET to use a local folder.`;
  const network = chain.find((x) =>
    /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|ENETUNREACH)$/.test(
      x.code,
    ),
  );
  if (network || has((x) => x.name === 'TimeoutError'))
    return `Outturn could not reach ${where} for ${bucket} (${network?.code ?? 'timed out'}): check OUTTURN_S3_ENDPOINT and OUTTURN_S3_REGION, and that the machine can reach it.`;
  if (has((x) => x.name === 'NoSuchBucket' || x.code === 'NoSuchBucket'))
    return `There is no bucket ${config.bucket} at ${where}: check OUTTURN_S3_BUCKET (and OUTTURN_S3_REGION).`;
  if (
    has((x) =>
      /^(AccessDenied|InvalidAccessKeyId|SignatureDoesNotMatch|ExpiredToken|Forbidden)$/.test(
        x.name || x.code,
      ),
    )
  )
    return `AWS refused access to ${bucket} (${chain.find((x) => x.name)?.name}): check the credentials in use are allowed to read and write that bucket.`;
  return `${e.message.split('\n')[0]}.`;
}
