/**
 * Glue tables and an Athena workgroup over the curated zone, for analysts' own SQL; and, apart
 * from them, the published side (ADR 020): a Glue database holding only the published tables
 * (over their own prefix, curated/published/), an Athena workgroup with its own results prefix,
 * and the published-reader role, which may read only that database, that prefix and those
 * results. The API function's restricted engine copies its tables under that role.
 *
 * The tables are generated from the model definitions (pipelines/analytics/glue-tables.ts) and
 * read through SymlinkTextInputFormat: each table's location holds only `symlink.txt`, the list
 * of the current build's Parquet files, so a build switch needs no Glue call (ADR 015). The
 * workgroup enforces its settings — results encrypted in the results bucket, and a per-query
 * scan limit — so no one can opt out by changing their client.
 */
import { Arn, Duration, Stack } from 'aws-cdk-lib';
import { CfnNamedQuery, CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import { CfnDatabase, CfnTable } from 'aws-cdk-lib/aws-glue';
import {
  ArnPrincipal,
  Effect,
  PolicyDocument,
  PolicyStatement,
  Role,
  type IGrantable,
  type IRole,
} from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { glueTables, type GlueTableSpec } from '../pipelines/analytics/glue-tables.js';
import { savedQueries } from '../pipelines/analytics/saved-queries.js';
import { models } from '../pipelines/transform/registry.js';
import { publishedReaderStatements } from './access.js';

export const SYMLINK_INPUT_FORMAT = 'org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat';
export const PARQUET_SERDE = 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe';
export const HIVE_OUTPUT_FORMAT = 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat';

/** Athena writes query results under this prefix of the results bucket. */
export const ATHENA_RESULTS_PREFIX = 'results/';
/** The published workgroup's results: apart, so its readers never see an analyst's results. */
export const PUBLISHED_RESULTS_PREFIX = 'published-results/';

export interface AnalyticsProps {
  working: IBucket;
  results: IBucket;
  /** The most one query may scan, in bytes (Athena's minimum is 10 MB). */
  bytesScannedCutoffPerQuery: number;
  tables?: GlueTableSpec[];
  /** The published tables; default those of the models whose audience is `published`. */
  publishedTables?: GlueTableSpec[];
}

/** A Glue database name from the stack name: lower case, letters, digits and underscores. */
export function glueDatabaseName(stackName: string): string {
  return `outturn_${stackName.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`;
}

export class Analytics extends Construct {
  readonly databaseName: string;
  readonly workgroupName: string;
  readonly tables: GlueTableSpec[];
  /** The Glue database of the published tables only (ADR 020). */
  readonly publishedDatabaseName: string;
  readonly publishedWorkgroupName: string;
  readonly publishedTables: GlueTableSpec[];
  /** Made by `addPublishedReader`. */
  publishedReader: Role | undefined;
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
    this.publishedDatabaseName = `${this.databaseName}_published`;
    this.publishedWorkgroupName = `${stack.stackName}-published`;
    this.publishedTables = props.publishedTables ?? glueTables(models, 'published');

    const database = this.database(
      'Database',
      this.databaseName,
      'Outturn marts (current build), generated from the model definitions',
      this.tables,
      '',
    );
    this.database(
      'PublishedDatabase',
      this.publishedDatabaseName,
      'Outturn published tables only (small numbers suppressed, or no counts of people): ADR 020',
      this.publishedTables,
      'Published',
    );

    const workgroup = this.workgroup(
      'Workgroup',
      this.workgroupName,
      'Outturn analysts: results encrypted in the results bucket, scan limit enforced',
      ATHENA_RESULTS_PREFIX,
    );
    this.workgroup(
      'PublishedWorkgroup',
      this.publishedWorkgroupName,
      'Outturn published tables only (ADR 020): its own results prefix, scan limit enforced',
      PUBLISHED_RESULTS_PREFIX,
    );

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

  /** A Glue database and its SymlinkTextInputFormat tables. */
  private database(
    id: string,
    name: string,
    description: string,
    tables: readonly GlueTableSpec[],
    idPrefix: string,
  ): CfnDatabase {
    const stack = Stack.of(this);
    const props = this.props;
    const database = new CfnDatabase(this, id, {
      catalogId: stack.account,
      databaseInput: { name, description },
    });
    for (const table of tables) {
      const cfn = new CfnTable(this, `${idPrefix}Table_${table.name}`, {
        catalogId: stack.account,
        databaseName: name,
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
    return database;
  }

  /** A workgroup that enforces its settings: results encrypted under `prefix`, the scan limit. */
  private workgroup(id: string, name: string, description: string, prefix: string): CfnWorkGroup {
    const props = this.props;
    return new CfnWorkGroup(this, id, {
      name,
      description,
      state: 'ENABLED',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: props.bytesScannedCutoffPerQuery,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: props.results.s3UrlForObject(prefix),
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
        },
      },
    });
  }

  /**
   * The published-reader role, assumable by `assumer` alone (the API function's role), which is
   * granted sts:AssumeRole on it: Athena in the published workgroup, Glue reads of the published
   * database and each of its tables by name, S3 reads of the published prefix (and the pointer
   * to the build in force), and the published workgroup's results. Nothing else.
   */
  addPublishedReader(assumer: IRole): Role {
    const stack = Stack.of(this);
    const glueArn = (resource: string, resourceName?: string): string =>
      Arn.format({ service: 'glue', resource, ...(resourceName ? { resourceName } : {}) }, stack);
    const { results, working } = this.props;
    const role = new Role(this, 'PublishedReader', {
      assumedBy: new ArnPrincipal(assumer.roleArn),
      description:
        'Reads only the published tables (ADR 020): the restricted engine copies its tables under it',
      maxSessionDuration: Duration.hours(1),
      inlinePolicies: {
        PublishedOnly: new PolicyDocument({
          statements: [
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
                  {
                    service: 'athena',
                    resource: 'workgroup',
                    resourceName: this.publishedWorkgroupName,
                  },
                  stack,
                ),
              ],
            }),
            new PolicyStatement({
              effect: Effect.ALLOW,
              actions: [
                'glue:GetDatabase',
                'glue:GetTable',
                'glue:GetTables',
                'glue:GetPartitions',
              ],
              resources: [
                glueArn('catalog'),
                glueArn('database', this.publishedDatabaseName),
                ...this.publishedTables.map((t) =>
                  glueArn('table', `${this.publishedDatabaseName}/${t.name}`),
                ),
              ],
            }),
            ...publishedReaderStatements(working),
            new PolicyStatement({
              effect: Effect.ALLOW,
              actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
              resources: [results.arnForObjects(`${PUBLISHED_RESULTS_PREFIX}*`)],
            }),
            new PolicyStatement({
              effect: Effect.ALLOW,
              actions: ['s3:GetBucketLocation'],
              resources: [results.bucketArn],
            }),
            new PolicyStatement({
              effect: Effect.ALLOW,
              actions: ['s3:ListBucket'],
              resources: [results.bucketArn],
              conditions: { StringLike: { 's3:prefix': [`${PUBLISHED_RESULTS_PREFIX}*`] } },
            }),
          ],
        }),
      },
    });
    assumer.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['sts:AssumeRole'],
        resources: [role.roleArn],
      }),
    );
    this.publishedReader = role;
    return role;
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
