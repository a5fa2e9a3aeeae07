/**
 * The API bundle works as Lambda will run it: bundled by infra/bundling.ts into a directory
 * outside the repository (so nothing resolves from the repo's node_modules), with the DuckDB
 * layer's `nodejs/node_modules` the only other modules it can see, then required as CommonJS
 * and called with API Gateway v2 events.
 *
 * The function's environment is set as the stack sets it, and its cold start (session secret
 * from Secrets Manager, web config from SSM) is answered by a fake of those two JSON APIs on
 * loopback, reached through the SDK's `AWS_ENDPOINT_URL_<SERVICE>` variables.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_FILE, bundleFunction, type BundleResult } from '../../infra/bundling.js';
import { buildDuckdbLayer } from '../../infra/duckdb-layer.js';

type Handler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

let bundle: BundleResult;
let handler: Handler;
let root = '';
let fakeAws: Server | undefined;
const savedEnv = { ...process.env };

/** Secrets Manager's GetSecretValue and SSM's GetParameter, as the SDK's JSON protocol asks. */
function startFakeAws(): Promise<string> {
  fakeAws = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const request = body ? (JSON.parse(body) as Record<string, string>) : {};
      const reply = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(json));
      };
      if (target === 'secretsmanager.GetSecretValue')
        return reply(200, {
          ARN: request.SecretId,
          Name: 'session',
          SecretString: 's'.repeat(64),
          VersionId: 'v1',
          VersionStages: ['AWSCURRENT'],
        });
      if (target === 'AmazonSSM.GetParameter')
        return reply(200, {
          Parameter: {
            Name: request.Name,
            Type: 'String',
            Version: 1,
            Value: JSON.stringify({
              publicUrl: 'https://d111111abcdef8.cloudfront.net',
              userPoolId: 'eu-west-2_abcdefghi',
              userPoolClientId: 'client',
              cognitoDomain: 'outturn.auth.eu-west-2.amazoncognito.com',
              siteKeyPairId: 'K2JCJMDEHXQW5F',
            }),
          },
        });
      reply(400, {
        __type: 'UnknownOperationException',
        message: `fake AWS does not answer ${target || req.url}`,
      });
    });
  });
  return new Promise((resolve) =>
    fakeAws!.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(fakeAws!.address() as AddressInfo).port}`),
    ),
  );
}

beforeAll(async () => {
  const endpoint = await startFakeAws();
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-2',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint,
    AWS_ENDPOINT_URL_SSM: endpoint,
    AWS_ENDPOINT_URL_SQS: endpoint,
    OUTTURN_S3_BUCKET: 'outturn-working',
    OUTTURN_RAW_BUCKET: 'outturn-raw',
    OUTTURN_S3_REGION: 'eu-west-2',
    OUTTURN_S3_ENDPOINT: endpoint,
    OUTTURN_CACHE_DIR: join(tmpdir(), 'outturn-infra-bundle-cache'),
    OUTTURN_TRANSFORM_QUEUE_URL: `${endpoint}/123456789012/transform.fifo`,
    OUTTURN_SESSION_SECRET_ARN:
      'arn:aws:secretsmanager:eu-west-2:123456789012:secret:session-AbCdEf',
    OUTTURN_SITE_KEY_SECRET_ARN:
      'arn:aws:secretsmanager:eu-west-2:123456789012:secret:site-key-AbCdEf',
    OUTTURN_ORIGIN_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:origin-AbCdEf',
    OUTTURN_WEB_CONFIG_PARAMETER: '/outturn/OutturnStack/web-config',
    OUTTURN_ATHENA_WORKGROUP: 'OutturnStack-analysts',
    OUTTURN_GLUE_DATABASE: 'outturn_outturnstack',
    OUTTURN_PUBLISHED_READER_ROLE_ARN: 'arn:aws:iam::123456789012:role/outturn-published-reader',
  });
  root = await mkdtemp(join(tmpdir(), 'outturn-infra-bundle-'));
  bundle = await bundleFunction('api', join(root, 'api'));
  const layer = await buildDuckdbLayer(join(root, 'layer'));
  // Lambda puts /opt/nodejs/node_modules on NODE_PATH; a node_modules beside the bundle's
  // directory is the same lookup for Node's resolver.
  await symlink(join(layer, 'nodejs', 'node_modules'), join(root, 'node_modules'), 'dir');
  const mod = createRequire(join(root, 'api', BUNDLE_FILE))(`./${BUNDLE_FILE}`) as {
    handler: Handler;
  };
  handler = mod.handler;
}, 180_000);
afterAll(async () => {
  process.env = savedEnv;
  fakeAws?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

function event(path: string): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { host: 'd111111abcdef8.cloudfront.net', accept: '*/*' },
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'd111111abcdef8.cloudfront.net',
      domainPrefix: 'd111111abcdef8',
      http: {
        method: 'GET',
        path,
        protocol: 'HTTP/1.1',
        sourceIp: '192.0.2.1',
        userAgent: 'vitest',
      },
      requestId: 'req-1',
      routeKey: '$default',
      stage: '$default',
      time: '26/Nov/2026:08:00:00 +0000',
      timeEpoch: 1_795_680_000_000,
    },
  };
}

const context = {
  awsRequestId: 'req-1',
  functionName: 'api',
  getRemainingTimeInMillis: () => 29_000,
} as unknown as Context;

describe('the api bundle', () => {
  it('answers GET /health', async () => {
    const res = await handler(event('/health'), context);
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body!)).toEqual({ status: 'ok' });
  });

  it('serves govuk-frontend CSS copied beside the bundle', async () => {
    const res = await handler(event('/assets/govuk-frontend.min.css'), context);
    expect(res.statusCode).toBe(200);
    expect(res.headers?.['content-type']).toMatch(/^text\/css/);
    const body = res.isBase64Encoded
      ? Buffer.from(res.body!, 'base64').toString('utf8')
      : res.body!;
    expect(body).toContain('.govuk-');
  });

  it('carries what its code reads from disk, and no import.meta', async () => {
    expect(bundle.copied).toContain(
      'node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css',
    );
    if (bundle.inputs.includes('pipelines/transform/sql-file.ts'))
      expect(
        existsSync(join(bundle.outDir, 'pipelines/transform/models/marts/performance.sql')),
      ).toBe(true);
    const code = await readFile(join(bundle.outDir, BUNDLE_FILE), 'utf8');
    expect(code).not.toContain('import.meta');
    expect(code).toContain('require("@duckdb/node-bindings")');
  });
});
