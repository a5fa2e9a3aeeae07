/**
 * The commissioner overview's checks, as pure functions: who may see a programme, and which of
 * the URL's filters are valid.
 */
import type { Programme, ReferenceData, User } from '../../../../pipelines/reference/schema.js';
import { AccessError } from '../../auth/policy.js';

/**
 * The programme, if the user may see its overview: its commissioners and admins may; providers
 * and contract managers see their own contracts elsewhere. Throws 403 or 404.
 */
export function programmeFor(user: User, reference: ReferenceData, id: string): Programme {
  if (user.role === 'provider' || user.role === 'contract_manager')
    throw new AccessError(
      403,
      'Programme overviews are for commissioners. You can see your own contracts from your home page.',
    );
  const programme = reference.programmes.find((p) => p.id === id);
  if (!programme)
    throw new AccessError(404, `There is no programme "${id}". Check the programme id.`);
  if (user.role === 'commissioner' && !user.programme_ids.includes(programme.id))
    throw new AccessError(403, `Programme "${programme.id}" is not one you commission.`);
  return programme;
}

export interface Filters {
  area: string;
  period: string;
  breakdown: string;
}

export interface FilterError {
  field: keyof Filters;
  text: string;
  href: string;
}

/** The filters from the query string: valid ones kept, invalid ones dropped with an error for each. */
export function readFilters(
  query: Partial<Record<keyof Filters, string | undefined>>,
  allowed: { areas: readonly string[]; breakdowns: readonly string[] },
): { filters: Filters; entered: Filters; errors: FilterError[] } {
  const entered: Filters = {
    area: (query.area ?? '').trim(),
    period: (query.period ?? '').trim(),
    breakdown: (query.breakdown ?? '').trim(),
  };
  const filters: Filters = { ...entered };
  const errors: FilterError[] = [];
  const fail = (field: keyof Filters, text: string) => {
    errors.push({ field, text, href: `#${field}` });
    filters[field] = '';
  };
  if (entered.area && !allowed.areas.includes(entered.area))
    fail('area', 'Select an area from the list');
  if (entered.period && !/^\d{4}-(0[1-9]|1[0-2])$/.test(entered.period))
    fail('period', 'Enter the month as a year and month, for example 2025-01');
  if (entered.breakdown && !allowed.breakdowns.includes(entered.breakdown))
    fail('breakdown', 'Select a breakdown from the list');
  return { filters, entered, errors };
}
