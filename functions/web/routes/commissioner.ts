/** Routes of the commissioner area of the app: the programme overview. */
import { openCurated } from '../../../pipelines/transform/query.js';
import { renderPage } from '../../../reports/page.js';
import { breakdownsQuery, programmeOverview } from '../../../reports/pages/programme-overview.js';
import { route, type Route } from '../auth/guard.js';
import { programmeFor, readFilters } from '../pages/commissioner/programme.js';

export const commissionerRoutes: Route[] = [
  // The guard has no 'programme' access kind, so the handler checks with programmeFor first.
  route('GET', '/programmes/:programme', { who: 'signed-in' }, async (c, { deps, caller }) => {
    const { reference } = caller;
    const programme = programmeFor(caller.user, reference, c.req.param('programme'));
    const providers = new Map(reference.providers.map((p) => [p.id, p.name]));
    const contracts = reference.contracts
      .filter((x) => x.programme_id === programme.id)
      .map((x) => ({ id: x.id, providerId: x.provider_id, providerName: providers.get(x.provider_id) ?? x.provider_id, areaCode: x.area.code, areaName: x.area.name }));
    const db = await openCurated(deps.store);
    try {
      const breakdowns = (await db.query(breakdownsQuery, { programme: programme.id })).rows.map((r) => String(r.breakdown));
      const { filters, entered, errors } = readFilters(
        { area: c.req.query('area'), period: c.req.query('period'), breakdown: c.req.query('breakdown') },
        { areas: contracts.map((x) => x.areaCode), breakdowns },
      );
      const shown = contracts.filter((x) => !filters.area || x.areaCode === filters.area);
      const page = programmeOverview({
        programme: { id: programme.id, name: programme.name },
        profiledMeasures: programme.measures.filter((m) => m.profiled).map((m) => m.id),
        contracts,
        breakdowns,
        filters,
        entered,
        errors,
      });
      const body = await renderPage(page, db, {
        params: {
          programme: programme.id,
          contracts: shown.map((x) => x.id).join(','),
          providers: [...new Set(shown.map((x) => x.providerId))].join(','),
          period: filters.period,
          breakdown: filters.breakdown,
        },
        navigation: [{ text: 'Your contracts', href: '/' }],
      });
      return c.html(body.toString(), errors.length ? 400 : 200);
    } finally {
      db.close();
    }
  }),
];
