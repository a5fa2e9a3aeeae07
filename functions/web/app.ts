/**
 * The Outturn web app: pages and the JSON API over the pipeline. Built from its dependencies and
 * free of Node-only globals, so the same app runs on @hono/node-server locally (./server.ts) and
 * as a Lambda handler in AWS.
 */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { OutturnError } from '../../pipelines/errors.js';
import { ReferenceDataError } from '../../pipelines/reference/load.js';
import { prepareCognito } from './auth/cognito.js';
import { guard } from './auth/guard.js';
import { isApiPath } from './api-path.js';
import { boundedBodies } from './body-limits.js';
import { rememberClientAddress } from './client-address.js';
import { withDefaults, type AppDeps } from './deps.js';
import { WebError } from './errors.js';
import { routes } from './routes/index.js';
import { sameOriginForms } from './same-origin.js';
import { securityHeaders } from './security-headers.js';
import { unreadableBody } from './unreadable-body.js';

/**
 * @example
 * const app = createApp({ store: new LocalStore('./data'), sessionSecret });
 * const res = await app.request('/health'); // 200 {"status":"ok"}
 */
export function createApp(appDeps: AppDeps): Hono {
  const deps = withDefaults(appDeps);
  // Bad Cognito settings fail here, at the cold start, not at someone's first sign-in.
  if (deps.cognito) prepareCognito(deps.cognito);
  const app = new Hono();

  // Before any route, in this order: the headers go on every answer, refusals included; the
  // address is known before anything is audited; a cross-site form is refused before its body
  // is read, and a body over its limit before it is read whole (docs/decisions/020).
  app.use(securityHeaders(deps.cognito));
  app.use(rememberClientAddress(deps.clientAddress));
  app.use(sameOriginForms(deps));
  app.use(boundedBodies(deps.pipeline.uploadLimits));

  // The benchmark's baseline: no store, no auth, no work. Static on purpose.
  app.get(
    '/health',
    guard(deps, { access: 'anyone' }, (c) => c.json({ status: 'ok' })),
  );
  for (const r of routes) app.on(r.method, r.path, r.handler(deps));

  app.notFound((c) =>
    new WebError(404, `There is no page at ${c.req.path}. Check the address.`).render(c),
  );
  app.onError(async (err, c) => {
    if (err instanceof WebError) return err.render(c);
    if (err instanceof OutturnError) return WebError.from(err).render(c);
    const badBody = await unreadableBody(c, err);
    if (badBody) return badBody.render(c);
    if (err instanceof ReferenceDataError) {
      console.error(err.message);
      return new WebError(
        503,
        'Outturn has no reference data yet (or it is damaged), so no one can sign in. Load it with `npm start` or `npm run outturn -- demo --ingest`.',
      ).render(c);
    }
    if (err instanceof HTTPException)
      return new WebError(err.status, err.message || 'The request could not be handled.').render(c);
    console.error(`${c.req.method} ${c.req.path} failed:`, err);
    const message = 'Sorry, something went wrong on our side. Try again later.';
    return isApiPath(c.req.path)
      ? c.json({ error: message }, 500)
      : new WebError(500, message).render(c);
  });
  return app;
}
