/**
 * Routes of the commissioner area of the app: the programme overview, read through the restricted
 * engine for the caller (only the published tables, only their contracts' rows: ADR 020).
 */
import { withMarts } from '../../../pipelines/transform/query.js';
import { renderPage } from '../../../reports/page.js';
import { ragRuleIn } from '../../../reports/names.js';
import {
  breakdownsQuery,
  programmeOverview,
  programmeTables,
} from '../../../reports/pages/programme-overview/index.js';
import { measureFilters, programmeMeasures } from '../../../reports/pages/measures/index.js';
import { fairComparisonPage } from '../../../reports/pages/fair-comparison/index.js';
import { validationProblemsPage } from '../../../reports/pages/validation-problems/index.js';
import { dataQualityScoresPage } from '../../../reports/pages/data-quality-scores/index.js';
import { rankingPage, rankingSort, SORTS } from '../../../reports/pages/ranking/index.js';
import { pageOrDownload } from './manager.js';
import { route, type Caller, type Route } from '../auth/guard.js';
import { cachedBytes, cachedPage, MAX_BYTES, type RenderedPage } from '../page-cache.js';
import type { Deps } from '../deps.js';
import {
  interventionOf,
  type Programme,
  type ReferenceData,
} from '../../../pipelines/reference/schema.js';
import { getJson } from '../../../pipelines/store/object-store.js';
import { CURRENT_KEY } from '../../../pipelines/transform/curated.js';
import { scopeKey } from '../../../pipelines/analytics/restricted.js';
import { restrictedScope } from '../../../pipelines/access/index.js';
import { withFiguresBehind } from '../figures-behind.js';
import { readFilters } from '../../../reports/pages/programme-overview/filters.js';
import { openPublishedForPages } from '../published.js';
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
      const context = {
        params: { contracts: contracts.join(','), title: programme.name, ...filters },
        navigation: [{ text: 'Your contracts', href: '/' }],
        downloadHref: downloadHref(base, { breakdown: filters.breakdown, grain: filters.grain }),
      };
      // No marts yet: openPublished's NoMartsYetError answers 503 through app.onError.
      if (wantsDownload(c))
        return withMarts(
          () => openPublishedForPages(deps, caller),
          (db) => pageOrDownload(c, programmeMeasures, db, context, `${programme.id}-measures`),
        );
      // The same page for everyone of the same scope until the next build (docs/decisions/049):
      // keyed by the scope, as the restricted engine it is read from.
      const scope = scopeKey(restrictedScope(caller.user, caller.reference));
      const key = `programme-measures|${scope}|${programme.id}|${filters.breakdown}|${filters.grain}|${filters.cohort}`;
      const page = await cachedPage(deps.store, key, () =>
        withMarts(
          () => openPublishedForPages(deps, caller),
          async (db) => ({
            html: (await renderPage(programmeMeasures, db, context)).toString(),
            status: 200,
          }),
        ),
      );
      return c.html(page.html);
    },
  ),

  // The most common validation problems across the programme's providers (issue 14).
  route(
    'GET',
    '/programmes/:programme/validation-problems',
    { access: 'read-programme', from: { param: 'programme' } },
    async (c, { deps, caller, programme }) => {
      const db = await openPublishedForPages(deps, caller);
      try {
        return await pageOrDownload(
          c,
          validationProblemsPage,
          db,
          {
            params: { programme: programme.id, title: programme.name },
            navigation: [{ text: 'Your contracts', href: '/' }],
            downloadHref: downloadHref(
              `/programmes/${encodeURIComponent(programme.id)}/validation-problems`,
            ),
          },
          `${programme.id}-validation-problems`,
        );
      } finally {
        db.close();
      }
    },
  ),

  // Each provider's monthly data-quality score (issue 14): shares and counts of returns only.
  route(
    'GET',
    '/programmes/:programme/data-quality',
    { access: 'read-programme', from: { param: 'programme' } },
    async (c, { deps, caller, programme }) => {
      const names = Object.fromEntries(
        programmeContracts(caller.reference, programme).map((x) => [x.providerId, x.providerName]),
      );
      const db = await openPublishedForPages(deps, caller);
      try {
        return await pageOrDownload(
          c,
          dataQualityScoresPage(names),
          db,
          {
            params: { programme: programme.id, title: programme.name },
            navigation: [{ text: 'Your contracts', href: '/' }],
            downloadHref: downloadHref(
              `/programmes/${encodeURIComponent(programme.id)}/data-quality`,
            ),
          },
          `${programme.id}-data-quality`,
        );
      } finally {
        db.close();
      }
    },
  ),

  // The programme's providers ranked, sorted by links (issue 13), suppressed.
  route(
    'GET',
    '/programmes/:programme/ranking',
    { access: 'read-programme', from: { param: 'programme' } },
    async (c, { deps, caller, programme }) => {
      const sort = rankingSort.safeParse({
        sort: c.req.query('sort') || undefined,
        dir: c.req.query('dir') || undefined,
      });
      if (!sort.success)
        throw new WebError(
          400,
          `Sort by one of ${Object.keys(SORTS).join(', ')}, with dir=asc or dir=desc.`,
        );
      const contracts = programmeContracts(caller.reference, programme);
      const base = `/programmes/${encodeURIComponent(programme.id)}/ranking`;
      const db = await openPublishedForPages(deps, caller);
      try {
        return await pageOrDownload(
          c,
          rankingPage({
            programme: { id: programme.id, name: programme.name },
            rule: interventionOf(programme),
            contracts,
            sort: sort.data,
          }),
          db,
          {
            params: { programme: programme.id, contracts: contracts.map((x) => x.id).join(',') },
            navigation: [{ text: 'Your contracts', href: '/' }],
            downloadHref: downloadHref(base, { sort: sort.data.sort, dir: sort.data.dir }),
          },
          `${programme.id}-ranking`,
        );
      } finally {
        db.close();
      }
    },
  ),

  // Providers' job entries against those expected from their case mix, suppressed (issue 14).
  route(
    'GET',
    '/programmes/:programme/fair-comparison',
    { access: 'read-programme', from: { param: 'programme' } },
    async (c, { deps, caller, programme }) => {
      const contracts = programmeContracts(caller.reference, programme);
      const scope = [...new Set(contracts.map((x) => `${programme.id}:${x.providerId}`))];
      const names = Object.fromEntries(contracts.map((x) => [x.providerId, x.providerName]));
      const db = await openPublishedForPages(deps, caller);
      try {
        return await pageOrDownload(
          c,
          fairComparisonPage(names),
          db,
          {
            params: { scope: scope.join(','), title: programme.name },
            navigation: [{ text: 'Your contracts', href: '/' }],
            downloadHref: downloadHref(
              `/programmes/${encodeURIComponent(programme.id)}/fair-comparison`,
            ),
          },
          `${programme.id}-fair-comparison`,
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
      const contracts = programmeContracts(caller.reference, programme);
      const query = {
        area: c.req.query('area'),
        period: c.req.query('period'),
        breakdown: c.req.query('breakdown'),
        highlight: c.req.query('highlight'),
      };
      if (wantsDownload(c)) {
        const asked = askedDownload(c, { tables: programmeTables })!;
        return withMarts(
          () => openPublishedForPages(deps, caller),
          async (db) => {
            const breakdowns = (
              await db.query(breakdownsQuery, { programme: programme.id })
            ).rows.map((r) => String(r.breakdown));
            const { filters, entered, errors } = readFilters(query, {
              areas: contracts.map((x) => x.areaCode),
              breakdowns,
              providers: contracts.map((x) => x.providerId),
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
      const page = await overviewPage(deps, caller, programme, query);
      warmOverview(deps, caller, programme, contracts);
      // The suppressed pages name no single return, so the banner does not either.
      const shown = contracts.map((x) => x.id);
      return c.html(
        await withFiguresBehind(deps.store, page.html, shown, { name: false }),
        page.status as 200,
      );
    },
  ),
];

/** The programme's contracts as its overview names them. */
function programmeContracts(reference: ReferenceData, programme: Programme) {
  const providers = new Map(reference.providers.map((p) => [p.id, p.name]));
  return reference.contracts
    .filter((x) => x.programme_id === programme.id)
    .map((x) => ({
      id: x.id,
      providerId: x.provider_id,
      providerName: providers.get(x.provider_id) ?? x.provider_id,
      areaCode: x.area.code,
      areaName: x.area.name,
    }));
}

type OverviewQuery = { area?: string; period?: string; breakdown?: string; highlight?: string };

/** The programme overview for these filters, rendered once per build (./page-cache.ts). */
function overviewPage(
  deps: Deps,
  caller: Caller,
  programme: Programme,
  query: OverviewQuery,
): Promise<RenderedPage> {
  const contracts = programmeContracts(caller.reference, programme);
  // A filter left out reads as one left blank (readFilters), so both share a page.
  // A highlight is drawn only when asked (never warmed ahead), and costs its own charts.
  const key = `programme|${programme.id}|${JSON.stringify([query.area ?? '', query.period ?? '', query.breakdown ?? '', query.highlight ?? ''])}`;
  return cachedPage(deps.store, key, () =>
    withMarts(
      () => openPublishedForPages(deps, caller),
      async (db) => {
        const breakdowns = (await db.query(breakdownsQuery, { programme: programme.id })).rows.map(
          (r) => String(r.breakdown),
        );
        const { filters, entered, errors } = readFilters(query, {
          areas: contracts.map((x) => x.areaCode),
          breakdowns,
          providers: contracts.map((x) => x.providerId),
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
          rankingHref: `/programmes/${encodeURIComponent(programme.id)}/ranking`,
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
          ragRule: ragRuleIn(caller.reference),
          // The highlight changes the charts only, not the tables.
          downloadHref: downloadHref(`/programmes/${encodeURIComponent(programme.id)}`, {
            area: filters.area,
            period: filters.period,
            breakdown: filters.breakdown,
          }),
        });
        return { html: body.toString(), status: errors.length ? 400 : 200 };
      },
    ),
  );
}

/** Warms already begun, by build, scope and programme. */
const warming = new Set<string>();

/**
 * After the first view of a programme under a build, the rest of its views are drawn in the
 * background, one at a time and giving way to requests between them: every area at every month
 * with no breakdown, the newest month first. What costs is the trend chart, which depends on
 * area and month only; a breakdown then costs one query of its own (docs/decisions/034). Stops
 * when a newer build is switched in, or when the page cache is half full.
 */
function warmOverview(
  deps: Deps,
  caller: Caller,
  programme: Programme,
  contracts: readonly { areaCode: string; id: string }[],
): void {
  void (async () => {
    const pointer = await getJson<{ build_id: string }>(deps.store, CURRENT_KEY);
    if (!pointer) return;
    const scope = scopeKey(restrictedScope(caller.user, caller.reference));
    const key = `${pointer.build_id}|${scope}|${programme.id}`;
    if (warming.has(key)) return;
    warming.add(key);
    const ofProgramme = caller.reference.contracts.filter((c) => c.programme_id === programme.id);
    const periods = ['', ...monthsBetween(ofProgramme).reverse()];
    const areas = ['', ...new Set(contracts.map((c) => c.areaCode))];
    for (const period of periods)
      for (const area of areas) {
        await new Promise((resolve) => setImmediate(resolve));
        const now = await getJson<{ build_id: string }>(deps.store, CURRENT_KEY);
        if (now?.build_id !== pointer.build_id || cachedBytes() > MAX_BYTES / 2) return;
        await overviewPage(deps, caller, programme, { area, period, breakdown: '' });
      }
  })().catch(() => undefined);
}

/** Every month of the contracts' terms, oldest first (YYYY-MM). */
function monthsBetween(
  contracts: readonly { start_period: string; end_period: string }[],
): string[] {
  if (!contracts.length) return [];
  const from = contracts.map((c) => c.start_period).sort()[0]!;
  const to = contracts
    .map((c) => c.end_period)
    .sort()
    .at(-1)!;
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  for (let p = from; p <= to;) {
    out.push(p);
    m = m === 12 ? 1 : m + 1;
    if (m === 1) y++;
    p = `${y}-${String(m).padStart(2, '0')}`;
  }
  return out;
}
