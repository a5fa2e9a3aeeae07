/**
 * The API's own description: GET /api/openapi.json, made from the registered routes.
 *
 * It holds no data, but it is for signed-in callers: the route tests require every /api/ route
 * to answer 401 to an anonymous request or a bad token (routes.test.ts, "anonymous requests").
 */
import { route, type Route } from '../auth/guard.js';
import { openApiDocument } from '../openapi.js';
import { routes } from './index.js';

export const docsRoutes: Route[] = [
  // `routes` is read when the request comes, not at import: index.ts imports this file.
  route('GET', '/api/openapi.json', { who: 'signed-in' }, (c) => c.json(openApiDocument(routes))),
];
