/**
 * The five buckets of ADR 015. Every one is encrypted, blocks all public access, refuses
 * plain HTTP and logs its requests to the access-logs bucket. Only the Athena results
 * expire: everything else is the service's record, kept until someone decides otherwise.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  ObjectLockRetention,
  ObjectOwnership,
  type BucketProps,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface StorageProps {
  /** Object Lock (governance mode) on the raw bucket: uploads cannot be deleted, even by an admin without bypass. */
  objectLock: boolean;
  /** How long Athena keeps query results, in days. */
  athenaResultsDays: number;
}

export class Storage extends Construct {
  /** Uploads: `incoming/` (queued) and `raw/<sha256>` (every byte ever accepted). */
  readonly raw: Bucket;
  /** Every other zone: submissions, staged, curated, reference, audit, reviews, uploads. */
  readonly working: Bucket;
  /** The published dashboards under `site/`, served by CloudFront. */
  readonly site: Bucket;
  readonly athenaResults: Bucket;
  /** Server access logs of the other buckets, and CloudFront's standard logs. */
  readonly accessLogs: Bucket;

  constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);

    this.accessLogs = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED, // S3 server access logging only delivers to SSE-S3 buckets
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: false,
      // CloudFront's standard logs are delivered with an ACL, so the bucket must accept ACLs.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const common = (prefix: string): BucketProps => ({
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: `s3/${prefix}/`,
    });

    this.raw = new Bucket(this, 'Raw', {
      ...common('raw'),
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      ...(props.objectLock
        ? {
            objectLockEnabled: true,
            objectLockDefaultRetention: ObjectLockRetention.governance(Duration.days(365 * 7)),
          }
        : {}),
    });
    // Not versioned: builds are written beside each other and switched by one small pointer, and
    // versions of a rewritten pointer would pile up with no lifecycle rule to clear them.
    this.working = new Bucket(this, 'Working', {
      ...common('working'),
      removalPolicy: RemovalPolicy.RETAIN,
      // A web session's record is useless a few hours after sign-in (12 hours at most).
      lifecycleRules: [
        { id: 'expire-session-records', prefix: 'sessions/', expiration: Duration.days(2) },
      ],
    });
    this.site = new Bucket(this, 'Site', {
      ...common('site'),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.athenaResults = new Bucket(this, 'AthenaResults', {
      ...common('athena-results'),
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: 'expire-query-results',
          expiration: Duration.days(props.athenaResultsDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
  }
}
