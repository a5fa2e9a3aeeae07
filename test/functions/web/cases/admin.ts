/** Route × role cases for the admin area (functions/web/routes/admin.ts): administrators only. */
import { signedIn, type Case, type CasesFor, type Expect } from './common.js';

const adminOnly = (anonymous: number): Expect => ({ ...signedIn(anonymous, 403), admin: 200 });

export const cases: CasesFor = (): Case[] => [
  { route: 'GET /admin/audit', url: '/admin/audit', expect: adminOnly(302) },
  { route: 'GET /admin/audit.csv', url: '/admin/audit.csv', expect: adminOnly(302) },
];
