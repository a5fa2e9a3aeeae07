/**
 * What each function may do in S3, as ADR 015's table says it — one place, as data, so the
 * policies are generated from it and reviewed against the ADR in one read.
 *
 * Object actions are granted on `arn:…:<bucket>/<prefix>*` only (never `<bucket>/*`), and
 * listing on the bucket with an `s3:prefix` condition naming the same prefixes.
 */
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { FunctionName } from './bundling.js';

export type BucketRole = 'raw' | 'working' | 'site';
export type S3Access = 'read' | 'put' | 'delete';

export interface PrefixGrant {
  bucket: BucketRole;
  access: S3Access;
  /** Key prefixes, each ending in `/`. */
  prefixes: readonly string[];
}

/** The S3 column of ADR 015's table. */
export const S3_GRANTS: Readonly<Record<FunctionName, readonly PrefixGrant[]>> = {
  api: [
    { bucket: 'raw', access: 'put', prefixes: ['incoming/'] },
    { bucket: 'working', access: 'read', prefixes: ['submissions/', 'staged/', 'curated/', 'reference/', 'reviews/', 'uploads/'] },
    { bucket: 'working', access: 'put', prefixes: ['audit/', 'reviews/', 'reference/', 'uploads/'] },
  ],
  ingest: [
    { bucket: 'raw', access: 'read', prefixes: ['incoming/', 'raw/'] },
    { bucket: 'raw', access: 'put', prefixes: ['raw/'] },
    { bucket: 'working', access: 'read', prefixes: ['reference/', 'submissions/'] },
    { bucket: 'working', access: 'put', prefixes: ['submissions/', 'staged/', 'uploads/', 'audit/'] },
  ],
  transform: [
    { bucket: 'working', access: 'read', prefixes: ['reference/', 'submissions/', 'staged/', 'reviews/', 'curated/'] },
    // "read+write curated/*": builds are written beside each other and never deleted by the code.
    { bucket: 'working', access: 'put', prefixes: ['curated/'] },
  ],
  publish: [
    { bucket: 'working', access: 'read', prefixes: ['curated/', 'reference/'] },
    { bucket: 'site', access: 'put', prefixes: ['site/'] },
    { bucket: 'site', access: 'delete', prefixes: ['site/'] },
  ],
};

const OBJECT_ACTIONS: Readonly<Record<S3Access, readonly string[]>> = {
  read: ['s3:GetObject'],
  put: ['s3:PutObject'],
  delete: ['s3:DeleteObject'],
};

/** The policy statements for one function's grants, given the buckets. */
export function s3Statements(grants: readonly PrefixGrant[], buckets: Readonly<Record<BucketRole, IBucket>>): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  for (const grant of grants) {
    const bucket = buckets[grant.bucket];
    statements.push(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: [...OBJECT_ACTIONS[grant.access]],
        resources: grant.prefixes.map((p) => bucket.arnForObjects(`${p}*`)),
      }),
    );
    if (grant.access === 'read') {
      // Listing: the stores list zones (`list('submissions/…')`). Also lets S3 answer 404, not
      // 403, for a missing key under these prefixes.
      statements.push(
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['s3:ListBucket'],
          resources: [bucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': grant.prefixes.map((p) => `${p}*`) } },
        }),
      );
    }
  }
  return statements;
}
