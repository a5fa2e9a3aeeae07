/**
 * A real S3-protocol server for the tests: s3rver, in this process, on 127.0.0.1 only, over a
 * temporary folder. Small shims make it behave as S3 does where s3rver 3.7 falls short; none of
 * them answers for s3rver except the 412 that AWS itself would send.
 */
import crypto from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

export const bucket = 'outturn-test';

/** s3rver's fixed keys: it checks signatures, so these must match. */
export const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface RunningS3rver {
  /** s3rver with each object's requests taking turns (see `inTurn`); `If-None-Match` ignored, as s3rver does. */
  endpoint: string;
  /** The same, also honouring `If-None-Match: *` and `If-Match: <etag>` on PUT, as AWS S3 does. */
  conditionalEndpoint: string;
  /** s3rver as it is, for showing its quirks. */
  bareEndpoint: string;
  stop(): Promise<void>;
}

/** Starts s3rver with the test bucket (or the buckets named), and its fronts, on free loopback ports. */
export async function startS3rver(buckets: readonly string[] = [bucket]): Promise<RunningS3rver> {
  allowDesTokens();
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
