/**
 * OutturnStack as synthesised: storage, queues, functions, IAM, analytics, sign-in, CloudFront
 * and alarms, checked against ADR 015 on the real template (one synth for the file).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { exportedModels, glueType } from '../../pipelines/analytics/glue-tables.js';
import { PUBLISHABLE_TABLES } from '../../pipelines/analytics/tables.js';
import { models, publishedModels } from '../../pipelines/transform/registry.js';
import { webConfigParameterName, type OutturnStack } from '../../infra/stack.js';
import { logicalId, synthOutturn, SYNTH_TIMEOUT_MS } from './synth.js';

type Json = any; // CloudFormation JSON, walked by hand below

let stack: OutturnStack;
let template: Template;
let resources: Record<string, Json>;
let cleanup: () => Promise<void> = async () => {};

beforeAll(async () => {
  const s = await synthOutturn();
  cleanup = s.cleanup;
  if (s.error) throw s.error;
  stack = s.stack;
  template = s.template;
  resources = template.toJSON().Resources as Record<string, Json>;
}, SYNTH_TIMEOUT_MS);
afterAll(() => cleanup());

const ofType = (type: string): Array<[string, Json]> =>
  Object.entries(resources).filter(([, r]) => r.Type === type);
const arr = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
/**
 * Every policy attached to a role: its inline policies and, once they pass IAM's size limit, the
 * overflow policies CDK writes for it (customer-managed, in this stack, attached by `Roles`).
 */
const policiesOf = (roleId: string): Array<[string, Json]> =>
  [...ofType('AWS::IAM::Policy'), ...ofType('AWS::IAM::ManagedPolicy')].filter(([, p]) =>
    arr(p.Properties.Roles).some((r: Json) => r.Ref === roleId),
  );
/** The statements of every policy attached to a role. */
const statementsOfRole = (roleId: string): Json[] =>
  policiesOf(roleId).flatMap(([, p]) => arr<Json>(p.Properties.PolicyDocument.Statement));

describe('buckets', () => {
  it('are five, each encrypted, blocking all public access, TLS-only and logged (but the log bucket itself)', () => {
    const buckets = ofType('AWS::S3::Bucket');
    expect(buckets).toHaveLength(5);
    const logsId = logicalId(stack.storage.accessLogs);
    const policies = ofType('AWS::S3::BucketPolicy');
    for (const [id, b] of buckets) {
      const p = b.Properties;
      expect(
        p.BucketEncryption?.ServerSideEncryptionConfiguration?.[0]?.ServerSideEncryptionByDefault
          ?.SSEAlgorithm,
        id,
      ).toBeDefined();
      expect(p.PublicAccessBlockConfiguration, id).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      const policy = policies.find(([, bp]) => bp.Properties.Bucket?.Ref === id);
      const denyHttp = arr(policy?.[1].Properties.PolicyDocument.Statement).find(
        (s: Json) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false',
      );
      expect(denyHttp, `${id} denies plain HTTP`).toBeDefined();
      if (id !== logsId)
        expect(p.LoggingConfiguration?.DestinationBucketName, id).toEqual({ Ref: logsId });
    }
  });

  it('keeps the raw bucket versioned and retained', () => {
    const raw = resources[logicalId(stack.storage.raw)];
    expect(raw.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(raw.DeletionPolicy).toBe('Retain');
    expect(raw.UpdateReplacePolicy).toBe('Retain');
    expect(raw.Properties.ObjectLockEnabled).toBeUndefined(); // only with -c objectLock=true
  });

  it('has lifecycle rules on the Athena results and on the session records only', () => {
    const withRules = ofType('AWS::S3::Bucket').filter(
      ([, b]) => b.Properties.LifecycleConfiguration,
    );
    expect(withRules.map(([id]) => id).sort()).toEqual(
      [logicalId(stack.storage.athenaResults), logicalId(stack.storage.working)].sort(),
    );
    const rules = (bucket: { node: unknown }) =>
      resources[logicalId(bucket as never)].Properties.LifecycleConfiguration.Rules;
    expect(rules(stack.storage.athenaResults)[0].ExpirationInDays).toBe(30);
    // The working bucket's only rule clears session records (ADR 026): nothing else expires.
    expect(rules(stack.storage.working)).toEqual([
      expect.objectContaining({ Prefix: 'sessions/', ExpirationInDays: 2, Status: 'Enabled' }),
    ]);
  });
});

describe('queues', () => {
  const queue = (q: { node: Json }) => resources[logicalId(q as never)].Properties;

  it('give the ingest, transform and publish queues each a DLQ after three receives, all encrypted', () => {
    const p = stack.processing;
    for (const [q, dlq] of [
      [p.ingestQueue, p.ingestDlq],
      [p.transformQueue, p.transformDlq],
      [p.publishQueue, p.publishDlq],
    ] as const) {
      const props = queue(q);
      expect(props.RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(dlq), 'Arn'] },
        maxReceiveCount: 3,
      });
      expect(props.SqsManagedSseEnabled).toBe(true);
      expect(queue(dlq).SqsManagedSseEnabled).toBe(true);
    }
    expect(ofType('AWS::SQS::Queue')).toHaveLength(6);
  });

  it('make the transform queue (and its DLQ) FIFO, read in batches of ten by a function of concurrency one', () => {
    expect(queue(stack.processing.transformQueue).FifoQueue).toBe(true);
    expect(queue(stack.processing.transformDlq).FifoQueue).toBe(true);
    expect(queue(stack.processing.ingestQueue).FifoQueue).toBeUndefined();
    const transformFn = logicalId(stack.processing.transform.fn);
    expect(resources[transformFn].Properties.ReservedConcurrentExecutions).toBe(1);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: transformFn },
      EventSourceArn: { 'Fn::GetAtt': [logicalId(stack.processing.transformQueue), 'Arn'] },
      BatchSize: 10,
    });
  });

  it('hide a message for at least six times its consumer function timeout', () => {
    const p = stack.processing;
    for (const [q, fn] of [
      [p.ingestQueue, p.ingest.fn],
      [p.transformQueue, p.transform.fn],
      [p.publishQueue, p.publish.fn],
    ] as const)
      expect(queue(q).VisibilityTimeout).toBeGreaterThanOrEqual(
        6 * resources[logicalId(fn)].Properties.Timeout,
      );
  });

  it('are fed by S3: raw incoming/…/file to ingest, working curated/current.json to publish', () => {
    const notification = (bucket: Json) =>
      ofType('Custom::S3BucketNotifications').find(
        ([, r]) => r.Properties.BucketName.Ref === logicalId(bucket),
      )![1].Properties.NotificationConfiguration.QueueConfigurations;
    expect(notification(stack.storage.raw)).toEqual([
      {
        Events: ['s3:ObjectCreated:*'],
        Filter: {
          Key: {
            FilterRules: expect.arrayContaining([
              { Name: 'prefix', Value: 'incoming/' },
              { Name: 'suffix', Value: '/file' },
            ]),
          },
        },
        QueueArn: { 'Fn::GetAtt': [logicalId(stack.processing.ingestQueue), 'Arn'] },
      },
    ]);
    expect(notification(stack.storage.working)).toEqual([
      {
        Events: ['s3:ObjectCreated:*'],
        Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'curated/current.json' }] } },
        QueueArn: { 'Fn::GetAtt': [logicalId(stack.processing.publishQueue), 'Arn'] },
      },
    ]);
  });
});

describe('functions', () => {
  const fns = () => ({
    api: stack.api.fn,
    ingest: stack.processing.ingest,
    transform: stack.processing.transform,
    publish: stack.processing.publish,
  });

  it('run on Node 24, x86_64, JSON logs to a log group with retention, with the DuckDB layer', () => {
    const layer = ofType('AWS::Lambda::LayerVersion');
    expect(layer).toHaveLength(1);
    for (const [name, f] of Object.entries(fns())) {
      const p = resources[logicalId(f.fn)].Properties;
      expect(p.Runtime, name).toBe('nodejs24.x');
      expect(p.Architectures, name).toEqual(['x86_64']);
      expect(p.Handler, name).toBe('index.handler');
      expect(p.LoggingConfig, name).toEqual({
        LogFormat: 'JSON',
        LogGroup: { Ref: logicalId(f.logGroup) },
      });
      expect(resources[logicalId(f.logGroup)].Properties.RetentionInDays, name).toBeGreaterThan(0);
      expect(p.Layers, name).toEqual([{ Ref: layer[0]![0] }]);
    }
  });

  it('are sized as planned', () => {
    const size = (f: Json) => {
      const p = resources[logicalId(f.fn)].Properties;
      return { memory: p.MemorySize, timeout: p.Timeout, tmp: p.EphemeralStorage?.Size };
    };
    expect(size(stack.api.fn)).toEqual({ memory: 1769, timeout: 29, tmp: undefined });
    expect(size(stack.processing.ingest)).toEqual({ memory: 2048, timeout: 300, tmp: undefined });
    const transform = size(stack.processing.transform);
    expect(transform.memory).toBeGreaterThanOrEqual(4096);
    expect(transform.memory).toBeLessThanOrEqual(10240);
    expect([transform.timeout, transform.tmp]).toEqual([900, 10240]);
    expect(size(stack.processing.publish)).toEqual({ memory: 2048, timeout: 300, tmp: undefined });
  });

  it('get exactly the environment ADR 015 lists', () => {
    const common = [
      'OUTTURN_CACHE_DIR',
      'OUTTURN_RAW_BUCKET',
      'OUTTURN_S3_BUCKET',
      'OUTTURN_S3_REGION',
    ];
    const env = (f: Json) =>
      resources[logicalId(f.fn)].Properties.Environment.Variables as Record<string, Json>;
    const keys = (f: Json) => Object.keys(env(f)).sort();
    expect(keys(stack.api.fn)).toEqual(
      [
        ...common,
        'OUTTURN_ATHENA_WORKGROUP',
        'OUTTURN_GLUE_DATABASE',
        'OUTTURN_ORIGIN_SECRET_ARN',
        'OUTTURN_PUBLISHED_READER_ROLE_ARN',
        'OUTTURN_SESSION_SECRET_ARN',
        'OUTTURN_SITE_KEY_SECRET_ARN',
        'OUTTURN_TRANSFORM_QUEUE_URL',
        'OUTTURN_WEB_CONFIG_PARAMETER',
      ].sort(),
    );
    expect(keys(stack.processing.ingest)).toEqual(
      [...common, 'OUTTURN_TRANSFORM_QUEUE_URL'].sort(),
    );
    expect(keys(stack.processing.transform)).toEqual(common);
    expect(keys(stack.processing.publish)).toEqual([...common, 'OUTTURN_SITE_BUCKET'].sort());
    expect(env(stack.api.fn).OUTTURN_CACHE_DIR).toBe('/tmp/outturn-cache');
    expect(env(stack.api.fn).OUTTURN_S3_BUCKET).toEqual({ Ref: logicalId(stack.storage.working) });
    expect(env(stack.api.fn).OUTTURN_RAW_BUCKET).toEqual({ Ref: logicalId(stack.storage.raw) });
    expect(env(stack.api.fn).OUTTURN_WEB_CONFIG_PARAMETER).toBe(
      webConfigParameterName(stack.stackName),
    );
    expect(env(stack.processing.publish).OUTTURN_SITE_BUCKET).toEqual({
      Ref: logicalId(stack.storage.site),
    });
  });

  it('have roles with no managed policies', () => {
    for (const [name, f] of Object.entries(fns()))
      expect(resources[logicalId(f.role)].Properties.ManagedPolicyArns, name).toBeUndefined();
  });
});

/**
 * ADR 015's "may touch" column plus ADR 017's additions, written out again here on purpose (not
 * imported from infra/access.ts), so a policy that drifts from the ADRs fails. `list *` is an
 * unconditioned ListBucket, which every function reading a bucket needs for S3 to answer 404
 * (not 403) for a missing key; `list <prefix>` is one conditioned on `s3:prefix`.
 */
const ADR_S3: Record<string, string[]> = {
  api: [
    'raw put incoming/',
    ...['submissions/', 'staged/', 'curated/', 'reference/', 'reviews/', 'uploads/'].map(
      (p) => `working get ${p}`,
    ),
    'working get audit/', // ADR 017
    'working get sessions/', // ADR 026
    ...['audit/', 'reviews/', 'reference/', 'uploads/'].map((p) => `working put ${p}`),
    'working put sessions/', // ADR 026
    'working get versions/', // ADR 023
    'working put versions/', // ADR 023: a version confirmed, discarded or withdrawn
    'working get reopenings/', // ADR 032: a locked or closed return reopened
    'working put reopenings/',
    'working get claims-evidence/', // ADR 040: a provider's answers for a sample, putIfAbsent
    'working put claims-evidence/',
    'working get notifications/', // ADR 025: each user's choice, each notice sent once
    'working put notifications/',
    'working get plans/', // ADR 039: improvement plans and review commentary
    'working put plans/',
    'working delete notifications/sent/', // a claim given up when the message could not go
    'working list *',
    // "Athena workgroup": query results under the workgroup's output prefix.
    'athena get results/',
    'athena put results/',
    'athena list results/',
  ],
  ingest: [
    'raw get incoming/',
    'raw get raw/',
    'raw put raw/',
    'raw list *',
    'working get reference/',
    'working get submissions/',
    'working get uploads/', // ADR 017
    'working get audit/', // ADR 017
    'working get staged/', // issue 12: change records against the version before
    'working get versions/', // ADR 023: which version is in force
    'working get reviews/', // ADR 032: a locked (approved) return is refused
    'working get reopenings/', // ADR 032: …unless reopened
    ...['submissions/', 'staged/', 'uploads/', 'audit/'].map((p) => `working put ${p}`),
    'working list *',
  ],
  transform: [
    ...['reference/', 'submissions/', 'staged/', 'reviews/', 'curated/'].map(
      (p) => `working get ${p}`,
    ),
    'working get versions/', // ADR 023
    'working get claims-evidence/', // ADR 040: the answers for sampled claims, a source
    'working put curated/',
    'working delete curated/builds/',
    'working delete curated/published/builds/', // ADR 020
    'working list *',
  ],
  publish: [
    'working get curated/',
    'working get reference/',
    'working list *',
    'site put site/',
    'site delete site/',
    'site list site/' /* ADR 017 */,
  ],
};

describe('IAM', () => {
  /** `<bucket role> <get|put|delete|list> <prefix>` for every S3 permission a role's policies give. */
  function s3Grants(roleId: string): { grants: Set<string>; problems: string[] } {
    const bucketNames: Record<string, string> = {
      [logicalId(stack.storage.raw)]: 'raw',
      [logicalId(stack.storage.working)]: 'working',
      [logicalId(stack.storage.site)]: 'site',
      [logicalId(stack.storage.athenaResults)]: 'athena',
      [logicalId(stack.storage.accessLogs)]: 'logs',
    };
    const grants = new Set<string>();
    const problems: string[] = [];
    for (const [, policy] of policiesOf(roleId))
      for (const s of arr<Json>(policy.Properties.PolicyDocument.Statement)) {
        const actions = arr<string>(s.Action).filter((a) => a.startsWith('s3:'));
        if (actions.length === 0) continue;
        for (const resource of arr<Json>(s.Resource)) {
          if (resource === '*') {
            problems.push(`${actions} on *`);
            continue;
          }
          const join = resource['Fn::Join']?.[1];
          const bucketId = (join ? join[0] : resource)['Fn::GetAtt']?.[0];
          const bucket = bucketNames[bucketId] ?? `unknown(${JSON.stringify(resource)})`;
          const suffix: string = join ? join[1] : '';
          for (const action of actions) {
            if (action === 's3:ListBucket') {
              if (suffix !== '') problems.push(`ListBucket on an object ARN ${suffix}`);
              const prefixes = arr<string>(s.Condition?.StringLike?.['s3:prefix']);
              if (prefixes.length === 0) grants.add(`${bucket} list *`);
              for (const p of prefixes) grants.add(`${bucket} list ${p.replace(/\*$/, '')}`);
            } else if (action === 's3:GetBucketLocation') {
              if (suffix !== '') problems.push(`GetBucketLocation on ${suffix}`);
            } else {
              const m = /^\/((?:[a-z-]+\/)+)\*$/.exec(suffix); // a zone, or a folder inside one: never the bucket
              if (!m) {
                problems.push(`${action} on ${bucket}${suffix || ' (bucket ARN)'}`);
                continue;
              }
              const verb = {
                's3:GetObject': 'get',
                's3:PutObject': 'put',
                's3:DeleteObject': 'delete',
                's3:AbortMultipartUpload': 'put',
              }[action];
              if (!verb) problems.push(`unexpected ${action} on ${bucket}${suffix}`);
              else grants.add(`${bucket} ${verb} ${m[1]}`);
            }
          }
        }
      }
    return { grants, problems };
  }

  it.each(Object.keys(ADR_S3))(
    'limits the %s function to exactly its ADR 015/017 prefixes',
    (name) => {
      const f = (
        {
          api: stack.api.fn,
          ingest: stack.processing.ingest,
          transform: stack.processing.transform,
          publish: stack.processing.publish,
        } as Json
      )[name];
      const { grants, problems } = s3Grants(logicalId(f.role));
      expect(problems).toEqual([]);
      expect([...grants].sort()).toEqual([...ADR_S3[name]!].sort());
    },
  );

  it('grants no bucket-wide object access anywhere in the stack', () => {
    for (const [id, policy] of [
      ...ofType('AWS::IAM::Policy'),
      ...ofType('AWS::IAM::ManagedPolicy'),
    ])
      for (const s of arr<Json>(policy.Properties.PolicyDocument.Statement)) {
        if (!arr<string>(s.Action).some((a) => /^s3:(Get|Put|Delete)Object/.test(a))) continue;
        for (const r of arr<Json>(s.Resource))
          expect(JSON.stringify(r), id).not.toMatch(/"\/\*"|^"\*"$/);
      }
  });

  it('lets the API read the web-config parameter by an ARN built from its name', () => {
    const ssm = statementsOfRole(logicalId(stack.api.fn.role)).find(
      (s) => s.Action === 'ssm:GetParameter',
    );
    expect(JSON.stringify(ssm.Resource)).toContain(
      `:parameter${webConfigParameterName(stack.stackName)}`,
    );
    expect(JSON.stringify(ssm.Resource)).not.toContain(logicalId(stack.webConfig));
  });
});

describe('web config', () => {
  it('is one SSM String parameter with the five values the app needs', () => {
    const p = resources[logicalId(stack.webConfig)].Properties;
    expect(p.Type).toBe('String');
    expect(p.Name).toBe(`/outturn/${stack.stackName}/web-config`);
    const json = JSON.stringify(p.Value);
    for (const key of [
      'publicUrl',
      'userPoolId',
      'userPoolClientId',
      'cognitoDomain',
      'siteKeyPairId',
    ])
      expect(json).toContain(`\\"${key}\\"`);
  });
});

describe('analytics', () => {
  it('has one Glue table per exported model, with the columns and mapped types of its definition', () => {
    const exported = exportedModels(models);
    expect(exported.length).toBeGreaterThan(5);
    const tables = ofType('AWS::Glue::Table')
      .filter(([, t]) => t.Properties.DatabaseName === stack.analytics.databaseName)
      .map(([, t]) => t.Properties.TableInput);
    expect(tables.map((t) => t.Name).sort()).toEqual(exported.map((m) => m.name).sort());
    for (const m of exported) {
      const t = tables.find((x) => x.Name === m.name);
      expect(t.StorageDescriptor.Columns.map((c: Json) => [c.Name, c.Type])).toEqual(
        m.columns.map((c) => [c.name, glueType(c.type)]),
      );
      expect(t.StorageDescriptor.InputFormat).toBe(
        'org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat',
      );
      expect(t.StorageDescriptor.OutputFormat).toBe(
        'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
      );
      expect(t.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe(
        'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
      );
      const published = publishedModels().some((p) => p.name === m.name);
      expect(JSON.stringify(t.StorageDescriptor.Location)).toContain(
        published ? `/curated/published/athena/${m.name}/` : `/curated/athena/${m.name}/`,
      );
    }
  });

  it('enforces the workgroup settings: results encrypted in the results bucket, a 1 GiB scan limit', () => {
    const wg = resources[logicalId(stack.analytics.node.findChild('Workgroup'))];
    const c = wg.Properties.WorkGroupConfiguration;
    expect(c.EnforceWorkGroupConfiguration).toBe(true);
    expect(c.BytesScannedCutoffPerQuery).toBe(1024 ** 3);
    expect(c.ResultConfiguration.EncryptionConfiguration.EncryptionOption).toBe('SSE_S3');
    expect(JSON.stringify(c.ResultConfiguration.OutputLocation)).toContain(
      logicalId(stack.storage.athenaResults),
    );
    expect(ofType('AWS::Athena::NamedQuery').length).toBeGreaterThanOrEqual(4);
  });
});

describe('the published side (ADR 020)', () => {
  const reader = () => resources[logicalId(stack.analytics.publishedReader!)];
  const statements = (): Json[] =>
    arr<Json>(reader().Properties.Policies).flatMap((p: Json) =>
      arr<Json>(p.PolicyDocument.Statement),
    );
  const text = (x: Json) => JSON.stringify(x);

  it('a Glue database holding only the published tables, over the published prefix', () => {
    const tables = ofType('AWS::Glue::Table')
      .filter(([, t]) => t.Properties.DatabaseName === stack.analytics.publishedDatabaseName)
      .map(([, t]) => t.Properties.TableInput);
    expect(tables.map((t) => t.Name).sort()).toEqual([...PUBLISHABLE_TABLES].sort());
    expect(tables.map((t) => t.Name)).not.toContain('performance');
    for (const t of tables)
      expect(text(t.StorageDescriptor.Location)).toContain(`/curated/published/athena/${t.Name}/`);
  });

  it('a workgroup of its own, with its own results prefix and the scan limit', () => {
    const wg = resources[logicalId(stack.analytics.node.findChild('PublishedWorkgroup'))];
    const c = wg.Properties.WorkGroupConfiguration;
    expect(wg.Properties.Name).toBe(stack.analytics.publishedWorkgroupName);
    expect(c.EnforceWorkGroupConfiguration).toBe(true);
    expect(c.BytesScannedCutoffPerQuery).toBe(1024 ** 3);
    expect(text(c.ResultConfiguration.OutputLocation)).toContain('/published-results/');
  });

  it('a reader role the API function alone may assume, which may read only that database, prefix and results', () => {
    const trust = arr<Json>(reader().Properties.AssumeRolePolicyDocument.Statement);
    expect(trust).toHaveLength(1);
    expect(text(trust[0].Principal)).toContain(logicalId(stack.api.fn.role));
    const all = statements();
    // S3: the published prefix and the pointer to the build in force; nothing of the true marts.
    const s3 = all.filter((s) => arr<string>(s.Action).some((a) => a.startsWith('s3:')));
    const objects = s3
      .filter((s) => arr<string>(s.Action).includes('s3:GetObject'))
      .flatMap((s) => arr<Json>(s.Resource).map((r) => r['Fn::Join'][1][1] as string));
    expect(objects.sort()).toEqual(
      [
        '/curated/builds/*/manifest.json',
        '/curated/current.json',
        '/curated/published/*',
        '/published-results/*',
      ].sort(),
    );
    const lists = s3.filter((s) => arr<string>(s.Action).includes('s3:ListBucket'));
    for (const l of lists) expect(l.Condition.StringLike['s3:prefix']).toBeDefined();
    expect(lists.flatMap((l) => arr<string>(l.Condition.StringLike['s3:prefix'])).sort()).toEqual([
      'curated/published/*',
      'published-results/*',
    ]);
    // Glue: the published database and its tables, by name; never the full database.
    const glue = all.find((s) => arr<string>(s.Action).includes('glue:GetTable'))!;
    const glueText = text(glue.Resource);
    expect(glueText).toContain(`database/${stack.analytics.publishedDatabaseName}`);
    expect(glueText).not.toContain(`database/${stack.analytics.databaseName}"`);
    expect(glueText).not.toContain(`${stack.analytics.databaseName}/performance`);
    // Athena: the published workgroup only.
    const athena = all.find((s) => arr<string>(s.Action).includes('athena:StartQueryExecution'))!;
    expect(text(athena.Resource)).toContain(`workgroup/${stack.analytics.publishedWorkgroupName}`);
    expect(text(athena.Resource)).not.toContain(stack.analytics.workgroupName);
  });

  it('the API function may assume the reader, and names it in its environment', () => {
    const assume = statementsOfRole(logicalId(stack.api.fn.role)).filter(
      (s) => s.Action === 'sts:AssumeRole',
    );
    expect(assume).toHaveLength(1);
    expect(text(assume[0].Resource)).toContain(logicalId(stack.analytics.publishedReader!));
    const env = resources[logicalId(stack.api.fn.fn)].Properties.Environment.Variables;
    expect(text(env.OUTTURN_PUBLISHED_READER_ROLE_ARN)).toContain(
      logicalId(stack.analytics.publishedReader!),
    );
  });
});

describe('sign-in', () => {
  it('is a user pool with no self sign-up, MFA, a strong password policy and the four role groups', () => {
    const [[, pool]] = ofType('AWS::Cognito::UserPool') as [[string, Json]];
    expect(pool.Properties.AdminCreateUserConfig.AllowAdminCreateUserOnly).toBe(true);
    expect(pool.Properties.MfaConfiguration).toBe('ON');
    expect(pool.Properties.Policies.PasswordPolicy.MinimumLength).toBeGreaterThanOrEqual(12);
    expect(
      ofType('AWS::Cognito::UserPoolGroup')
        .map(([, g]) => g.Properties.GroupName)
        .sort(),
    ).toEqual(['admin', 'commissioner', 'contract_manager', 'partner', 'provider']);
  });

  it('has a public client for the code flow, calling back to the distribution', () => {
    const [[, client]] = ofType('AWS::Cognito::UserPoolClient') as [[string, Json]];
    const p = client.Properties;
    expect(p.GenerateSecret).toBe(false);
    expect(p.AllowedOAuthFlows).toEqual(['code']);
    expect(JSON.stringify(p.CallbackURLs)).toContain(logicalId(stack.site.distribution));
    expect(JSON.stringify(p.CallbackURLs)).toContain('/auth/callback');
  });
});

describe('CloudFront', () => {
  it('sends the default behaviour to the API uncached and /site/* to the bucket through OAC with a trusted key group', () => {
    const [[, dist]] = ofType('AWS::CloudFront::Distribution') as [[string, Json]];
    const c = dist.Properties.DistributionConfig;
    expect(c.DefaultCacheBehavior.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad'); // CachingDisabled
    expect(c.DefaultCacheBehavior.OriginRequestPolicyId).toBe(
      'b689b0a8-53d0-40ab-baf2-68738e2966ac',
    ); // AllViewerExceptHostHeader
    const site = c.CacheBehaviors.find((b: Json) => b.PathPattern === '/site/*');
    expect(site.TrustedKeyGroups).toEqual([{ Ref: logicalId(stack.site.keyGroup) }]);
    const origin = c.Origins.find((o: Json) => o.Id === site.TargetOriginId);
    expect(origin.OriginAccessControlId).toBeDefined();
    expect(origin.S3OriginConfig.OriginAccessIdentity).toBe('');
    expect(c.Logging.Bucket).toBeDefined();
    // ADR 026: the API's origin adds the origin secret, resolved from Secrets Manager at deploy
    // (never in the template), and a viewer-request function writes the viewer's address.
    const api = c.Origins.find((o: Json) => o.Id === c.DefaultCacheBehavior.TargetOriginId);
    expect(api.OriginCustomHeaders).toEqual([
      { HeaderName: 'x-outturn-origin-secret', HeaderValue: expect.anything() },
    ]);
    expect(JSON.stringify(api.OriginCustomHeaders[0].HeaderValue)).toContain(
      `{{resolve:secretsmanager:`,
    );
    expect(JSON.stringify(api.OriginCustomHeaders[0].HeaderValue)).toContain(
      logicalId(stack.secrets.origin),
    );
    expect(c.DefaultCacheBehavior.FunctionAssociations).toEqual([
      { EventType: 'viewer-request', FunctionARN: expect.anything() },
    ]);
    const [[, fn]] = ofType('AWS::CloudFront::Function') as [[string, Json]];
    expect(fn.Properties.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
    expect(fn.Properties.FunctionCode).toContain(
      "event.request.headers['x-outturn-viewer-address'] = { value: event.viewer.ip }",
    );
    template.hasResourceProperties('AWS::CloudFront::PublicKey', {
      PublicKeyConfig: { EncodedKey: { 'Fn::GetAtt': [Match.anyValue(), 'PublicKeyPem'] } },
    });
  });
});

describe('alarms', () => {
  it('watch every DLQ, every queue age and every function error count', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    const on = (metric: string, dimension: string, id: string) =>
      alarms.some(
        (a) =>
          a.MetricName === metric &&
          a.AlarmActions?.length &&
          arr<Json>(a.Dimensions).some(
            (d) => d.Name === dimension && JSON.stringify(d.Value).includes(id),
          ),
      );
    const p = stack.processing;
    for (const dlq of [p.ingestDlq, p.transformDlq, p.publishDlq])
      expect(on('ApproximateNumberOfMessagesVisible', 'QueueName', logicalId(dlq))).toBe(true);
    for (const q of [p.ingestQueue, p.transformQueue, p.publishQueue])
      expect(on('ApproximateAgeOfOldestMessage', 'QueueName', logicalId(q))).toBe(true);
    for (const f of [stack.api.fn, p.ingest, p.transform, p.publish])
      expect(on('Errors', 'FunctionName', logicalId(f.fn))).toBe(true);
    const [[, topic]] = ofType('AWS::SNS::Topic') as [[string, Json]];
    expect(topic.Properties.KmsMasterKeyId).toBeDefined();
  });
});

describe('email notices (ADR 025)', () => {
  it('a daily EventBridge schedule invokes the API function with { outturn: "notify" }', () => {
    const rules = ofType('AWS::Events::Rule');
    const notify = rules.find(([, r]) => r.Properties.ScheduleExpression === 'cron(0 6 * * ? *)');
    expect(notify).toBeDefined();
    const targets = JSON.stringify(notify![1].Properties.Targets);
    expect(targets).toContain(logicalId(stack.api.fn.fn));
    expect(targets).toContain('outturn');
    expect(targets).toContain('notify');
  });
});
