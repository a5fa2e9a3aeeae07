/**
 * The API's own description: GET /api/openapi.json, made from the registered routes.
 *
 * It holds no data, but it is for signed-in callers: the route tests require every /api/ route
 * to answer 401 to an anonymous request or a bad token (routes.test.ts, "anonymous requests").
 */
import { route, type Route } from '../auth/guard.js';
import { openApiDocument } from '../openapi.js';

/** The document describes the routes it is given (index.ts gives it every other route and itself). */
export function docsRoutes(described: () => readonly Route[]): Route[] {
  return [
    route('GET', '/api/openapi.json', { access: 'signed-in' }, (c) =>
      c.json(openApiDocument(described())),
    ),
  ];
}
