/**
 * Route × role cases for the Cognito callback (functions/web/routes/pages.ts). Locally there is
 * no Cognito, so it is a 404 for everyone; cognito-routes.test.ts runs it in Cognito mode.
 */
import { all, type Case, type CasesFor } from './common.js';

export const cases: CasesFor = (): Case[] => [
  {
    route: 'GET /auth/callback',
    url: '/auth/callback?code=a-code&state=a-state',
    expect: all(404),
  },
];
