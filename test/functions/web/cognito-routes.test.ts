/**
 * The route × role matrix in Cognito mode: the same cases as routes.test.ts, with callers signed
 * in through the hosted UI flow (session cookie) or holding Cognito access tokens (the API), so
 * every route is shown to judge a Cognito caller exactly as a local one. Only the sign-in routes
 * answer differently, and those differences are written out here.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isGuarded } from '../../../functions/web/auth/guard.js';
import { all, type Case } from './cases/common.js';
import { cognitoFixture, DOMAIN, type CognitoFixture } from './cognito-fixture.js';
import { NOW, routesOf } from './fixture.js';
import { matrixCases, matrixFailures } from './matrix.js';

/** How the sign-in routes answer in Cognito mode, by route. */
const inCognitoMode: Record<string, Partial<Case>> = {
  // To the hosted UI, whoever asks.
  'GET /sign-in': {
    expect: all(302),
    location: new RegExp(`^${DOMAIN.replace(/\./g, '\\.')}/oauth2/authorize\\?`),
  },
  // Picking a demo user is switched off.
  'POST /sign-in': { expect: all(403) },
  // To Cognito's logout, whoever asks.
  'POST /sign-out': { expect: all(303) },
  // No sign-in was started in this "browser": no flow cookie.
  'GET /auth/callback': { expect: all(400) },
};

let f: CognitoFixture;
let cases: Case[];

beforeAll(async () => {
  f = await cognitoFixture();
  vi.setSystemTime(NOW); // aws-jwt-verify's clock, to agree with the app's (see cognito-fixture.ts)
  cases = (await matrixCases(f)).map((c) => ({ ...c, ...inCognitoMode[c.route] }));
});
afterAll(() => {
  vi.useRealTimers();
});

describe('the route × role matrix with Cognito sign-in', () => {
  it('covers every registered route, each through the guard, and the sign-in routes answer as written', () => {
    const registered = new Set(routesOf(f.app).map((r) => `${r.method} ${r.path}`));
    expect(new Set(cases.map((c) => c.route))).toEqual(registered);
    for (const r of routesOf(f.app))
      expect(isGuarded(r.handler), `${r.method} ${r.path}`).toBe(true);
    for (const route of Object.keys(inCognitoMode)) expect(registered.has(route), route).toBe(true);
  });

  it('gives each caller the status written down for each route', async () => {
    expect(await matrixFailures(f, cases)).toEqual([]);
  });
});
