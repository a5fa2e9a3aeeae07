/** Route × role cases for reopening a locked or closed month (ADR 032; functions/web/routes/manager.ts). */
import type { Case, CasesFor, Expect } from './common.js';

// Who may reopen: the contract's manager and admins, the same as who may accept a return.
const reopenPlp = (ok: number): Expect => ({
  anonymous: 302,
  'acme-user': 403,
  'north-user': 403,
  'partner-north': 403,
  'cm-north': ok,
  comm: 403,
  admin: ok,
});
const reopenSouth = (ok: number): Expect => ({
  anonymous: 302,
  'acme-user': 403,
  'north-user': 403,
  'partner-north': 403,
  'cm-north': 403,
  comm: 403,
  admin: ok,
});
const reason = (text: string) => () => new URLSearchParams({ reason: text });

export const cases: CasesFor = (): Case[] => [
  // June 2025 has no return and the test programmes never close: it is open, so nothing to reopen.
  {
    route: 'POST /contracts/:id/months/:period/reopen',
    url: '/contracts/plp-test/months/2025-06/reopen',
    form: reason('A start date was wrong'),
    expect: reopenPlp(409),
  },
  {
    route: 'POST /contracts/:id/months/:period/reopen',
    url: '/contracts/plp-test/months/2025-06/reopen',
    form: reason(''),
    expect: reopenPlp(400),
  },
  {
    route: 'POST /contracts/:id/months/:period/reopen',
    url: '/contracts/plp-test/months/June/reopen',
    form: reason('x'),
    expect: reopenPlp(400),
  },
  {
    route: 'POST /contracts/:id/months/:period/reopen',
    url: '/contracts/vrs-south/months/2025-06/reopen',
    form: reason('A start date was wrong'),
    expect: reopenSouth(409),
  },
];
