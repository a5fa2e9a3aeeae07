/**
 * The pieces of the route × role matrix (routes.test.ts): a case is a URL, the route it hits and
 * the status each kind of caller must get. Areas of the app add cases in cases/<area>.ts.
 */
import { csvOf, participants } from '../../../fixtures/returns.js';
import type { WebFixture, Who } from '../fixture.js';

export type Expect = Record<Who, number>;

export interface Case {
  /** The route as registered, e.g. `GET /contracts/:id`. */
  route: string;
  url: string;
  /** Where a 302 must send the caller; default `/sign-in`. */
  location?: RegExp;
  /** Form fields (or, for an /api/ route that takes JSON, the JSON text) for a POST; a function so each caller can send different bytes. */
  form?: (who: Who) => FormData | URLSearchParams | string;
  expect: Expect;
  /** Ask the app with the queued pipeline (AWS) rather than the inline one. */
  app?: 'queued';
  /** Sign in anew for this case (signing out ends the session it is sent with). */
  session?: 'fresh';
}

export const all = (status: number): Expect => ({
  anonymous: status,
  'acme-user': status,
  'north-user': status,
  'partner-north': status,
  'cm-north': status,
  comm: status,
  admin: status,
});
export const signedIn = (anonymous: number, status: number): Expect => ({
  ...all(status),
  anonymous,
});

// Who may see each contract (see fixture.ts): 200 where they may, 403 where they may not.
export const seePlp = (anonymous: number): Expect => ({
  anonymous,
  'acme-user': 200,
  'north-user': 403,
  // A delivery partner sees its participants' figures on /partner, never the contract (ADR 042).
  'partner-north': 403,
  'cm-north': 200,
  comm: 200,
  admin: 200,
});
export const seeVrsSouth = (anonymous: number): Expect => ({
  anonymous,
  'acme-user': 403,
  'north-user': 200,
  'partner-north': 403,
  'cm-north': 403,
  comm: 200,
  admin: 200,
});
export const seeAgg = (anonymous: number): Expect => ({
  anonymous,
  'acme-user': 200,
  'north-user': 403,
  'partner-north': 403,
  'cm-north': 200,
  comm: 403,
  admin: 200,
});

/** A good return, different for each caller and period so that none is a duplicate. */
export function upload(contract: string, period: string) {
  return (who: Who) => {
    const form = new FormData();
    const rows = participants(who.length + 1, () => ({
      referral_date: `${period}-03`,
      first_contact_date: `${period}-05`,
      start_date: '',
    }));
    form.append('file', new File([csvOf(rows)], `${who}.csv`, { type: 'text/csv' }));
    form.append('contract', contract);
    form.append('period', period);
    return form;
  };
}

/** What a cases/<area>.ts file exports: its cases, given the fixture (for ids it must look up). */
export type CasesFor = (f: WebFixture) => Promise<Case[]> | Case[];
