/**
 * The commissioner overview's filters, as pure functions: which of the URL's filters are valid.
 * Who may see a programme is the access module's (pipelines/access, `read-programme`).
 */

export interface Filters {
  area: string;
  period: string;
  breakdown: string;
  /** A provider id whose contracts the charts draw on top, the others pale (only on request). */
  highlight: string;
}

export interface FilterError {
  field: keyof Filters;
  text: string;
  href: string;
}

/** The filters from the query string: valid ones kept, invalid ones dropped with an error for each. */
export function readFilters(
  query: Partial<Record<keyof Filters, string | undefined>>,
  allowed: {
    areas: readonly string[];
    breakdowns: readonly string[];
    providers?: readonly string[];
  },
): { filters: Filters; entered: Filters; errors: FilterError[] } {
  const entered: Filters = {
    area: (query.area ?? '').trim(),
    period: (query.period ?? '').trim(),
    breakdown: (query.breakdown ?? '').trim(),
    highlight: (query.highlight ?? '').trim(),
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
  if (entered.highlight && !(allowed.providers ?? []).includes(entered.highlight))
    fail('highlight', 'Select a provider to highlight from the list');
  return { filters, entered, errors };
}
