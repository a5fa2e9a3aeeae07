/**
 * Routes of the commissioner area of the app: the programme overview, read through the restricted
 * engine for the caller (only the published tables, only their contracts' rows: ADR 020).
 */
import { withMarts } from '../../../pipelines/transform/query.js';
import { renderPage } from '../../../reports/page.js';
import {
  breakdownsQuery,
  programmeOverview,
  programmeTables,
} from '../../../reports/pages/programme-overview/index.js';
import { measureFilters, programmeMeasures } from '../../../reports/pages/measures/index.js';
import { pageOrDownload } from './manager.js';
import { route, type Route } from '../auth/guard.js';
import { cachedPage } from '../page-cache.js';
import { withFiguresBehind } from '../figures-behind.js';
import { readFilters } from '../../../reports/pages/programme-overview/filters.js';
import { openPublished } from '../published.js';
import { WebError } from '../errors.js';
import { askedDownload, downloadHref, sendDownload, wantsDownload } from './downloads.js';

export const commissionerRoutes: Route[] = [
  // The programme's own measures to date, suppressed, read through the restricted engine.
  route(
    'GET',
    '/programmes/:programme/measures',
    { access: 'read-programme', from: { param: 'programme' } },
    async (c, { deps, caller, programme }) => {
      const filters = measureFilters(
        c.req.query('breakdown'),
        c.req.query('grain'),
        c.req.query('cohort'),
        true,
      );
      if (!filters)
        throw new WebError(
          400,
          'Choose a breakdown by its name (for example support_tier) and a period: programme_year or to_date.',
        );
      const contracts = caller.reference.contracts
        .filter((x) => x.programme_id === programme.id)
        .map((x) => x.id);
      const base = `/programmes/${encodeURIComponent(programme.id)}/measures`;
      // No marts yet: openPublished's NoMartsYetError answers 503 through app.onError.
      const db = await openPublished(deps, caller);
      try {
        return await pageOrDownload(
          c,
          programmeMeasures,
          db,
          {
            params: { contracts: contracts.join(','), title: programme.name, ...filters },
            navigation: [{ text: 'Your contracts', href: '/' }],
            downloadHref: downloadHref(base, {
              breakdown: filters.breakdown,
              grain: filters.grain,
            }),
          },
          `${programme.id}-measures`,
        );
      } finally {
        db.close();
      }
    },
  ),

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
      if (wantsDownload(c)) {
        const asked = askedDownload(c, { tables: programmeTables })!;
        return withMarts(
          () => openPublished(deps, caller),
          async (db) => {
            const breakdowns = (
              await db.query(breakdownsQuery, { programme: programme.id })
            ).rows.map((r) => String(r.breakdown));
            const { filters, entered, errors } = readFilters(query, {
              areas: contracts.map((x) => x.areaCode),
              breakdowns,
            });
            if (asked.table === 'breakdown' && !filters.breakdown)
              throw new WebError(
                400,
                breakdowns.length
                  ? `Say which breakdown to download: add breakdown= and one of ${breakdowns.join(', ')}.`
                  : 'There are no breakdowns for this programme yet.',
              );
            if (errors.length) throw new WebError(400, `${errors.map((e) => e.text).join('. ')}.`);
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
            const params = {
              programme: programme.id,
              contracts: shown.map((x) => x.id).join(','),
              providers: [...new Set(shown.map((x) => x.providerId))].join(','),
              period: filters.period,
              breakdown: filters.breakdown,
            };
            const suffix = [filters.breakdown, filters.area, filters.period]
              .filter(Boolean)
              .join('-');
            return sendDownload(c, overview, db, { params }, asked, programme.id, suffix);
          },
        );
      }
      const key = `programme|${programme.id}|${JSON.stringify(query)}`;
      const page = await cachedPage(deps.store, key, () =>
        withMarts(
          () => openPublished(deps, caller),
          async (db) => {
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
              downloadHref: downloadHref(`/programmes/${encodeURIComponent(programme.id)}`, {
                ...filters,
              }),
            });
            return { html: body.toString(), status: errors.length ? 400 : 200 };
          },
        ),
      );
      // The suppressed pages name no single return, so the banner does not either.
      const shown = contracts.map((x) => x.id);
      return c.html(
        await withFiguresBehind(deps.store, page.html, shown, { name: false }),
        page.status as 200,
      );
    },
  ),
];
