/** Route × role cases for the delivery partner's page (functions/web/routes/partner.ts, ADR 042). */
import { signedIn, type Case, type CasesFor, type Expect } from './common.js';

// Only a delivery partner's user has the page: everyone else signed in is refused.
const partnerOnly = (ok: number): Expect => ({ ...signedIn(302, 403), 'partner-north': ok });

export const cases: CasesFor = async (): Promise<Case[]> => [
  { route: 'GET /partner', url: '/partner', expect: partnerOnly(200) },
  { route: 'GET /partner', url: '/partner?grain=programme_year', expect: partnerOnly(200) },
  { route: 'GET /partner', url: '/partner?table=figures&format=csv', expect: partnerOnly(200) },
  { route: 'GET /partner', url: '/partner?grain=fortnight', expect: partnerOnly(400) },
];
