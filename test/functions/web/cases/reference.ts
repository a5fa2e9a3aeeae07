/** Route × role cases for managing reference data (functions/web/routes/reference.ts). */
import type { Case, CasesFor, Expect } from './common.js';

/** Commissioners and administrators manage reference data; no one else may, and anonymous callers sign in first. */
const managers = (status: number): Expect => ({
  anonymous: 302,
  'acme-user': 403,
  'north-user': 403,
  'partner-north': 403,
  'cm-north': 403,
  comm: status,
  admin: status,
});

const form = (fields: Record<string, string>, file?: { name: string; text: string }) => () => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  if (file) f.append('file', new File([file.text], file.name, { type: 'text/csv' }));
  return f;
};

export const cases: CasesFor = (): Case[] => [
  { route: 'GET /reference', url: '/reference', expect: managers(200) },
  { route: 'GET /reference', url: '/reference?uploaded=profiles', expect: managers(200) },
  { route: 'GET /reference/upload', url: '/reference/upload', expect: managers(200) },
  { route: 'GET /reference/contracts.csv', url: '/reference/contracts.csv', expect: managers(200) },
  { route: 'GET /reference/profiles.csv', url: '/reference/profiles.csv', expect: managers(200) },
  {
    route: 'GET /reference/contracts.xlsx',
    url: '/reference/contracts.xlsx',
    expect: managers(200),
  },
  { route: 'GET /reference/profiles.xlsx', url: '/reference/profiles.xlsx', expect: managers(200) },
  // No file chosen: the form again with an error. Nothing is changed for anyone.
  {
    route: 'POST /reference/upload',
    url: '/reference/upload',
    form: form({ kind: 'profiles' }),
    expect: managers(400),
  },
  // A profile for a contract that does not exist: the report, and nothing changed.
  {
    route: 'POST /reference/upload',
    url: '/reference/upload',
    form: form(
      { kind: 'profiles' },
      {
        name: 'profiles.csv',
        text: 'contract_id,measure_id,period,target\nno-such-contract,referrals,2025-01,5\n',
      },
    ),
    expect: managers(422),
  },
];
