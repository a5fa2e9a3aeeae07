/** The little of s3rver 3's API the tests use; the package ships no types. */
declare module 's3rver' {
  import type { AddressInfo } from 'node:net';
  import type { IncomingMessage, ServerResponse } from 'node:http';

  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    resetOnClose?: boolean;
    configureBuckets?: { name: string; configs?: (string | Buffer)[] }[];
  }

  class S3rver {
    constructor(options?: S3rverOptions);
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
    /** The request handler, for serving s3rver from a server of one's own. */
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    readonly store: {
      existsObject(bucket: string, key: string): Promise<boolean>;
      /** The object's metadata; `etag` is quoted, as in the ETag header. Throws when it is missing. */
      getMetadata(bucket: string, key: string): Promise<{ etag: string }>;
    };
  }

  export = S3rver;
}
