/**
 * The audit log's "from" is the platform's: the socket's peer from the local Node server, API
 * Gateway's source IP in AWS, or the viewer address CloudFront gives when the request carries
 * the origin secret. Never X-Forwarded-For or any other header a client writes.
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiHandler } from '../../../functions/lambda/api.js';
import {
  apiGatewayClientAddress,
  ORIGIN_SECRET_HEADER,
  VIEWER_ADDRESS_HEADER,
} from '../../../functions/lambda/client-address.js';
import { startServer, type StartedServer } from '../../../functions/web/server.js';
import { listAudit } from '../../../pipelines/audit/audit-log.js';
import { pipelineWith, type PipelineFixture } from '../../fixtures/pipeline.js';
import { NOW, SECRET, webReference } from './fixture.js';

let pipeline: PipelineFixture;
beforeAll(async () => {
  pipeline = await pipelineWith(webReference());
});

const signInsFrom = async (who: string) =>
  (await listAudit(pipeline.store))
    .filter((e) => e.action === 'sign_in' && e.who === who)
    .map((e) => e.from);

describe('the local server', () => {
  let server: StartedServer | undefined;
  afterAll(
    () => new Promise<void>((done) => (server ? server.server.close(() => done()) : done())),
  );

  it('records the socket’s address, whatever X-Forwarded-For says', async () => {
    server = await startServer(
      { PORT: '0', OUTTURN_DATA_DIR: pipeline.dir, OUTTURN_SESSION_SECRET: SECRET },
      () => undefined,
    );
    const res = await fetch(new URL('/sign-in', server.url), {
      method: 'POST',
      body: new URLSearchParams({ user: 'acme-user' }),
      headers: {
        origin: new URL(server.url).origin,
        'x-forwarded-for': '198.51.100.9, 10.0.0.1',
        'x-real-ip': '198.51.100.9',
        forwarded: 'for=198.51.100.9',
      },
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    expect(await signInsFrom('acme-user')).toEqual(['127.0.0.1']);
  });
});

describe('the API function behind API Gateway and CloudFront', () => {
  const originSecret = 'the-origin-secret-cloudfront-sends';
  const handler = () =>
    createApiHandler({
      store: pipeline.store,
      sessionSecret: SECRET,
      now: () => NOW,
      clientAddress: apiGatewayClientAddress(originSecret),
    });

  /** A form POST to /sign-in as API Gateway hands it over, from `sourceIp`, with `headers`. */
  function signInEvent(
    user: string,
    sourceIp: string,
    headers: Record<string, string>,
  ): APIGatewayProxyEventV2 {
    const body = new URLSearchParams({ user }).toString();
    return {
      version: '2.0',
      routeKey: '$default',
      rawPath: '/sign-in',
      rawQueryString: '',
      headers: {
        host: 'abc123.execute-api.eu-west-2.amazonaws.com',
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'https://abc123.execute-api.eu-west-2.amazonaws.com',
        ...headers,
      },
      requestContext: {
        accountId: '123456789012',
        apiId: 'abc123',
        domainName: 'abc123.execute-api.eu-west-2.amazonaws.com',
        domainPrefix: 'abc123',
        http: { method: 'POST', path: '/sign-in', protocol: 'HTTP/1.1', sourceIp, userAgent: 'x' },
        requestId: `req-${user}`,
        routeKey: '$default',
        stage: '$default',
        time: '26/Nov/2026:12:00:00 +0000',
        timeEpoch: NOW.getTime(),
      },
      body,
      isBase64Encoded: false,
    };
  }
  const send = async (event: APIGatewayProxyEventV2) =>
    (await handler()(event, { awsRequestId: 'x' } as Context)).statusCode;

  it('through CloudFront (the origin secret sent): the viewer address CloudFront wrote', async () => {
    expect(
      await send(
        signInEvent('north-user', '130.176.0.1', {
          [ORIGIN_SECRET_HEADER]: originSecret,
          [VIEWER_ADDRESS_HEADER]: '203.0.113.7',
          'x-forwarded-for': '198.51.100.9, 203.0.113.7, 130.176.0.1',
        }),
      ),
    ).toBe(303);
    expect(await signInsFrom('north-user')).toEqual(['203.0.113.7']);
  });

  it('past CloudFront, straight to the API: the source IP, whatever the headers claim', async () => {
    expect(
      await send(
        signInEvent('cm-north', '192.0.2.44', {
          [VIEWER_ADDRESS_HEADER]: '198.51.100.9',
          'x-forwarded-for': '198.51.100.9',
        }),
      ),
    ).toBe(303);
    // A guessed secret is no better than none.
    expect(
      await send(
        signInEvent('cm-north', '192.0.2.45', {
          [ORIGIN_SECRET_HEADER]: 'a-guess',
          [VIEWER_ADDRESS_HEADER]: '198.51.100.9',
        }),
      ),
    ).toBe(303);
    // Both at the same instant (the app's clock is fixed), so in no particular order.
    expect((await signInsFrom('cm-north')).sort()).toEqual(['192.0.2.44', '192.0.2.45']);
  });

  it('a viewer header that is not an address falls back to the source IP', async () => {
    expect(
      await send(
        signInEvent('comm', '130.176.0.2', {
          [ORIGIN_SECRET_HEADER]: originSecret,
          [VIEWER_ADDRESS_HEADER]: '<script>',
        }),
      ),
    ).toBe(303);
    expect(await signInsFrom('comm')).toEqual(['130.176.0.2']);
  });
});
