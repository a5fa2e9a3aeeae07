import type { Column, Model } from '../../model.js';
import { sqlFile } from '../../sql-file.js';

/** A stratum with fewer starts than this programme-wide takes a coarser group's rate (fair_comparison.sql). */
export const MIN_STRATUM_STARTS = 20;

const n = (name: string, description: string, label?: string): Column => ({
  name,
  type: 'INTEGER',
  description,
  tests: ['not_null', { min: 0 }],
  ...(label ? { label, format: 'number' as const } : {}),
});
const x = (
  name: string,
  description: string,
  label?: string,
  format: Column['format'] = 'number',
): Column => ({ name, type: 'DOUBLE', description, ...(label ? { label, format } : {}) });
const flag = (name: string, description: string, label: string): Column => ({
  name,
  type: 'BOOLEAN',
  description,
  label,
  tests: ['not_null'],
});

export const fairComparisonColumns: Column[] = [
  { name: 'programme_id', type: 'VARCHAR', description: 'Programme id', tests: ['not_null'] },
  { name: 'provider_id', type: 'VARCHAR', description: 'Prime provider id', tests: ['not_null'] },
  n('contracts', 'Contracts the provider holds in the programme'),
  n('starts', 'Participants who started, across the provider’s contracts', 'Starts'),
  n('observed', 'Job entries of those starts: O', 'Job entries (observed)'),
  x(
    'expected',
    'Job entries expected from the programme’s rate in each stratum of the provider’s starts: E = Σ starts × stratum rate',
    'Job entries expected',
  ),
  x(
    'oe_ratio',
    'observed ÷ expected: 1 is as the programme would do with the same case mix',
    'Observed ÷ expected',
  ),
  x('oe_low', 'Lower bound of the 95% interval of O/E (Byar’s approximation, O as Poisson)'),
  x('oe_high', 'Upper bound of the 95% interval of O/E (Byar’s approximation, O as Poisson)'),
  n(
    'collapsed_strata',
    `Strata of the provider’s starts too sparse programme-wide (under ${MIN_STRATUM_STARTS} starts) that took a coarser group’s rate`,
  ),
  n(
    'hard_referrals',
    'Referrals in harder-to-help strata (programme rate below its overall rate)',
    'Harder-to-help referrals',
  ),
  n('hard_starts', 'Of those, starts', 'Harder-to-help starts'),
  x(
    'hard_start_rate',
    'Harder-to-help starts ÷ referrals',
    'Start rate, harder to help',
    'percent',
  ),
  x(
    'programme_hard_start_rate',
    'The same for the whole programme',
    'Programme start rate, harder to help',
    'percent',
  ),
  flag(
    'start_rate_flag',
    'Start rate differs from the programme’s beyond chance (|z| > 1.96)',
    'Start rate gap beyond chance',
  ),
  x(
    'hard_job_entry_rate',
    'Harder-to-help job entries ÷ starts',
    'Job entry rate, harder to help',
    'percent',
  ),
  x(
    'programme_hard_job_entry_rate',
    'The same for the whole programme',
    'Programme job entry rate, harder to help',
    'percent',
  ),
  flag(
    'job_entry_rate_flag',
    'Job entry rate differs from the programme’s beyond chance (|z| > 1.96)',
    'Job entry rate gap beyond chance',
  ),
  x(
    'hard_days_to_first_contact',
    'Mean days from referral to first contact, harder to help',
    'Days to first contact, harder to help',
  ),
  x(
    'programme_hard_days_to_first_contact',
    'The same for the whole programme',
    'Programme days to first contact',
  ),
  flag(
    'first_contact_flag',
    'Mean days to first contact differs from the programme’s beyond chance (|z| > 1.96)',
    'Days to first contact gap beyond chance',
  ),
  x('hard_contacts', 'Mean contacts per harder-to-help start', 'Contacts, harder to help'),
  x('programme_hard_contacts', 'The same for the whole programme', 'Programme contacts'),
  flag(
    'contacts_flag',
    'Mean contacts differ from the programme’s beyond chance (|z| > 1.96)',
    'Contacts gap beyond chance',
  ),
];

export const fairComparison: Model = {
  name: 'fair_comparison',
  layer: 'mart',
  partition: 'global',
  description: `Case-mix-adjusted job entries per provider and programme by indirect standardisation: expected job entries from the programme-wide rate in each stratum (age band × primary condition group × benefit × engagement; a stratum with under ${MIN_STRATUM_STARTS} starts programme-wide takes the rate of condition × engagement, then engagement, then the programme), observed ÷ expected with its 95% interval by Byar’s approximation; and creaming and parking signals for harder-to-help participants (start rate, job entry rate, days to first contact, contacts against the programme’s, flagged where |z| > 1.96). True figures: commissioners read suppressed_fair_comparison.`,
  sql: sqlFile(import.meta.url, 'fair_comparison', { min_starts: String(MIN_STRATUM_STARTS) }),
  uniqueKey: ['programme_id', 'provider_id'],
  columns: fairComparisonColumns,
};
