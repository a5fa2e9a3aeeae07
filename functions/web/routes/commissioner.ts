/**
 * Routes of the commissioner area of the app: the programme overview, read through the restricted
 * engine for the caller (only the published tables, only their contracts' rows: ADR 020).
 */
import { QueryError } from '../../../pipelines/transform/query.js';
import { html } from '../../../reports/html.js';
import { layout } from '../../../reports/layout.js';
import { renderPage } from '../../../reports/page.js';
import { breakdownsQuery, programmeOverview } from '../../../reports/pages/programme-overview.js';
import { route, type Route } from '../auth/guard.js';
import { cachedPage } from '../page-cache.js';
import { readFilters } from '../pages/commissioner/programme.js';
import { openPublished } from '../published.js';

export const commissionerRoutes: Route[] = [
  route(
    'GET',
    '/programmes/:programme',
    { access: 'read-programme', from: { param: 'programme' } },
    async (c, { deps, caller, programme }) => {
      const { reference } = caller;
      const providers = new Map(reference.providers.map((p) => [p.id, p.name]));
      const contracts = reference.contracts
        .filter((x) => x.programme_id === programme.id)
        .map((x) => ({
          id: x.id,
          providerId: x.provider_id,
          providerName: providers.get(x.provider_id) ?? x.provider_id,
          areaCode: x.area.code,
          areaName: x.area.name,
        }));
      const query = {
        area: c.req.query('area'),
        period: c.req.query('period'),
        breakdown: c.req.query('breakdown'),
      };
      const key = `programme|${programme.id}|${JSON.stringify(query)}`;
      const page = await cachedPage(deps.store, key, async () => {
        const db = await openPublished(deps, caller);
        try {
          const breakdowns = (
            await db.query(breakdownsQuery, { programme: programme.id })
          ).rows.map((r) => String(r.breakdown));
          const { filters, entered, errors } = readFilters(query, {
            areas: contracts.map((x) => x.areaCode),
            breakdowns,
          });
          const shown = contracts.filter((x) => !filters.area || x.areaCode === filters.area);
          const overview = programmeOverview({
            programme: { id: programme.id, name: programme.name },
            profiledMeasures: programme.measures.filter((m) => m.profiled).map((m) => m.id),
            contracts,
            breakdowns,
            filters,
            entered,
            errors,
          });
          const body = await renderPage(overview, db, {
            params: {
              programme: programme.id,
              contracts: shown.map((x) => x.id).join(','),
              providers: [...new Set(shown.map((x) => x.providerId))].join(','),
              period: filters.period,
              breakdown: filters.breakdown,
            },
            navigation: [{ text: 'Your contracts', href: '/' }],
          });
          return { html: body.toString(), status: errors.length ? 400 : 200 };
        } finally {
          db.close();
        }
      }).catch((e: unknown) => {
        if (e instanceof QueryError) return null;
        throw e;
      });
      if (!page) {
        const content = html`<span class="govuk-caption-l">${programme.name}</span>
<h1 class="govuk-heading-l">Programme overview</h1>
<p class="govuk-body">There are no figures yet. They appear once a return has been accepted.</p>`;
        return c.html(
          layout({
            title: `Programme overview: ${programme.name}`,
            content,
            navigation: [{ text: 'Your contracts', href: '/' }],
          }).toString(),
        );
      }
      return c.html(page.html, page.status as 200);
    },
  ),
];
