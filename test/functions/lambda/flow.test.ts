/**
 * The AWS deployment's whole flow, in this process, against a real S3-protocol server (s3rver
 * on 127.0.0.1) holding the raw, working and site buckets: uploads through the API function
 * (API Gateway HTTP API v2 events), the ingest function (SQS events wrapping S3 notifications),
 * the transform function (the FIFO messages the ingest sent) and the publish function (the S3
 * notification for curated/current.json). DuckDB is real.
 *
 * SQS has no local equivalent here, so the SQS client is replaced by a recorder of the
 * SendMessage calls, and its messages are handed to the next function as SQS would deliver
 * them. Secrets Manager and SSM are replaced the same way (they only answer three reads).
 * Cognito has no local equivalent either: callers sign in through the app's real hosted-UI
 * flow (GET /sign-in, GET /auth/callback), with the token endpoint played by the test and ID
 * tokens signed with a key made here, whose JWKS the app is given instead of fetching the pool's.
 *
 * Each function sees the buckets only as its IAM grants allow (./grants.ts): what it may not
 * do is refused as S3 would, so a handler that needs more access than the stack gives fails here.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import type { SendMessageCommandInput } from '@aws-sdk/client-sqs';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
  SQSEvent,
  SQSRecord,
} from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createApiHandler,
  loadApiSetup,
  presignClient,
  type ApiHandler,
} from '../../../functions/lambda/api.js';
import { readSettings } from '../../../functions/lambda/env.js';
import { createIngestHandler } from '../../../functions/lambda/ingest.js';
import { createPublishHandler } from '../../../functions/lambda/publish.js';
import { MESSAGE_GROUP, transformQueue, type SqsSender } from '../../../functions/lambda/sqs.js';
import { createTransformHandler } from '../../../functions/lambda/transform.js';
import { listAudit } from '../../../pipelines/audit/audit-log.js';
import { uploadDetail } from '../../../pipelines/audit/upload-audit.js';
import { symlinkKey } from '../../../pipelines/analytics/athena-manifests.js';
import { ingestReturn, listReceipts } from '../../../pipelines/ingest/ingest.js';
import { outcomeKey, readOutcome } from '../../../pipelines/ingest/queued-upload.js';
import { putReference } from '../../../pipelines/ingest/reference-store.js';
import { LocalStore } from '../../../pipelines/store/local-store.js';
import { getText } from '../../../pipelines/store/object-store.js';
import { S3Store } from '../../../pipelines/store/s3-store.js';
import { ZonedStore } from '../../../pipelines/store/zoned-store.js';
import { readCurrentManifest } from '../../../pipelines/transform/curated.js';
import { openCurated } from '../../../pipelines/transform/query.js';
import { rebuild } from '../../../pipelines/transform/rebuild.js';
import { testReference } from '../../fixtures/reference.js';
import { bytesOf, csvOf, participants } from '../../fixtures/returns.js';
import {
  credentials,
  startS3rver,
  type RunningS3rver,
} from '../../pipelines/store/s3rver-server.js';
import { dataBucketOf, GrantedStore, grantsFor } from './grants.js';
import {
  CLIENT,
  DOMAIN,
  idClaims,
  jwksOf,
  POOL,
  rsaKey,
  signJwt,
  siteKey,
  TokenEndpoint,
} from '../web/cognito-fixture.js';

const RAW = 'outturn-raw';
const WORKING = 'outturn-working';
const SITE = 'outturn-site';
const QUEUE_URL = 'https://sqs.eu-west-2.amazonaws.com/123456789012/outturn-transform.fifo';
const SECRET = 'a-session-secret-from-secrets-manager-long-enough';
const PUBLISHED_READER_ARN = 'arn:aws:iam::123456789012:role/outturn-published-reader';
const SESSION_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:session-AbCdEf';
const SITE_KEY_ARN = 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:site-key-AbCdEf';
const ORIGIN_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:origin-AbCdEf';
/** What CloudFront adds to every request it forwards to the API (infra/site.ts). */
const ORIGIN_SECRET = 'the-origin-secret-cloudfront-sends';
const PUBLIC_URL = 'https://d111111abcdef8.cloudfront.net';
/** The user pool's signing key, the hosted UI's token endpoint, and the CloudFront key pair. */
const poolKey = rsaKey('flow-pool-key');
const tokenEndpoint = new TokenEndpoint();
const cloudFrontKey = siteKey();
/** The day the marts are as at, in both modes. */
const NOW = new Date('2026-11-26T12:00:00.000Z');
const quiet = () => undefined;
const lambdaContext = (id: string) => ({ awsRequestId: id }) as Context;

const reference = testReference();

/** The returns sent, each with when S3 saw it arrive (the ingest's "received"). */
const returns = {
  plpJan: {
    contract: 'plp-test',
    period: '2025-01',
    by: 'acme-user',
    file: 'plp january.csv',
    at: '2025-02-05T10:00:00.000Z',
    csv: csvOf(participants(6)),
  },
  vrsJan: {
    contract: 'vrs-test',
    period: '2025-01',
    by: 'north-user',
    file: 'vrs-january.csv',
    at: '2025-02-06T09:30:00.000Z',
    csv: csvOf(participants(3)),
  },
  plpFeb: {
    contract: 'plp-test',
    period: '2025-02',
    by: 'acme-user',
    file: 'plp-february.csv',
    at: '2025-03-04T08:00:00.000Z',
    // A caseload snapshot: January's six and four new (a file of the four alone would be held, ADR 023).
    csv: csvOf([
      ...participants(6),
      ...participants(4, (i) => ({
        participant_id: `P-1000${i}`,
        referral_date: '2025-02-03',
        first_contact_date: '2025-02-05',
        start_date: '',
      })),
    ]),
  },
  // The same participant twice: rejected.
  plpMarBad: {
    contract: 'plp-test',
    period: '2025-03',
    by: 'acme-user',
    file: 'plp-march.csv',
    at: '2025-04-03T08:00:00.000Z',
    csv: csvOf(participants(2, () => ({ participant_id: 'P-900001' }))),
  },
};
type ReturnName = keyof typeof returns;

let server: RunningS3rver;
let cacheDir: string;
let raw: S3Store;
let working: S3Store;
let site: S3Store;
let store: ZonedStore;
let api: ApiHandler;
/** The stores as each function's role sees them. */
const as = {} as Record<'api' | 'ingest' | 'transform' | 'publish', GrantedStore> & {
  site: GrantedStore;
};
const s3Stores: S3Store[] = [];
/** What the functions sent to SQS, in order. */
const sent: SendMessageCommandInput[] = [];
const recorder: SqsSender = {
  send: (async (command: { input: SendMessageCommandInput }) => {
    sent.push(command.input);
    return { MessageId: `m-${sent.length}`, $metadata: {} };
  }) as SqsSender['send'],
};
/** Upload id of each return, once the API has taken it. */
const uploadIds = {} as Record<ReturnName, string>;
const cookies = new Map<string, string>();

function s3Store(bucket: string): S3Store {
  const s = new S3Store({
    bucket,
    region: 'eu-west-2',
    endpoint: server.conditionalEndpoint,
    forcePathStyle: true,
    credentials,
    cacheDir: join(cacheDir, bucket),
  });
  s3Stores.push(s);
  return s;
}

beforeAll(async () => {
  server = await startS3rver([RAW, WORKING, SITE]);
  cacheDir = await mkdtemp(join(tmpdir(), 'outturn-flow-cache-'));
  raw = s3Store(RAW);
  working = s3Store(WORKING);
  site = s3Store(SITE);
  store = new ZonedStore({ raw, working });
  await putReference(store, reference);
  for (const fn of ['api', 'ingest', 'transform', 'publish'] as const)
    as[fn] = new GrantedStore(store, grantsFor(fn), dataBucketOf, fn);
  as.site = new GrantedStore(site, grantsFor('publish'), () => 'site', 'publish');

  // The API function's cold start, as in AWS but for the clients: the settings from an
  // environment like the stack's, the secret and web config from recorders of the two reads.
  const settings = readSettings('api', {
    OUTTURN_S3_BUCKET: WORKING,
    OUTTURN_RAW_BUCKET: RAW,
    OUTTURN_S3_REGION: 'eu-west-2',
    OUTTURN_S3_ENDPOINT: server.conditionalEndpoint,
    OUTTURN_TRANSFORM_QUEUE_URL: QUEUE_URL,
    OUTTURN_SESSION_SECRET_ARN: SESSION_SECRET_ARN,
    OUTTURN_SITE_KEY_SECRET_ARN: SITE_KEY_ARN,
    OUTTURN_ORIGIN_SECRET_ARN: ORIGIN_SECRET_ARN,
    OUTTURN_WEB_CONFIG_PARAMETER: '/outturn/test/web-config',
    OUTTURN_ATHENA_WORKGROUP: 'outturn',
    OUTTURN_GLUE_DATABASE: 'outturn',
    OUTTURN_PUBLISHED_READER_ROLE_ARN: PUBLISHED_READER_ARN,
  });
  const reads: string[] = [];
  const stsAsked: string[] = [];
  const setup = await loadApiSetup(settings, {
    secrets: {
      send: (async (c: { input: { SecretId: string } }) => (
        reads.push(c.input.SecretId),
        {
          SecretString:
            c.input.SecretId === SITE_KEY_ARN
              ? cloudFrontKey.privateKeyPem
              : c.input.SecretId === ORIGIN_SECRET_ARN
                ? ORIGIN_SECRET
                : SECRET,
        }
      )) as never,
    },
    ssm: {
      send: (async (c: { input: { Name: string } }) => (
        reads.push(c.input.Name),
        {
          Parameter: {
            // As the stack writes it: the Cognito domain as a bare host name.
            Value: JSON.stringify({
              publicUrl: PUBLIC_URL,
              userPoolId: POOL,
              userPoolClientId: CLIENT,
              cognitoDomain: new URL(DOMAIN).host,
              siteKeyPairId: cloudFrontKey.keyPairId,
            }),
          },
        }
      )) as never,
    },
    sqs: recorder,
    store: as.api,
    // The API function's own presigning client, with s3rver's keys instead of the role's.
    presign: presignClient(settings, credentials),
    // No local STS: the published reader's credentials are s3rver's keys, handed over as STS would.
    sts: {
      send: async (c) => {
        stsAsked.push(c.input.RoleArn!);
        return {
          Credentials: {
            AccessKeyId: credentials.accessKeyId,
            SecretAccessKey: credentials.secretAccessKey,
            Expiration: new Date('2999-01-01T00:00:00Z'),
          },
        };
      },
    },
  });
  expect(reads.sort()).toEqual(
    ['/outturn/test/web-config', ORIGIN_SECRET_ARN, SESSION_SECRET_ARN, SITE_KEY_ARN].sort(),
  );
  expect(setup.webConfig.publicUrl).toBe(PUBLIC_URL);
  expect(setup.deps.intake?.mode).toBe('queued');
  expect(setup.deps.cognito).toMatchObject({
    userPoolId: POOL,
    clientId: CLIENT,
    domain: DOMAIN,
    publicUrl: PUBLIC_URL,
    siteCookies: { keyPairId: cloudFrontKey.keyPairId },
  });
  expect(setup.deps.athena).toEqual({ workgroup: 'outturn', database: 'outturn' });
  // The restricted engine's source is the working bucket under the published reader (ADR 020),
  // whose role is assumed only when first used.
  expect(setup.deps.publishedSource?.description).toBe(`s3://${WORKING}/`);
  expect(stsAsked).toEqual([]);
  expect(await setup.deps.publishedSource!.list('curated/published/')).toEqual([]);
  expect(stsAsked).toEqual([PUBLISHED_READER_ARN]);
  // The two things a Lambda would fetch from Cognito, given here instead: the pool's keys and the token endpoint.
  api = createApiHandler({
    ...setup.deps,
    cognito: { ...setup.deps.cognito!, jwks: jwksOf(poolKey), fetch: tokenEndpoint.fetch },
    now: () => NOW,
  });
}, 60_000);

afterAll(async () => {
  for (const s of s3Stores) s.destroy();
  await server?.stop();
  await rm(cacheDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------- events as AWS shapes them

let requestCount = 0;

/**
 * An API Gateway HTTP API (payload format 2.0) event, as API Gateway sends it behind CloudFront:
 * the source IP is CloudFront's, the viewer's address is in the header the viewer-request
 * function writes, vouched for by the origin secret; the first X-Forwarded-For entry is whatever
 * the client wrote there. A POST from a page carries the browser's Origin, the public URL.
 */
function httpEvent(
  method: string,
  url: string,
  options: { cookie?: string; body?: Uint8Array; contentType?: string } = {},
): APIGatewayProxyEventV2 {
  const [rawPath, rawQueryString = ''] = url.split('?') as [string, string?];
  const id = `req-${++requestCount}`;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    ...(options.cookie ? { cookies: [options.cookie] } : {}),
    headers: {
      host: 'abc123.execute-api.eu-west-2.amazonaws.com',
      'user-agent': 'Amazon CloudFront',
      'x-forwarded-for': '198.51.100.66, 203.0.113.7, 130.176.0.1',
      'x-forwarded-proto': 'https',
      'x-outturn-origin-secret': ORIGIN_SECRET,
      'x-outturn-viewer-address': '203.0.113.7',
      ...(method === 'POST' ? { origin: PUBLIC_URL } : {}),
      ...(options.contentType ? { 'content-type': options.contentType } : {}),
      ...(options.body ? { 'content-length': String(options.body.length) } : {}),
    },
    ...(rawQueryString
      ? { queryStringParameters: Object.fromEntries(new URLSearchParams(rawQueryString)) }
      : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.eu-west-2.amazonaws.com',
      domainPrefix: 'abc123',
      http: {
        method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: '130.176.0.1',
        userAgent: 'Amazon CloudFront',
      },
      requestId: id,
      routeKey: '$default',
      stage: '$default',
      time: '26/Nov/2026:12:00:00 +0000',
      timeEpoch: NOW.getTime(),
    },
    ...(options.body
      ? { body: Buffer.from(options.body).toString('base64'), isBase64Encoded: true }
      : { isBase64Encoded: false }),
  };
}

async function call(
  method: string,
  url: string,
  options: { as?: string; form?: FormData | URLSearchParams; json?: unknown } = {},
): Promise<APIGatewayProxyStructuredResultV2> {
  let body: Uint8Array | undefined;
  let contentType: string | undefined;
  if (options.json !== undefined)
    [body, contentType] = [bytesOf(JSON.stringify(options.json)), 'application/json'];
  else if (options.form) {
    const encoded = new Request('http://x/', { method: 'POST', body: options.form });
    body = new Uint8Array(await encoded.arrayBuffer());
    contentType = encoded.headers.get('content-type') ?? undefined;
  }
  const cookie = options.as ? await signIn(options.as) : undefined;
  return api(
    httpEvent(method, url, { cookie, body, contentType }),
    lambdaContext(`api-${requestCount}`),
  );
}

/** A v2 result's cookie named `name`, as `name=value`. */
function cookieOf(res: APIGatewayProxyStructuredResultV2, name: string): string | undefined {
  return res.cookies?.map((c) => c.split(';')[0]!).find((c) => c.startsWith(`${name}=`));
}

/**
 * Signing in as in AWS: GET /sign-in sends the browser to the hosted UI, the user signs in there
 * (played by the token endpoint, whose ID token names the user and their role's group), and
 * GET /auth/callback starts the session and sets the CloudFront cookies for /site/.
 */
async function signIn(user: string): Promise<string> {
  const known = cookies.get(user);
  if (known) return known;
  const start = await api(httpEvent('GET', '/sign-in'), lambdaContext('sign-in'));
  expect(start.statusCode).toBe(302);
  const flow = cookieOf(start, 'outturn_signin');
  const location = header(start, 'location') ?? '';
  expect(location.startsWith(`${DOMAIN}/oauth2/authorize?`)).toBe(true);
  const role = reference.users.find((u) => u.id === user)!.role;
  const back = new URL(
    tokenEndpoint.authorize(location, signJwt(poolKey, idClaims(user, { groups: [role] }))),
  );
  expect(back.origin).toBe(PUBLIC_URL);
  const callback = await api(
    httpEvent('GET', `${back.pathname}${back.search}`, { cookie: flow }),
    lambdaContext('callback'),
  );
  expect(callback.statusCode).toBe(302);
  const cookie = cookieOf(callback, 'outturn_session');
  if (!cookie)
    throw new Error(
      `signing in as ${user} gave no session cookie: ${callback.statusCode} ${callback.body}`,
    );
  for (const name of ['CloudFront-Policy', 'CloudFront-Signature', 'CloudFront-Key-Pair-Id'])
    expect(cookieOf(callback, name), name).toBeDefined();
  cookies.set(user, cookie);
  return cookie;
}

function header(res: APIGatewayProxyStructuredResultV2, name: string): string | undefined {
  return (res.headers as Record<string, string> | undefined)?.[name];
}

function text(res: APIGatewayProxyStructuredResultV2): string {
  return res.isBase64Encoded
    ? Buffer.from(String(res.body), 'base64').toString('utf8')
    : String(res.body ?? '');
}

function sqsRecord(
  body: string,
  id: string,
  attributes: Partial<SQSRecord['attributes']> = {},
  arn = 'arn:aws:sqs:eu-west-2:123456789012:outturn-ingest',
): SQSRecord {
  return {
    messageId: id,
    receiptHandle: `AQEB${id}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(NOW.getTime()),
      SenderId: 'AIDAIENQZJOLO23YVJ4VO',
      ApproximateFirstReceiveTimestamp: String(NOW.getTime()),
      ...attributes,
    },
    messageAttributes: {},
    md5OfBody: 'x',
    eventSource: 'aws:sqs',
    eventSourceARN: arn,
    awsRegion: 'eu-west-2',
  };
}

/** S3's notification of a created object, as S3 writes it: the key URL-encoded, `+` for a space. */
function s3Notification(bucket: string, key: string, size: number, at: string): string {
  return JSON.stringify({
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'eu-west-2',
        eventTime: at,
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: 'AWS:AROAEXAMPLE:outturn-api' },
        requestParameters: { sourceIPAddress: '203.0.113.7' },
        responseElements: {
          'x-amz-request-id': 'C3D13FE58DE4C810',
          'x-amz-id-2': 'FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD',
        },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'outturn-incoming',
          bucket: {
            name: bucket,
            ownerIdentity: { principalId: 'A3NL1KOZZKExample' },
            arn: `arn:aws:s3:::${bucket}`,
          },
          object: {
            key: encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+'),
            size,
            eTag: 'd41d8cd98f00b204e9800998ecf8427e',
            sequencer: '0055AED6DCD90281E5',
          },
        },
      },
    ],
  });
}

const s3TestEvent = JSON.stringify({
  Service: 'Amazon S3',
  Event: 's3:TestEvent',
  Time: '2026-11-26T11:00:00.000Z',
  Bucket: RAW,
  RequestId: '5582815E1AEA5ADF',
  HostId: '8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE',
});

function ingestEvent(name: ReturnName): SQSEvent {
  const r = returns[name];
  return {
    Records: [
      sqsRecord(
        s3Notification(RAW, `incoming/${uploadIds[name]}/file`, bytesOf(r.csv).length, r.at),
        `ingest-${name}`,
      ),
    ],
  };
}

/** The FIFO messages recorded, as the transform queue would deliver them. */
function transformEvent(messages: SendMessageCommandInput[]): SQSEvent {
  return {
    Records: messages.map((m, i) =>
      sqsRecord(
        m.MessageBody!,
        `transform-${i}`,
        {
          MessageGroupId: m.MessageGroupId,
          MessageDeduplicationId: m.MessageDeduplicationId,
          SequenceNumber: String(18849496460467696000 + i),
        },
        'arn:aws:sqs:eu-west-2:123456789012:outturn-transform.fifo',
      ),
    ),
  };
}

const ingest = createIngestHandler(() => ({
  store: as.ingest,
  requests: transformQueue(recorder, QUEUE_URL),
  rawBucket: RAW,
  prefix: '',
  log: quiet,
}));
const transform = createTransformHandler(() => ({
  store: as.transform,
  now: () => NOW,
  log: quiet,
}));
const publish = createPublishHandler(() => ({
  store: as.publish,
  site: as.site,
  prefix: '',
  log: quiet,
}));

function uploadForm(name: ReturnName): FormData {
  const r = returns[name];
  const form = new FormData();
  form.append('file', new File([r.csv], r.file, { type: 'text/csv' }));
  form.append('contract', r.contract);
  form.append('period', r.period);
  return form;
}

async function rawObject(key: string): Promise<boolean> {
  const client = raw.client;
  try {
    await client.send(new HeadObjectCommand({ Bucket: RAW, Key: key }));
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------- the flow

describe('the AWS flow, API → ingest → transform → publish, on s3rver', () => {
  it('the API takes uploads into incoming/ and says where to watch, ingesting nothing itself', async () => {
    const viaApi = await call('POST', '/api/returns', {
      as: 'acme-user',
      form: uploadForm('plpJan'),
    });
    expect(viaApi.statusCode).toBe(202);
    const location = header(viaApi, 'location')!;
    expect(location).toMatch(/^\/api\/uploads\/plp-test\/\d{8}T\d{9}Z-[0-9a-f]{12}$/);
    uploadIds.plpJan = location.split('/').pop()!;
    expect(JSON.parse(text(viaApi))).toEqual({
      upload_id: uploadIds.plpJan,
      status: 'checking',
      location,
    });

    const viaPage = await call('POST', '/contracts/vrs-test/returns/new', {
      as: 'north-user',
      form: uploadForm('vrsJan'),
    });
    expect(viaPage.statusCode).toBe(303);
    const page = header(viaPage, 'location')!;
    expect(page).toMatch(/^\/contracts\/vrs-test\/uploads\//);
    uploadIds.vrsJan = page.split('/').pop()!;

    const bad = await call('POST', '/api/returns', {
      as: 'acme-user',
      form: uploadForm('plpMarBad'),
    });
    expect(bad.statusCode).toBe(202);
    uploadIds.plpMarBad = header(bad, 'location')!.split('/').pop()!;

    // A stranger's upload is refused before anything is written.
    const refused = await call('POST', '/api/returns', {
      as: 'north-user',
      form: uploadForm('plpJan'),
    });
    expect(refused.statusCode).toBe(403);

    for (const name of ['plpJan', 'vrsJan', 'plpMarBad'] as const) {
      expect(await rawObject(`incoming/${uploadIds[name]}/file`)).toBe(true);
      expect(await rawObject(`incoming/${uploadIds[name]}/intent.json`)).toBe(true);
      // The working bucket holds no part of an upload, only the app's copy of the intent.
      expect(await working.list(`incoming/`)).toEqual([]);
      expect(await working.exists(`uploads/${uploadIds[name]}.intent.json`)).toBe(true);
    }
    expect(
      JSON.parse((await getText(raw, `incoming/${uploadIds.plpJan}/intent.json`))!),
    ).toMatchObject({
      contract_id: 'plp-test',
      period: '2025-01',
      file_name: 'plp january.csv',
      submitted_by: 'acme-user',
      from: '203.0.113.7',
    });
    expect(await listReceipts(store)).toEqual([]);
    expect(sent).toEqual([]);

    // Watching: a page that refreshes itself, and JSON.
    const watching = await call('GET', page, { as: 'north-user' });
    expect(watching.statusCode).toBe(200);
    expect(text(watching)).toContain('We have your file; checking it…');
    expect(text(watching)).toMatch(/<meta http-equiv="refresh" content="\d+">/);
    const status = await call('GET', location, { as: 'acme-user' });
    expect(status.statusCode).toBe(200);
    expect(JSON.parse(text(status))).toMatchObject({ status: 'checking', receipt: null });
  });

  it('a presigned URL, signed for that upload’s key for 15 minutes, takes a PUT of the file straight into the raw bucket', async () => {
    const r = returns.plpFeb;
    // As a provider's script asks for it: JSON (the pages' forms are in the route matrix).
    const res = await call('POST', '/api/returns/upload-url', {
      as: 'acme-user',
      json: {
        contract: r.contract,
        period: r.period,
        file_name: r.file,
        file_size: Buffer.byteLength(r.csv),
      },
    });
    expect(res.statusCode).toBe(201);
    const body = JSON.parse(text(res)) as {
      upload_id: string;
      url: string;
      method: string;
      expires_at: string;
    };
    uploadIds.plpFeb = body.upload_id;
    const url = new URL(body.url);
    expect(url.origin).toBe(server.conditionalEndpoint);
    expect(url.pathname).toBe(`/${RAW}/incoming/${body.upload_id}/file`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    // No checksum the client would have to match.
    expect([...url.searchParams.keys()].filter((k) => /checksum/i.test(k))).toEqual([]);
    expect(body.expires_at).toBe(new Date(NOW.getTime() + 900_000).toISOString());
    expect(await rawObject(`incoming/${body.upload_id}/intent.json`)).toBe(true);
    expect(await rawObject(`incoming/${body.upload_id}/file`)).toBe(false);

    const put = await fetch(body.url, { method: 'PUT', body: r.csv });
    expect(put.status).toBe(200);
    // Signed for the stated size: S3 refuses a PUT whose Content-Length is not the signed one.
    // s3rver does not check signatures (below), so that refusal is AWS's and cannot be shown here.
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;host');
    const object = await raw.client.send(
      new GetObjectCommand({ Bucket: RAW, Key: `incoming/${body.upload_id}/file` }),
    );
    expect(await object.Body!.transformToString()).toBe(r.csv);
    // The URL is SigV4-signed for this key alone (the canonical request names the path). s3rver
    // does not verify V4 signatures, so that AWS refuses any other key cannot be shown here.
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
  });

  it('the ingest function checks each upload, writes its outcome and asks for a rebuild', async () => {
    // S3's test event first, as when notifications are set up: ignored.
    expect(
      await ingest({ Records: [sqsRecord(s3TestEvent, 'test-event')] }, lambdaContext('i0')),
    ).toEqual({ batchItemFailures: [] });
    for (const name of ['plpJan', 'vrsJan', 'plpFeb', 'plpMarBad'] as const)
      expect(await ingest(ingestEvent(name), lambdaContext(`i-${name}`))).toEqual({
        batchItemFailures: [],
      });

    const outcomes = Object.fromEntries(
      await Promise.all(
        Object.entries(uploadIds).map(async ([name, id]) => [name, await readOutcome(store, id)]),
      ),
    );
    expect(outcomes.plpJan).toMatchObject({
      status: 'accepted',
      contract_id: 'plp-test',
      period: '2025-01',
      version: 1,
      counts: { rows: 6, errors: 0 },
    });
    expect(outcomes.vrsJan).toMatchObject({
      status: 'accepted',
      contract_id: 'vrs-test',
      version: 1,
      counts: { rows: 3 },
    });
    expect(outcomes.plpFeb).toMatchObject({
      status: 'accepted',
      contract_id: 'plp-test',
      period: '2025-02',
      version: 1,
      counts: { rows: 10 },
    });
    expect(outcomes.plpMarBad).toMatchObject({ status: 'rejected', version: null, message: null });
    expect(outcomes.plpMarBad!.counts!.errors).toBeGreaterThan(0);
    // Outcomes are counts and ids: the participant ids of the return appear nowhere in them.
    for (const id of Object.values(uploadIds))
      expect(await getText(working, outcomeKey(id))).not.toMatch(/P-[0-9]{6}/);

    const receipts = await listReceipts(store);
    expect(
      receipts.map((r) => [r.contract_id, r.period, r.status, r.submitted_by, r.submitted_at]),
    ).toEqual([
      ['plp-test', '2025-01', 'accepted', 'acme-user', returns.plpJan.at],
      ['vrs-test', '2025-01', 'accepted', 'north-user', returns.vrsJan.at],
      ['plp-test', '2025-02', 'accepted', 'acme-user', returns.plpFeb.at],
      ['plp-test', '2025-03', 'rejected', 'acme-user', returns.plpMarBad.at],
    ]);
    expect(receipts[3]!.report.problems.map((p) => p.rule)).toEqual(['row.duplicate_participant']);
    expect(receipts.map((r) => r.file.name)).toEqual([
      'plp january.csv',
      'vrs-january.csv',
      'plp-february.csv',
      'plp-march.csv',
    ]);
    for (const r of receipts) {
      expect(await rawObject(r.raw_key)).toBe(true);
      expect(await working.exists(r.raw_key)).toBe(false);
      if (r.status === 'accepted') expect(await working.exists(r.staged_key)).toBe(true);
    }
    const audit = (await listAudit(store)).filter((e) => e.action === 'upload');
    expect(audit.map((e) => [e.who, e.detail, e.from])).toEqual([
      ['acme-user', 'accepted, version 1', '203.0.113.7'],
      ['north-user', 'accepted, version 1', '203.0.113.7'],
      ['acme-user', 'accepted, version 1', '203.0.113.7'],
      ['acme-user', uploadDetail({ receipt: receipts[3]!, duplicate: false }), '203.0.113.7'],
    ]);

    // One rebuild request per accepted upload, on the FIFO queue's one group.
    expect(
      sent.map((m) => [
        m.QueueUrl,
        m.MessageGroupId,
        m.MessageDeduplicationId,
        JSON.parse(m.MessageBody!),
      ]),
    ).toEqual([
      [
        QUEUE_URL,
        MESSAGE_GROUP,
        `upload-${uploadIds.plpJan}`,
        { contracts: ['plp-test'], reason: `upload ${uploadIds.plpJan}` },
      ],
      [
        QUEUE_URL,
        MESSAGE_GROUP,
        `upload-${uploadIds.vrsJan}`,
        { contracts: ['vrs-test'], reason: `upload ${uploadIds.vrsJan}` },
      ],
      [
        QUEUE_URL,
        MESSAGE_GROUP,
        `upload-${uploadIds.plpFeb}`,
        { contracts: ['plp-test'], reason: `upload ${uploadIds.plpFeb}` },
      ],
    ]);

    // The page now goes to the receipt, the JSON names it.
    const page = await call('GET', `/contracts/vrs-test/uploads/${uploadIds.vrsJan}`, {
      as: 'north-user',
    });
    expect(page.statusCode).toBe(303);
    const receiptPage = header(page, 'location')!;
    expect(receiptPage).toBe(`/contracts/vrs-test/returns/${outcomes.vrsJan!.receipt_id}`);
    expect((await call('GET', receiptPage, { as: 'north-user' })).statusCode).toBe(200);
    const status = JSON.parse(
      text(await call('GET', `/api/uploads/plp-test/${uploadIds.plpMarBad}`, { as: 'acme-user' })),
    ) as { status: string; receipt: string };
    expect(status.status).toBe('rejected');
    expect((await call('GET', status.receipt, { as: 'acme-user' })).statusCode).toBe(200);
  });

  it('a redelivered ingest message changes nothing, and asks for the rebuild under the same deduplication id', async () => {
    const before = await Promise.all([
      store.list('submissions/'),
      store.list('staged/'),
      store.list('audit/'),
      store.list('raw/'),
      getText(store, outcomeKey(uploadIds.plpJan)),
    ]);
    const sentBefore = sent.length;
    expect(await ingest(ingestEvent('plpJan'), lambdaContext('again'))).toEqual({
      batchItemFailures: [],
    });
    expect(await ingest(ingestEvent('plpMarBad'), lambdaContext('again-bad'))).toEqual({
      batchItemFailures: [],
    });
    expect(
      await Promise.all([
        store.list('submissions/'),
        store.list('staged/'),
        store.list('audit/'),
        store.list('raw/'),
        getText(store, outcomeKey(uploadIds.plpJan)),
      ]),
    ).toEqual(before);
    // SQS drops a FIFO message whose deduplication id it saw in the last five minutes.
    expect(sent.slice(sentBefore).map((m) => m.MessageDeduplicationId)).toEqual([
      `upload-${uploadIds.plpJan}`,
    ]);
    sent.splice(sentBefore);
  });

  it('a message that is not an S3 notification is reported failed, so it is retried and kept in the dead-letter queue', async () => {
    const res = await ingest(
      { Records: [sqsRecord('not json', 'junk'), ingestEvent('plpJan').Records[0]!] },
      lambdaContext('junk'),
    );
    expect(res).toEqual({ batchItemFailures: [{ itemIdentifier: 'junk' }] });
    sent.splice(sent.length - 1);
  });

  it('the transform function builds once for the batch and points Athena at the build’s Parquet files', async () => {
    expect(await readCurrentManifest(store)).toBeNull();
    expect(await transform(transformEvent(sent), lambdaContext('t1'))).toEqual({
      batchItemFailures: [],
    });
    const manifest = (await readCurrentManifest(store))!;
    // No build before: in full, whatever the requests said.
    expect(manifest.scope).toBe('full');
    expect(manifest.as_of).toBe('2026-11-26');
    const models = Object.keys(manifest.models);
    expect(models.length).toBeGreaterThan(3);
    for (const model of models) {
      const text = (await getText(working, symlinkKey(model)))!;
      const files = Object.values(manifest.models[model]!.files).sort();
      expect(text, model).toBe(files.map((k) => `s3://${WORKING}/${k}\n`).join(''));
      for (const key of files) {
        // A published model's files are under their own prefix (ADR 020), beside its symlink.
        const root = symlinkKey(model).startsWith('curated/published/')
          ? 'curated/published/builds'
          : 'curated/builds';
        expect(key).toMatch(new RegExp(`^${root}/${manifest.build_id}/${model}/[^/]+\\.parquet$`));
        expect(await working.exists(key), key).toBe(true);
      }
    }
    expect(Object.values(manifest.models).some((m) => Object.keys(m.files).length > 0)).toBe(true);

    // A second batch asking for one contract builds incrementally, and the manifests follow.
    expect(await transform(transformEvent([sent[0]!]), lambdaContext('t2'))).toEqual({
      batchItemFailures: [],
    });
    const next = (await readCurrentManifest(store))!;
    expect(next.scope).toEqual(['plp-test']);
    expect(next.previous_build).toBe(manifest.build_id);
    expect(await getText(working, symlinkKey('performance'))).toContain(
      `curated/builds/${next.build_id}/performance/plp-test.parquet`,
    );
  }, 120_000);

  it('the publish function puts the dashboards of the build in force in the site bucket, and removes stale pages', async () => {
    await site.put('site/programmes/retired/index.html', '<p>old</p>', {
      contentType: 'text/html',
    });
    await site.put('elsewhere/keep.txt', 'not the site');
    const event: SQSEvent = {
      Records: [
        sqsRecord(s3TestEvent, 'p-test'),
        sqsRecord(
          s3Notification(WORKING, 'curated/current.json', 80, NOW.toISOString()),
          'p1',
          {},
          'arn:aws:sqs:eu-west-2:123456789012:outturn-publish',
        ),
      ],
    };
    expect(await publish(event, lambdaContext('p1'))).toEqual({ batchItemFailures: [] });
    const keys = await site.list('');
    expect(keys).toContain('site/index.html');
    for (const p of reference.programmes)
      expect(keys).toContain(`site/programmes/${p.id}/index.html`);
    expect(keys).toContain('site/assets/govuk-frontend.min.css');
    expect(keys.some((k) => k.startsWith('site/assets/fonts/') && k.endsWith('.woff2'))).toBe(true);
    expect(keys).not.toContain('site/programmes/retired/index.html');
    expect(keys).toContain('elsewhere/keep.txt');

    const head = async (key: string) =>
      (await site.client.send(new HeadObjectCommand({ Bucket: SITE, Key: key }))).ContentType;
    expect(await head('site/index.html')).toBe('text/html; charset=utf-8');
    expect(await head('site/assets/govuk-frontend.min.css')).toBe('text/css; charset=utf-8');
    const index = (await getText(site, 'site/index.html'))!;
    expect(index).toContain('href="/site/programmes/plp/index.html"');
    expect(index).toContain('href="/site/assets/govuk-frontend.min.css"');
    const plp = (await getText(site, 'site/programmes/plp/index.html'))!;
    expect(plp).toContain('Programme overview');
    expect(plp).not.toContain('There are no figures yet');
  }, 60_000);

  it('no function needed more of the buckets than the stack grants it (infra/access.ts)', async () => {
    for (const s of Object.values(as)) expect(s.refused, s.who).toEqual([]);
    // And the grants do refuse: the API may not write staged data, the publisher may not read submissions.
    await expect(as.api!.put('staged/participant/x/2025-01/v9.parquet', 'x')).rejects.toThrow(
      /AccessDenied/,
    );
    await expect(as.publish!.get('submissions/plp-test/2025-01/x.json')).rejects.toThrow(
      /AccessDenied/,
    );
  });

  it('the marts equal those built from the same uploads in local mode', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'outturn-flow-local-'));
    try {
      const local = new LocalStore(dir);
      await putReference(local, reference);
      for (const r of Object.values(returns))
        await ingestReturn({
          store: local,
          bytes: bytesOf(r.csv),
          fileName: r.file,
          contractId: r.contract,
          period: r.period,
          submittedBy: r.by,
          reference,
          now: new Date(r.at),
        });
      await rebuild(local, { asOf: '2026-11-26' });

      const [aws, here] = [await openCurated(store), await openCurated(local)];
      try {
        expect(Object.keys(aws.manifest.models).sort()).toEqual(
          Object.keys(here.manifest.models).sort(),
        );
        let rows = 0;
        for (const model of Object.keys(here.manifest.models)) {
          const sql = `SELECT * FROM ${model} ORDER BY ALL`;
          const [a, b] = [(await aws.query(sql)).rows, (await here.query(sql)).rows];
          expect(a, model).toEqual(b);
          rows += b.length;
        }
        expect(rows).toBeGreaterThan(0);
      } finally {
        aws.close();
        here.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
