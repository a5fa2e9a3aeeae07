/**
 * The web app over a real pipeline in a temp folder: the test reference data plus one contract
 * in another portfolio, returns ingested and marts built, and helpers to sign in as anyone.
 */
import { parseReferenceData } from '../../../pipelines/reference/load.js';
import type { ReferenceData } from '../../../pipelines/reference/schema.js';
import { S3Client } from '@aws-sdk/client-s3';
import { createApp } from '../../../functions/web/app.js';
import { queuedIntake } from '../../../functions/web/queued-intake.js';
import type { TransformRequest, TransformRequests } from '../../../pipelines/transform/requests.js';
import { issueToken } from '../../../functions/web/auth/tokens.js';
import { participants } from '../../fixtures/returns.js';
import { pipelineWith, type PipelineFixture } from '../../fixtures/pipeline.js';
import { testReference } from '../../fixtures/reference.js';

export const SECRET = 'a-test-secret-that-is-long-enough-to-sign-with';
/** The origin of `app.request('/path')`: what a browser sends as Origin with the app's own forms. */
export const ORIGIN = 'http://localhost';
/** The header a browser adds to every form it posts from one of the app's pages. */
export const SAME_ORIGIN = { origin: ORIGIN } as const;
/** The fixture's marts are as at 2026-11-26, so uploads on that day rebuild incrementally. */
export const NOW = new Date('2026-11-26T12:00:00.000Z');

/**
 * Contracts: plp-test (acme, portfolio north, programme plp), vrs-test (nhs-north, north, vrs),
 * agg-test (acme, north, agg) and vrs-south (nhs-north, portfolio south, vrs).
 * Users: acme-user and north-user (providers), partner-north (nhs-north as plp-test's delivery
 * partner, ADR 042), cm-north (portfolio north), cm-south (portfolio south, beside the role
 * matrix), comm (plp and vrs), admin.
 */
export function webReference(): ReferenceData {
  const base = testReference();
  const vrs = base.contracts.find((c) => c.id === 'vrs-test')!;
  return parseReferenceData({
    ...base,
    contracts: [
      ...base.contracts,
      {
        ...vrs,
        id: 'vrs-south',
        portfolio: 'south',
        area: { code: 'D02', name: 'South District' },
      },
    ],
    users: [
      ...base.users,
      { id: 'cm-south', name: 'Sara Manager', role: 'contract_manager', portfolio: 'south' },
    ],
  });
}

/**
 * The app's routes, without the middleware every request passes first (registered with
 * `app.use`, so listed as `ALL /*`: security headers, client address, CSRF, body limits).
 */
export function routesOf(app: ReturnType<typeof createApp>) {
  return app.routes.filter((r) => !(r.method === 'ALL' && r.path === '/*'));
}

export type Who =
  'anonymous' | 'acme-user' | 'north-user' | 'partner-north' | 'cm-north' | 'comm' | 'admin';
export const everyone: readonly Who[] = [
  'anonymous',
  'acme-user',
  'north-user',
  'partner-north',
  'cm-north',
  'comm',
  'admin',
];

export interface WebFixture {
  pipeline: PipelineFixture;
  app: ReturnType<typeof createApp>;
  /**
   * The same app over the same store with the queued pipeline, as in AWS. Its rebuild requests
   * are recorded in `requested` (there is no queue here), and its upload URLs are presigned
   * offline for a bucket that does not exist: nothing is sent anywhere.
   */
  queuedApp: ReturnType<typeof createApp>;
  /** The queued intake `queuedApp` was built with, for apps built in other modes (Cognito). */
  queued: NonNullable<Parameters<typeof createApp>[0]['intake']>;
  requested: { request: TransformRequest; deduplicationId: string }[];
  /** The `Cookie` header of a session for the user, made through POST /sign-in (once, then kept). */
  cookie(userId: string): Promise<string>;
  /** A new session for the user, not kept: for signing out without ending the kept one. */
  freshCookie(userId: string): Promise<string>;
  /** The app's own origin, which a browser sends as Origin with the app's forms. */
  origin: string;
  token(userId: string, options?: { now?: Date; seconds?: number }): Promise<string>;
  /**
   * Headers that sign the request in as `who`: the session cookie (with the app's own Origin, as
   * a browser sends it) for pages, a bearer token for /api/.
   */
  as(who: Who, path: string): Promise<Record<string, string>>;
}

/** plp-test's January return in the fixture: six participants, two of them with its delivery partner. */
export const plpJanuary = () =>
  participants(6, (i) => (i < 2 ? { delivery_partner: 'nhs-north' } : {}));

/** Six January participants on plp-test and three on vrs-south, marts built. */
export async function webFixture(): Promise<WebFixture> {
  const pipeline = await pipelineWith(webReference(), [
    // Two of plp-test's six are supported by its delivery partner, nhs-north (ADR 042).
    {
      contractId: 'plp-test',
      period: '2025-01',
      rows: plpJanuary(),
    },
    { contractId: 'vrs-south', period: '2025-01', rows: participants(3) },
  ]);
  const app = createApp({ store: pipeline.store, sessionSecret: SECRET, now: () => NOW });
  const requested: WebFixture['requested'] = [];
  const requests: TransformRequests = {
    send: async (request, deduplicationId) => void requested.push({ request, deduplicationId }),
  };
  const client = new S3Client({
    region: 'eu-west-2',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-real-secret' },
  });
  const queued = queuedIntake({ requests, uploads: { client, bucket: 'outturn-raw-test' } });
  const queuedApp = createApp({
    store: pipeline.store,
    sessionSecret: SECRET,
    now: () => NOW,
    intake: queued,
  });
  const cookies = new Map<string, string>();
  const signIn = async (userId: string) => {
    const res = await app.request('/sign-in', {
      method: 'POST',
      body: new URLSearchParams({ user: userId }),
      headers: SAME_ORIGIN,
    });
    const set = res.headers.get('set-cookie');
    if (res.status !== 303 || !set)
      throw new Error(`signing in as ${userId} failed: ${res.status}`);
    return set.split(';')[0]!;
  };
  const fixture: WebFixture = {
    pipeline,
    app,
    queuedApp,
    queued,
    requested,
    async cookie(userId) {
      const known = cookies.get(userId);
      if (known) return known;
      const cookie = await signIn(userId);
      cookies.set(userId, cookie);
      return cookie;
    },
    freshCookie: signIn,
    origin: ORIGIN,
    token: (userId, options = {}) =>
      issueToken(userId, SECRET, { now: options.now ?? NOW, seconds: options.seconds }),
    async as(who, path): Promise<Record<string, string>> {
      if (who === 'anonymous') return path.startsWith('/api/') ? {} : { ...SAME_ORIGIN };
      if (path.startsWith('/api/')) return { authorization: `Bearer ${await fixture.token(who)}` };
      return { cookie: await fixture.cookie(who), ...SAME_ORIGIN };
    },
  };
  return fixture;
}
