/**
 * A real S3-protocol server for the tests: s3rver, in this process, on 127.0.0.1 only, over a
 * temporary folder. Small shims make it behave as S3 does where s3rver 3.7 falls short; none of
 * them answers for s3rver except the 412 that AWS itself would send.
 */
import crypto from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import S3rver from 's3rver';

export const bucket = 'outturn-test';

/** s3rver's fixed keys: it checks signatures, so these must match. */
export const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface RunningS3rver {
  /** s3rver with each object's requests taking turns (see `inTurn`); `If-None-Match` ignored, as s3rver does. */
  endpoint: string;
  /** The same, also honouring `If-None-Match: *` and `If-Match: <etag>` on PUT, as AWS S3 does. */
  conditionalEndpoint: string;
  /** s3rver as it is (its objects written whole, see `writeObjectsWhole`), for showing its quirks. */
  bareEndpoint: string;
  stop(): Promise<void>;
}

/** Starts s3rver with the test bucket (or the buckets named), and its fronts, on free loopback ports. */
export async function startS3rver(buckets: readonly string[] = [bucket]): Promise<RunningS3rver> {
  allowDesTokens();
  writeObjectsWhole();
  const directory = await mkdtemp(join(tmpdir(), 'outturn-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const { port } = await server.run();
  const fronts = [await listen(inTurn(server, false)), await listen(inTurn(server, true))];
  const [plain, conditional] = fronts.map(
    (front) => `http://127.0.0.1:${(front.address() as AddressInfo).port}`,
  );
  return {
    endpoint: plain!,
    conditionalEndpoint: conditional!,
    bareEndpoint: `http://127.0.0.1:${port}`,
    async stop() {
      for (const front of fronts) {
        front.closeAllConnections();
        await new Promise<void>((resolve) => front.close(() => resolve()));
      }
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/**
 * s3rver writes an object in place, body and metadata separately, so two PUTs to one key at once
 * can leave a mixture, which S3 never does. This front lets one request at a time at each path,
 * each waiting until the previous response is sent. With `honourConditions` it also answers a
 * PUT with `If-None-Match: *` for an existing object, or with `If-Match` for an object whose
 * ETag differs (or that is missing), with 412 PreconditionFailed, as AWS does (s3rver ignores
 * both headers), so the stores' handling of a lost race can be tested over HTTP, across processes.
 */
function inTurn(server: S3rver, honourConditions: boolean): RequestListener {
  const s3 = server.callback();
  const turns = new Map<string, Promise<void>>();

  async function serve(
    req: IncomingMessage,
    res: Parameters<RequestListener>[1],
    path: string,
  ): Promise<void> {
    if (honourConditions && req.method === 'PUT') {
      const [name = '', ...rest] = path.slice(1).split('/');
      const key = rest.join('/');
      const ifNoneMatch = req.headers['if-none-match'];
      const ifMatch = req.headers['if-match'];
      let failed = false;
      if (ifNoneMatch === '*') failed = await server.store.existsObject(name, key);
      if (ifMatch !== undefined) {
        const etag = (await server.store.existsObject(name, key))
          ? (await server.store.getMetadata(name, key)).etag
          : undefined;
        failed = etag === undefined || etag !== ifMatch;
      }
      if (failed) {
        req.resume();
        res.writeHead(412, { 'content-type': 'application/xml' });
        res.end(
          '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>',
        );
        return;
      }
    }
    s3(req, res);
  }

  return (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    const turn = (turns.get(path) ?? Promise.resolve()).then(
      () =>
        new Promise<void>((resolve) => {
          res.on('close', resolve);
          serve(req, res, path).catch((err: unknown) =>
            res.destroy(err instanceof Error ? err : new Error(String(err))),
          );
        }),
    );
    turns.set(path, turn);
    void turn.then(() => {
      if (turns.get(path) === turn) turns.delete(path);
    });
  };
}

async function listen(handler: RequestListener): Promise<Server> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

let desAllowed = false;

/**
 * s3rver seals ListObjectsV2 continuation tokens with single DES, which OpenSSL 3 (Node ≥ 17) keeps
 * in its legacy provider, so every truncated listing fails with a 500. Tokens are opaque to
 * clients and only s3rver opens them, so in this test process DES is swapped for AES-128-CTR
 * (a stream mode: no padding to match) with s3rver's key and IV stretched to 16 bytes.
 */
function allowDesTokens(): void {
  if (desAllowed) return;
  desAllowed = true;
  const stretch = (bytes: crypto.BinaryLike | crypto.CipherKey | null): Buffer =>
    Buffer.concat([Buffer.from(bytes as Uint8Array), Buffer.alloc(8)]).subarray(0, 16);
  const createCipheriv = crypto.createCipheriv;
  const createDecipheriv = crypto.createDecipheriv;
  Object.assign(crypto, {
    createCipheriv: (
      algorithm: string,
      key: crypto.CipherKey,
      iv: crypto.BinaryLike | null,
      options?: never,
    ) =>
      algorithm === 'des'
        ? createCipheriv('aes-128-ctr', stretch(key), stretch(iv))
        : createCipheriv(algorithm, key, iv, options),
    createDecipheriv: (
      algorithm: string,
      key: crypto.CipherKey,
      iv: crypto.BinaryLike | null,
      options?: never,
    ) =>
      algorithm === 'des'
        ? createDecipheriv('aes-128-ctr', stretch(key), stretch(iv))
        : createDecipheriv(algorithm, key, iv, options),
  });
}

interface FilesystemObject {
  bucket: string;
  key: string;
  metadata: unknown;
  content: Buffer | NodeJS.ReadableStream;
}

interface FilesystemStoreProto {
  outturnWhole?: boolean;
  getResourcePath(bucket: string, key: string, resource: string): string;
  putMetadata(bucket: string, key: string, metadata: unknown, md5: string): Promise<void>;
  putObject(object: FilesystemObject): Promise<{ size: number; md5: string }>;
}

/**
 * s3rver 3.7 answers a PUT once it has handed the body to its file stream, before the bytes are
 * on disk (for a body in memory, before a byte is written), and writes over the object in place:
 * a GET straight after the PUT's answer can read an empty or a partial object, which S3 never
 * gives. Its file store is made to write each object to a file of its own, wait until it is
 * written, and rename it into place before the PUT is answered, as S3's atomic, read-after-write
 * PUT behaves.
 */
function writeObjectsWhole(): void {
  const store = createRequire(import.meta.url)('s3rver/lib/stores/filesystem.js') as {
    prototype: FilesystemStoreProto;
  };
  const proto = store.prototype;
  if (proto.outturnWhole) return;
  proto.outturnWhole = true;
  proto.putObject = async function (this: FilesystemStoreProto, object) {
    const objectPath = this.getResourcePath(object.bucket, object.key, 'object');
    await mkdir(dirname(objectPath), { recursive: true });
    const written = `${objectPath}.${crypto.randomUUID()}.writing`;
    const md5 = crypto.createHash('md5');
    let size = 0;
    const body = Buffer.isBuffer(object.content) ? Readable.from([object.content]) : object.content;
    await pipeline(
      body,
      new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          md5.update(chunk);
          size += chunk.length;
          callback(null, chunk);
        },
      }),
      createWriteStream(written),
    );
    await rename(written, objectPath);
    const digest = md5.digest('hex');
    await this.putMetadata(object.bucket, object.key, object.metadata, digest);
    return { size, md5: digest };
  };
}
