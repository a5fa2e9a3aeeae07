/**
 * Glue tables and an Athena workgroup over the curated zone, for analysts' own SQL.
 *
 * The tables are generated from the model definitions (pipelines/analytics/glue-tables.ts) and
 * read through SymlinkTextInputFormat: each table's location holds only `symlink.txt`, the list
 * of the current build's Parquet files, so a build switch needs no Glue call (ADR 015). The
 * workgroup enforces its settings — results encrypted in the results bucket, and a per-query
 * scan limit — so no one can opt out by changing their client.
 */
import { Arn, Stack } from 'aws-cdk-lib';
import { CfnNamedQuery, CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import { CfnDatabase, CfnTable } from 'aws-cdk-lib/aws-glue';
import { Effect, PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { glueTables, type GlueTableSpec } from '../pipelines/analytics/glue-tables.js';
import { savedQueries } from '../pipelines/analytics/saved-queries.js';

export const SYMLINK_INPUT_FORMAT = 'org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat';
export const PARQUET_SERDE = 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe';
export const HIVE_OUTPUT_FORMAT = 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat';

/** Athena writes query results under this prefix of the results bucket. */
export const ATHENA_RESULTS_PREFIX = 'results/';

export interface AnalyticsProps {
  working: IBucket;
  results: IBucket;
  /** The most one query may scan, in bytes (Athena's minimum is 10 MB). */
  bytesScannedCutoffPerQuery: number;
  tables?: GlueTableSpec[];
}

/** A Glue database name from the stack name: lower case, letters, digits and underscores. */
export function glueDatabaseName(stackName: string): string {
  return `outturn_${stackName.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`;
}

export class Analytics extends Construct {
  readonly databaseName: string;
  readonly workgroupName: string;
  readonly tables: GlueTableSpec[];
  private readonly props: AnalyticsProps;

  constructor(scope: Construct, id: string, props: AnalyticsProps) {
    super(scope, id);
    this.props = props;
    const stack = Stack.of(this);
    if (props.bytesScannedCutoffPerQuery < 10_000_000)
      throw new Error('Athena needs a per-query scan limit of at least 10 MB.');
    this.databaseName = glueDatabaseName(stack.stackName);
    this.workgroupName = `${stack.stackName}-analysts`;
    this.tables = props.tables ?? glueTables();

    const database = new CfnDatabase(this, 'Database', {
      catalogId: stack.account,
      databaseInput: {
        name: this.databaseName,
        description: 'Outturn marts (current build), generated from the model definitions',
      },
    });

    for (const table of this.tables) {
      const cfn = new CfnTable(this, `Table_${table.name}`, {
        catalogId: stack.account,
        databaseName: this.databaseName,
        tableInput: {
          name: table.name,
          description: table.description.slice(0, 2048),
          tableType: 'EXTERNAL_TABLE',
          parameters: { classification: 'parquet', EXTERNAL: 'TRUE' },
          storageDescriptor: {
            location: props.working.s3UrlForObject(table.prefix),
            inputFormat: SYMLINK_INPUT_FORMAT,
            outputFormat: HIVE_OUTPUT_FORMAT,
            serdeInfo: { serializationLibrary: PARQUET_SERDE },
            columns: table.columns.map((c) => ({ name: c.name, type: c.type, comment: c.comment })),
          },
        },
      });
      cfn.addResourceDependency(database);
    }

    const workgroup = new CfnWorkGroup(this, 'Workgroup', {
      name: this.workgroupName,
      description: 'Outturn analysts: results encrypted in the results bucket, scan limit enforced',
      state: 'ENABLED',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: props.bytesScannedCutoffPerQuery,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: props.results.s3UrlForObject(ATHENA_RESULTS_PREFIX),
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
        },
      },
    });

    for (const q of savedQueries) {
      const named = new CfnNamedQuery(this, `Query_${q.name}`, {
        name: q.name,
        description: q.description,
        database: this.databaseName,
        workGroup: this.workgroupName,
        queryString: q.sql,
      });
      named.addResourceDependency(workgroup);
      named.addResourceDependency(database);
    }
  }

  /**
   * Lets a function run queries in the workgroup: Athena on the workgroup, Glue reads on the
   * database and each table by name (no wildcard), and the results prefix of the results bucket.
   * Reading the marts themselves is the caller's `curated/` grant.
   */
  grantQuery(grantee: IGrantable): void {
    const stack = Stack.of(this);
    const glueArn = (resource: string, resourceName?: string): string =>
      Arn.format({ service: 'glue', resource, ...(resourceName ? { resourceName } : {}) }, stack);
    const statements = [
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: [
          'athena:StartQueryExecution',
          'athena:GetQueryExecution',
          'athena:GetQueryResults',
          'athena:StopQueryExecution',
          'athena:GetWorkGroup',
        ],
        resources: [
          Arn.format(
            { service: 'athena', resource: 'workgroup', resourceName: this.workgroupName },
            stack,
          ),
        ],
      }),
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartitions'],
        resources: [
          glueArn('catalog'),
          glueArn('database', this.databaseName),
          ...this.tables.map((t) => glueArn('table', `${this.databaseName}/${t.name}`)),
        ],
      }),
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
        resources: [this.props.results.arnForObjects(`${ATHENA_RESULTS_PREFIX}*`)],
      }),
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['s3:GetBucketLocation'],
        resources: [this.props.results.bucketArn],
      }),
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['s3:ListBucket'],
        resources: [this.props.results.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${ATHENA_RESULTS_PREFIX}*`] } },
      }),
    ];
    for (const s of statements) grantee.grantPrincipal.addToPrincipalPolicy(s);
  }
}
