/**
 * What the web app is built from. The app takes its store, secret and clock as arguments rather
 * than reading `process.env`, so the same app runs under @hono/node-server and, later, as a
 * Lambda handler with an S3 store.
 */
import type { AthenaSettings } from '../../pipelines/analytics/athena.js';
import type { ObjectStore } from '../../pipelines/store/object-store.js';
import type { CognitoSettings } from './auth/cognito.js';
import type { ClientAddressOf } from './client-address.js';
import { inlineIntake, type Intake } from './intake.js';
import type { Mailer } from '../../pipelines/notify/mailer.js';

export interface AppDeps {
  store: ObjectStore;
  /** Signs session cookies and API tokens. Long and random; changing it signs everyone out. */
  sessionSecret: string;
  /** The clock: when uploads are received, tokens expire and the marts are as at. Default the real one. */
  now?: () => Date;
  /**
   * Where ad-hoc analytics queries run: Athena with these settings (in AWS, built by the API
   * function from its environment: functions/lambda/api.ts), or, when unset or null, DuckDB over
   * the local marts.
   */
  athena?: AthenaSettings | null;
  /** Sign in with Cognito (AWS) instead of picking a demo user (local). ADR 015, ADR 018. */
  cognito?: CognitoSettings;
  /**
   * The store the restricted engine copies the published tables from (ADR 020). Default `store`;
   * in AWS the same buckets read under the published-reader role, which may read only the
   * published prefix, so even the copying cannot pick up a true figure.
   */
  publishedSource?: ObjectStore;
  /** What happens to an upload: ingested in the request (default, `inlineIntake`) or queued for the ingest function (AWS). */
  intake?: Intake;
  /**
   * Where a request came from, as the platform saw it: the socket's peer (./server.ts), API
   * Gateway's source IP (functions/lambda/api.ts). Default: unknown (requests made in-process).
   */
  clientAddress?: ClientAddressOf;
  /**
   * Where the notices of a return accepted, queried or rejected go as they happen (ADR 025):
   * SMTP locally (OUTTURN_SMTP_URL), SES in AWS. None (the default): nothing is sent, and the
   * log says so; the daily `notify` job sends them once a mailer is configured.
   */
  mailer?: Mailer | null;
}

/** `AppDeps` with the defaults filled in. */
export interface Deps extends Required<Omit<AppDeps, 'cognito'>> {
  /** Unset locally. */
  cognito: CognitoSettings | undefined;
}

export function withDefaults(deps: AppDeps): Deps {
  if (deps.sessionSecret.length < 32)
    throw new Error('The session secret must be at least 32 characters long.');
  return {
    store: deps.store,
    sessionSecret: deps.sessionSecret,
    now: deps.now ?? (() => new Date()),
    athena: deps.athena ?? null,
    cognito: deps.cognito,
    intake: deps.intake ?? inlineIntake,
    clientAddress: deps.clientAddress ?? (() => undefined),
    publishedSource: deps.publishedSource ?? deps.store,
    mailer: deps.mailer ?? null,
  };
}
