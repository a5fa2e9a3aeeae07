/** Route × role cases for the preferences page (ADR 025): everyone signed in, for themselves only. */
import { signedIn, type Case, type CasesFor } from './common.js';

export const cases: CasesFor = (): Case[] => [
  { route: 'GET /notifications', url: '/notifications', expect: signedIn(302, 200) },
  {
    route: 'POST /notifications',
    url: '/notifications',
    form: () => new URLSearchParams({ notice: 'return_queried' }),
    expect: signedIn(302, 303),
  },
];
