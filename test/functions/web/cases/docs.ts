/** Route × role cases for the API description (functions/web/routes/docs.ts). */
import { signedIn, type Case, type CasesFor } from './common.js';

export const cases: CasesFor = (): Case[] => [
  { route: 'GET /api/openapi.json', url: '/api/openapi.json', expect: signedIn(401, 200) },
];
