/**
 * What each function may do in S3: ADR 015's table plus the grants ADR 017 found the handlers
 * need — one place, as data, so the policies are generated from it and reviewed in one read.
 *
 * Object actions are granted on `arn:…:<bucket>/<prefix>*` only, never `<bucket>/*`. Listing:
 * a function that reads objects of a bucket may list that bucket's keys (unconditioned
 * `s3:ListBucket` on the bucket ARN), because S3 answers a GetObject/HeadObject of a missing
 * key with 404 only to a caller allowed to list the bucket — and an `s3:prefix` condition does
 * not count for that check — while the stores rely on 404 meaning "absent" (`get` → null,
 * `exists`, `putIfAbsent`). Listing reveals key names (hashes, ids, periods), never contents.
 * A function that only lists (publish, the site) gets `s3:ListBucket` with an `s3:prefix`
 * condition.
 */
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { FunctionName } from './bundling.js';

export type BucketRole = 'raw' | 'working' | 'site';
export type S3Access = 'read' | 'put' | 'delete' | 'list';

export interface PrefixGrant {
  bucket: BucketRole;
  access: S3Access;
  /** Key prefixes, each ending in `/`. */
  prefixes: readonly string[];
}

/** ADR 015's "may touch" column, with ADR 017's additions marked. */
export const S3_GRANTS: Readonly<Record<FunctionName, readonly PrefixGrant[]>> = {
  api: [
    { bucket: 'raw', access: 'put', prefixes: ['incoming/'] },
    // + audit/ (ADR 017): every audit entry is a putIfAbsent, which asks HeadObject first.
    {
      bucket: 'working',
      access: 'read',
      prefixes: [
        'submissions/',
        'staged/',
        'curated/',
        'reference/',
        'reviews/',
        'uploads/',
        'audit/',
        'sessions/',
        'versions/',
        'reopenings/',
        'notifications/',
        'plans/',
        'claims-evidence/',
      ],
    },
    // + claims-evidence/ (ADR 040): a provider's answers for a month's sampled claims, each a
    // putIfAbsent (which asks HeadObject first); the transform reads them as a source.
    // + versions/ (ADR 023): a version confirmed, discarded or withdrawn on a page or the API.
    // + sessions/ (ADR 026): a record per sign-in, read on each signed-in request.
    // + reopenings/ (ADR 032): a locked month reopened by its manager; read before any upload.
    {
      bucket: 'working',
      access: 'put',
      prefixes: [
        'audit/',
        'reviews/',
        'reference/',
        'uploads/',
        'sessions/',
        'versions/',
        'reopenings/',
        // + notifications/ (ADR 025): each user's choice; each notice claimed once before it is sent.
        'notifications/',
        // + plans/ (ADR 039): improvement plans' actions and review commentary, a new object per change.
        'plans/',
        'claims-evidence/',
      ],
    },
    // A claim given up when its message could not be sent, so the next run tries again.
    { bucket: 'working', access: 'delete', prefixes: ['notifications/sent/'] },
  ],
  ingest: [
    { bucket: 'raw', access: 'read', prefixes: ['incoming/', 'raw/'] },
    { bucket: 'raw', access: 'put', prefixes: ['raw/'] },
    // + uploads/ and audit/ (ADR 017): the outcome's putIfAbsent and redelivery check; audit.
    // + staged/ (issue 12): the change records of a return are found at ingest, against the
    // contract's version before it.
    // + reviews/ and reopenings/ (ADR 032): an accepted month is locked until its manager
    // reopens it, so the ingest reads both before it takes a return.
    {
      bucket: 'working',
      access: 'read',
      prefixes: [
        'reference/',
        'submissions/',
        'uploads/',
        'audit/',
        'versions/',
        'staged/',
        'reviews/',
        'reopenings/',
      ],
    },
    // + versions/ and staged/ (ADR 023): which version is in force, and its participants, to
    // compare a new version with.
    {
      bucket: 'working',
      access: 'put',
      prefixes: ['submissions/', 'staged/', 'uploads/', 'audit/'],
    },
  ],
  transform: [
    {
      bucket: 'working',
      access: 'read',
      prefixes: [
        'reference/',
        'submissions/',
        'staged/',
        'reviews/',
        'curated/',
        'versions/',
        'claims-evidence/',
      ],
    },
    // "read+write curated/*": builds are written beside each other; switched-out builds an hour
    // old, beyond the newest three, are cleared (pipelines/transform/retention.ts).
    { bucket: 'working', access: 'put', prefixes: ['curated/'] },
    // + curated/published/builds/ (ADR 020): the published tables of old builds, cleared alike.
    {
      bucket: 'working',
      access: 'delete',
      prefixes: ['curated/builds/', 'curated/published/builds/'],
    },
  ],
  publish: [
    { bucket: 'working', access: 'read', prefixes: ['curated/', 'reference/'] },
    { bucket: 'site', access: 'put', prefixes: ['site/'] },
    { bucket: 'site', access: 'delete', prefixes: ['site/'] },
    // + (ADR 017) uploadSite lists site/ to delete what is no longer published.
    { bucket: 'site', access: 'list', prefixes: ['site/'] },
  ],
};

const OBJECT_ACTIONS: Readonly<Record<Exclude<S3Access, 'list'>, readonly string[]>> = {
  read: ['s3:GetObject'],
  put: ['s3:PutObject'],
  delete: ['s3:DeleteObject'],
};

/** The policy statements for one function's grants, given the buckets. */
export function s3Statements(
  grants: readonly PrefixGrant[],
  buckets: Readonly<Record<BucketRole, IBucket>>,
): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  const readable = new Set<BucketRole>();
  for (const grant of grants) {
    const bucket = buckets[grant.bucket];
    if (grant.access === 'list') {
      statements.push(
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['s3:ListBucket'],
          resources: [bucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': grant.prefixes.map((p) => `${p}*`) } },
        }),
      );
      continue;
    }
    if (grant.access === 'read') readable.add(grant.bucket);
    statements.push(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: [...OBJECT_ACTIONS[grant.access]],
        resources: grant.prefixes.map((p) => bucket.arnForObjects(`${p}*`)),
      }),
    );
  }
  for (const role of readable)
    statements.push(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['s3:ListBucket'],
        resources: [buckets[role].bucketArn],
      }),
    );
  return statements;
}

/**
 * The published reader (ADR 020): the role the API function's restricted engine copies the
 * published tables under, and Athena's published workgroup reads with. It may read the published
 * prefix and the two small files that say which build is in force (they name files and columns,
 * and hold no figures), and list only the published prefix (Athena lists a table's symlink
 * folder). No unconditioned ListBucket: a missing key is AccessDenied to it, never a 404, and
 * every key it reads exists once a build is in force.
 */
export const PUBLISHED_READER_S3 = {
  /** Object keys it may read: prefixes end in `/`, the rest are exact keys or patterns. */
  read: ['curated/published/', 'curated/current.json', 'curated/builds/*/manifest.json'],
  list: ['curated/published/'],
} as const;

/** The published reader's statements on the working bucket. */
export function publishedReaderStatements(working: IBucket): PolicyStatement[] {
  return [
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions: ['s3:GetObject'],
      resources: PUBLISHED_READER_S3.read.map((k) =>
        working.arnForObjects(k.endsWith('/') ? `${k}*` : k),
      ),
    }),
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions: ['s3:ListBucket'],
      resources: [working.bucketArn],
      conditions: { StringLike: { 's3:prefix': PUBLISHED_READER_S3.list.map((p) => `${p}*`) } },
    }),
  ];
}
