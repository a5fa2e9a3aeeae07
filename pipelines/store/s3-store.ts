/**
 * The object store in an S3 bucket, for when Outturn runs on AWS. Each key is the object
 * `prefix + key`, so several stores (environments, tests) can share one bucket. The same contract
 * suite as the local store runs against it, over a real S3-protocol server (s3rver) on loopback.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type PutObjectCommandInput,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import {
  bytesOf,
  checkKey,
  checkPrefix,
  holdsExactly,
  noSuchObject,
  ObjectStoreError,
  storeFailure,
  type ObjectStore,
  type PutFileOptions,
  type PutOptions,
} from './object-store.js';
import { tempPathBeside } from './temp-file.js';

export interface S3StoreOptions {
  bucket: string;
  /** Put before every key, so stores can share a bucket; a `/` is added if it lacks one. */
  prefix?: string;
  /** Left to the SDK's own look-up (AWS_REGION, ~/.aws/config) when not given. */
  region?: string;
  /** An S3-compatible server instead of AWS, such as s3rver in the tests or MinIO. */
  endpoint?: string;
  /** `http://host/bucket/key` rather than `http://bucket.host/key`; needed by most S3-compatible servers. */
  forcePathStyle?: boolean;
  /** Left to the SDK's default chain (environment, profile, the Lambda's role) when not given. */
  credentials?: S3ClientConfig['credentials'];
  /** Where `localFile` keeps the objects it downloads for DuckDB. */
  cacheDir: string;
  /** Keys asked for per ListObjectsV2 page: S3's own limit, 1000, unless a test wants many pages. */
  pageSize?: number;
}

export class S3Store implements ObjectStore {
  readonly description: string;
  /** The SDK client, for what the interface does not cover (presigned links, test instrumentation). */
  readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly cacheDir: string;
  private readonly pageSize: number;
  private readonly downloads = new Map<string, Promise<string>>();

  /**
   * A store over one bucket (and prefix). Creating it sends no request.
   *
   * @example const store = new S3Store({ bucket: 'outturn-data', prefix: 'prod', region: 'eu-west-2', cacheDir: '/tmp/outturn-cache' });
   */
  constructor(options: S3StoreOptions) {
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(options.bucket) || options.bucket.includes('..'))
      throw new ObjectStoreError(`"${options.bucket}" is not a valid S3 bucket name`, '');
    const prefix = checkPrefix(options.prefix ?? '');
    this.bucket = options.bucket;
    this.prefix = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
    this.cacheDir = resolve(options.cacheDir);
    this.pageSize = options.pageSize ?? 1000;
    this.description = `s3://${this.bucket}/${this.prefix}`;
    this.client = new S3Client({
      region: options.region,
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle,
      credentials: options.credentials,
      // Since 3.729 the SDK adds CRC32 checksums to every upload and sends streamed bodies
      // `aws-chunked` with a trailing checksum. AWS checks them, but S3-compatible servers may
      // not: s3rver stores the chunk framing as the object's bytes. So against another server,
      // checksums are sent only where an operation requires them (none that Outturn uses).
      ...(options.endpoint
        ? {
            requestChecksumCalculation: 'WHEN_REQUIRED',
            responseChecksumValidation: 'WHEN_REQUIRED',
          }
        : {}),
    });
  }

  async get(key: string): Promise<Uint8Array | null> {
    const name = this.nameOf(key);
    try {
      const response = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: name }),
      );
      return response.Body ? await response.Body.transformToByteArray() : new Uint8Array();
    } catch (err) {
      if (isNoSuchKey(err)) return null;
      throw storeFailure('read', key, this.description, err);
    }
  }

  async put(key: string, body: Uint8Array | string, options?: PutOptions): Promise<void> {
    const name = this.nameOf(key);
    try {
      const bytes = bytesOf(body);
      await this.client.send(
        new PutObjectCommand(this.putInput(name, bytes, bytes.byteLength, options)),
      );
    } catch (err) {
      throw storeFailure('write', key, this.description, err);
    }
  }

  /**
   * Asks first whether the object exists (saving the upload when it does), then writes with
   * `If-None-Match: *`, which AWS S3 honours atomically: a writer that loses a race gets 412.
   *
   * Servers that ignore the header (s3rver does) fall back to that ask-then-write, which calls in
   * this process make exact by queueing per key. Two processes racing there could both write,
   * and that is harmless in Outturn: raw/ keys are content hashes, so both write the same bytes,
   * and every receipt's key holds an id only one writer ever makes.
   */
  async putIfAbsent(
    key: string,
    body: Uint8Array | string,
    options?: PutOptions,
  ): Promise<boolean> {
    const name = this.nameOf(key);
    const bytes = bytesOf(body);
    return oneAtATime(`${this.bucket}/${name}`, async () => {
      // AWS answers 409 while another conditional write to the key is under way: ask again.
      for (let attempt = 1; ; attempt++) {
        if (await this.exists(key)) return false;
        try {
          await this.client.send(
            new PutObjectCommand({
              ...this.putInput(name, bytes, bytes.byteLength, options),
              IfNoneMatch: '*',
            }),
          );
          return true;
        } catch (err) {
          if (statusOf(err) === 412) return false;
          if (statusOf(err) === 409 && attempt < 3) continue;
          throw storeFailure('write', key, this.description, err);
        }
      }
    });
  }

  /**
   * Reads the object and its ETag, compares, then writes with `If-Match: <that ETag>` (or
   * `If-None-Match: *` when there was none), which AWS S3 honours atomically: if another writer
   * came between, the answer is 412 and nothing is written. Servers that ignore the headers
   * (s3rver does) are exact only within this process, which queues calls per key.
   */
  async putIfUnchanged(
    key: string,
    expected: Uint8Array | string | null,
    body: Uint8Array | string,
    options?: PutOptions,
  ): Promise<boolean> {
    const name = this.nameOf(key);
    const bytes = bytesOf(body);
    return oneAtATime(`${this.bucket}/${name}`, async () => {
      for (let attempt = 1; ; attempt++) {
        const current = await this.getWithTag(key, name);
        if (!holdsExactly(current?.bytes ?? null, expected)) return false;
        try {
          await this.client.send(
            new PutObjectCommand({
              ...this.putInput(name, bytes, bytes.byteLength, options),
              ...(current ? { IfMatch: current.etag } : { IfNoneMatch: '*' }),
            }),
          );
          return true;
        } catch (err) {
          // 412: changed since it was read; 404: deleted since (If-Match on a missing object).
          if (statusOf(err) === 412 || statusOf(err) === 404) return false;
          // 409: another conditional write to the key is under way: read and compare again.
          if (statusOf(err) === 409 && attempt < 3) continue;
          throw storeFailure('write', key, this.description, err);
        }
      }
    });
  }

  private async getWithTag(
    key: string,
    name: string,
  ): Promise<{ bytes: Uint8Array; etag: string } | null> {
    try {
      const response = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: name }),
      );
      const bytes = response.Body ? await response.Body.transformToByteArray() : new Uint8Array();
      if (response.ETag === undefined)
        throw new Error(`${this.description} sent no ETag for "${key}"`);
      return { bytes, etag: response.ETag };
    } catch (err) {
      if (isNoSuchKey(err)) return null;
      throw storeFailure('read', key, this.description, err);
    }
  }

  async exists(key: string): Promise<boolean> {
    const name = this.nameOf(key);
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: name }));
      return true;
    } catch (err) {
      if (isNoSuchKey(err)) return false;
      throw storeFailure('check', key, this.description, err);
    }
  }

  /** Follows every ListObjectsV2 page, then sorts: S3 orders by UTF-8 bytes, the interface by code units. */
  async list(prefix: string): Promise<string[]> {
    checkPrefix(prefix);
    const keys: string[] = [];
    let token: string | undefined;
    try {
      do {
        const page = await this.client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: this.prefix + prefix,
            MaxKeys: this.pageSize,
            ContinuationToken: token,
          }),
        );
        for (const object of page.Contents ?? []) {
          // A "folder" made in the AWS console is an empty object ending in `/`: not a key.
          if (object.Key !== undefined && !object.Key.endsWith('/'))
            keys.push(object.Key.slice(this.prefix.length));
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
    } catch (err) {
      throw storeFailure('list', prefix, this.description, err);
    }
    return keys.sort();
  }

  /** S3 answers a delete of a missing key with success too, so a clean-up can be run again. */
  async delete(key: string): Promise<void> {
    const name = this.nameOf(key);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: name }));
    } catch (err) {
      throw storeFailure('delete', key, this.description, err);
    }
  }

  /**
   * Downloads the object once into the cache folder, at a path made from bucket, prefix and key,
   * and reuses it after that. Only for keys that never change once written: the cache is never
   * refreshed. Concurrent calls for one key share a download.
   */
  async localFile(key: string): Promise<string> {
    const name = this.nameOf(key);
    const path = join(this.cacheDir, this.bucket, ...name.split('/'));
    let download = this.downloads.get(path);
    if (!download) {
      download = this.download(key, name, path).finally(() => this.downloads.delete(path));
      this.downloads.set(path, download);
    }
    return download;
  }

  /** Streams the file up with its length given, so a large mart never sits whole in memory. */
  async putFile(key: string, path: string, options?: PutFileOptions): Promise<void> {
    const name = this.nameOf(key);
    try {
      const { size } = await stat(path);
      const body = createReadStream(path);
      try {
        await this.client.send(new PutObjectCommand(this.putInput(name, body, size, options)));
      } finally {
        body.destroy();
      }
      if (options?.move) await unlink(path);
    } catch (err) {
      throw storeFailure('upload', key, this.description, err);
    }
  }

  /** Closes the client's connections, so a test or a short-lived command can exit promptly. */
  destroy(): void {
    this.client.destroy();
  }

  private async download(key: string, name: string, path: string): Promise<string> {
    try {
      if ((await stat(path)).isFile()) return path;
    } catch {
      // Not cached yet.
    }
    let response;
    try {
      response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: name }));
    } catch (err) {
      if (isNoSuchKey(err)) throw noSuchObject(key, this.description);
      throw storeFailure('download', key, this.description, err);
    }
    // Written beside its final name and renamed, so a download cut short never looks cached.
    const temp = tempPathBeside(path);
    try {
      await mkdir(dirname(path), { recursive: true });
      const body = response.Body instanceof Readable ? response.Body : Readable.from([]);
      await pipeline(body, createWriteStream(temp, { flags: 'wx' }));
      const { size } = await stat(temp);
      if (response.ContentLength !== undefined && size !== response.ContentLength)
        throw new Error(`received ${size} of ${response.ContentLength} bytes`);
      await rename(temp, path);
      return path;
    } catch (err) {
      await unlink(temp).catch(() => undefined);
      throw storeFailure('download', key, this.description, err);
    }
  }

  uri(key: string): string {
    return `s3://${this.bucket}/${this.nameOf(key)}`;
  }

  private nameOf(key: string): string {
    return this.prefix + checkKey(key);
  }

  private putInput(
    name: string,
    body: PutObjectCommandInput['Body'],
    length: number,
    options: PutOptions | undefined,
  ): PutObjectCommandInput {
    return {
      Bucket: this.bucket,
      Key: name,
      Body: body,
      ContentLength: length,
      ContentType: options?.contentType,
    };
  }
}

const queues = new Map<string, Promise<void>>();

/** Runs `task` after every earlier task in this process with the same id, one at a time. */
function oneAtATime<T>(id: string, task: () => Promise<T>): Promise<T> {
  const run = (queues.get(id) ?? Promise.resolve()).then(task);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(id, settled);
  void settled.then(() => {
    if (queues.get(id) === settled) queues.delete(id);
  });
  return run;
}

/** The object is not there (GetObject says NoSuchKey; HeadObject, having no body, says NotFound). */
function isNoSuchKey(err: unknown): boolean {
  const name = err instanceof Error ? err.name : undefined;
  return name === 'NoSuchKey' || name === 'NotFound';
}

function statusOf(err: unknown): number | undefined {
  const metadata =
    typeof err === 'object' && err !== null && '$metadata' in err ? err.$metadata : undefined;
  return typeof metadata === 'object' &&
    metadata !== null &&
    'httpStatusCode' in metadata &&
    typeof metadata.httpStatusCode === 'number'
    ? metadata.httpStatusCode
    : undefined;
}
