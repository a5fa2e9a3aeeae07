/**
 * The delivery partner's page (ADR 042): the programme's measures for the participants one
 * contract's returns name the partner as supporting, read from an engine that holds those rows
 * and no others (pipelines/access `partnerScope`). The breakdown is the partner's own cell; the
 * period grain and cohort are the URL's, as on the contract's measures page.
 */
import { openRestricted } from '../../../pipelines/analytics/restricted.js';
import { partnerName } from '../../../pipelines/reference/partners.js';
import { partnerScope } from '../../../pipelines/access/index.js';
import { contractMeasures, measureFilters } from '../../../reports/pages/measures/index.js';
import { contractTitle } from '../../../reports/names.js';
import { route, type Route } from '../auth/guard.js';
import { WebError } from '../errors.js';
import { downloadHref } from './downloads.js';
import { pageOrDownload } from './manager.js';

export const PARTNER_PATH = '/partner';

export const partnerRoutes: Route[] = [
  route('GET', PARTNER_PATH, { access: 'partner-figures' }, async (c, { deps, caller }) => {
    const scope = partnerScope(caller.user, caller.reference);
    if (!scope?.partner)
      throw new WebError(
        403,
        'Your organisation is no longer a delivery partner of the contract your sign-in is tied to. Ask the contract’s lead provider or its contract manager.',
      );
    const filters = measureFilters('delivery_partner', c.req.query('grain'), c.req.query('cohort'));
    if (!filters)
      throw new WebError(
        400,
        'Choose a period grain (quarter, financial_year, programme_year or to_date) and a cohort (event or referral).',
      );
    const { contract_id, code } = scope.partner;
    const contract = caller.reference.contracts.find((x) => x.id === contract_id)!;
    // The partner's engine reads true figures, which only the full store holds (not the
    // published prefix the restricted engine of commissioners reads in AWS).
    const db = await openRestricted(deps.store, scope);
    try {
      return await pageOrDownload(
        c,
        contractMeasures,
        db,
        {
          params: {
            contracts: contract_id,
            title: `${partnerName(caller.reference, code)}: your participants on ${contractTitle(contract, caller.reference)}`,
            ...filters,
          },
          navigation: [{ text: 'Home', href: '/' }],
          downloadHref: downloadHref(PARTNER_PATH, {
            grain: filters.grain,
            cohort: filters.cohort,
          }),
        },
        `${contract_id}-${code}-measures`,
      );
    } finally {
      db.close();
    }
  }),
];
