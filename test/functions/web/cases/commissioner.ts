/** Route × role cases for the commissioner area (functions/web/routes/commissioner.ts). */
import type { Case, CasesFor } from './common.js';

const route = 'GET /programmes/:programme';

const measures = 'GET /programmes/:programme/measures';
const fair = 'GET /programmes/:programme/fair-comparison';
const problems = 'GET /programmes/:programme/validation-problems';
const scores = 'GET /programmes/:programme/data-quality';
const ranking = 'GET /programmes/:programme/ranking';
const commissioners = (comm: number) => ({
  anonymous: 302,
  'acme-user': 403,
  'north-user': 403,
  'partner-north': 403,
  'cm-north': 403,
  comm,
  admin: 200,
});

export const cases: CasesFor = (): Case[] => [
  { route: measures, url: '/programmes/vrs/measures', expect: commissioners(200) },
  {
    route: measures,
    url: '/programmes/vrs/measures?breakdown=support_tier&table=figures&format=csv',
    expect: commissioners(200),
  },
  {
    route: measures,
    url: '/programmes/vrs/measures?grain=programme_year&breakdown=sex&table=transitions&format=xlsx',
    expect: commissioners(200),
  },
  // Commissioners are given the term and programme years only (ADR 035), by the event cohort.
  {
    route: measures,
    url: '/programmes/vrs/measures?grain=month',
    expect: { ...commissioners(400), admin: 400 },
  },
  {
    route: measures,
    url: '/programmes/vrs/measures?cohort=referral',
    expect: { ...commissioners(400), admin: 400 },
  },
  { route: measures, url: '/programmes/agg/measures', expect: commissioners(403) },
  { route: ranking, url: '/programmes/vrs/ranking', expect: commissioners(200) },
  {
    route: ranking,
    url: '/programmes/vrs/ranking?sort=starts&dir=asc&table=ranking&format=csv',
    expect: commissioners(200),
  },
  {
    route: ranking,
    url: '/programmes/vrs/ranking?sort=__proto__&dir=sideways',
    expect: { ...commissioners(400), admin: 400 },
  },
  { route: ranking, url: '/programmes/agg/ranking', expect: commissioners(403) },
  { route: fair, url: '/programmes/plp/fair-comparison', expect: commissioners(200) },
  {
    route: fair,
    url: '/programmes/plp/fair-comparison?table=comparison&format=xlsx',
    expect: commissioners(200),
  },
  { route: fair, url: '/programmes/agg/fair-comparison', expect: commissioners(403) },
  { route: problems, url: '/programmes/plp/validation-problems', expect: commissioners(200) },
  {
    route: problems,
    url: '/programmes/plp/validation-problems?table=problems&format=csv',
    expect: commissioners(200),
  },
  { route: problems, url: '/programmes/agg/validation-problems', expect: commissioners(403) },
  { route: scores, url: '/programmes/plp/data-quality', expect: commissioners(200) },
  {
    route: scores,
    url: '/programmes/plp/data-quality?table=scores&format=xlsx',
    expect: commissioners(200),
  },
  { route: scores, url: '/programmes/agg/data-quality', expect: commissioners(403) },
  // comm commissions plp and vrs; providers and contract managers see their contracts elsewhere.
  {
    route,
    url: '/programmes/plp',
    expect: {
      anonymous: 302,
      'acme-user': 403,
      'north-user': 403,
      'partner-north': 403,
      'cm-north': 403,
      comm: 200,
      admin: 200,
    },
  },
  {
    route,
    url: '/programmes/vrs?area=D02&period=2025-01&breakdown=sex',
    expect: {
      anonymous: 302,
      'acme-user': 403,
      'north-user': 403,
      'partner-north': 403,
      'cm-north': 403,
      comm: 200,
      admin: 200,
    },
  },
  { route, url: '/programmes/plp?highlight=acme', expect: commissioners(200) },
  // nhs-north holds no plp contract: a 400 with the error summary, for whoever may see the page.
  {
    route,
    url: '/programmes/plp?highlight=nhs-north',
    expect: { ...commissioners(400), admin: 400 },
  },
  {
    route,
    url: '/programmes/agg',
    expect: {
      anonymous: 302,
      'acme-user': 403,
      'north-user': 403,
      'partner-north': 403,
      'cm-north': 403,
      comm: 403,
      admin: 200,
    },
  },
  {
    route,
    url: '/programmes/no-such-programme',
    expect: {
      anonymous: 302,
      'acme-user': 403,
      'north-user': 403,
      'partner-north': 403,
      'cm-north': 403,
      comm: 404,
      admin: 404,
    },
  },
];
