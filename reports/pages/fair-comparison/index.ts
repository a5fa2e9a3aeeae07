/**
 * Fair comparison: each provider's job entries against those expected from its case mix
 * (indirect standardisation, fair_comparison.sql and docs/methods/fair-comparison.md), with a
 * funnel plot of observed ÷ expected, and the creaming and parking signals for harder-to-help
 * participants. It reads only suppressed_fair_comparison, so a provider with 1 to 4 job entries
 * shows "[c]" (ADR 021). For commissioners (a programme) and contract managers (the programmes
 * and providers of their portfolio).
 *
 * Parameters (bound by name): `scope`, comma-separated `programme_id:provider_id` pairs to
 * show (who may see which is the web app's business); `title`, the caption.
 */
import { martColumns, type Column, type Row } from '../../columns.js';
import { oeFunnelPlot } from '../../charts/oe-funnel-plot.js';
import { dataTable } from '../../components/data-table.js';
import { html } from '../../html.js';
import type { ReportPage } from '../../page.js';

type Params = { scope: string; title: string };
type Queries = 'comparison' | 'signals';

const inScope = `list_contains(string_split($scope, ','), programme_id || ':' || provider_id)`;
const two = (v: string) => `coalesce(printf('%.2f', ${v}), '[c]')`;
const pct = (v: string) => `coalesce(printf('%.1f%%', 100 * ${v}), '')`;
const one = (v: string) => `coalesce(printf('%.1f', ${v}), '')`;
const yesNo = (v: string, hidden: string) =>
  `case when ${hidden} then '[c]' when ${v} then 'Yes' else 'No' end`;

const providerColumn: Column = { key: 'provider_name', label: 'Provider' };
const programmeColumn: Column = { key: 'programme_id', label: 'Programme' };

export const comparisonColumns: readonly Column[] = [
  programmeColumn,
  providerColumn,
  ...martColumns('suppressed_fair_comparison', ['starts_display', 'observed_display']),
  { key: 'expected_text', label: 'Job entries expected' },
  { key: 'ratio_text', label: 'Observed ÷ expected' },
  { key: 'interval', label: '95% confidence interval' },
];

export const signalColumns: readonly Column[] = [
  programmeColumn,
  providerColumn,
  ...martColumns('suppressed_fair_comparison', ['hard_referrals_display', 'hard_starts_display']),
  { key: 'start_rate', label: 'Start rate (programme)' },
  { key: 'start_flag', label: 'Start rate gap beyond chance' },
  { key: 'job_rate', label: 'Job entry rate (programme)' },
  { key: 'job_flag', label: 'Job entry gap beyond chance' },
  { key: 'first_contact', label: 'Days to first contact (programme)' },
  { key: 'first_contact_flag_text', label: 'First contact gap beyond chance' },
  { key: 'contacts', label: 'Contacts (programme)' },
  { key: 'contacts_flag_text', label: 'Contacts gap beyond chance' },
];

const hardHidden = `hard_starts is null and hard_starts_display = '[c]'`;

export function fairComparisonPage(
  providerNames: Readonly<Record<string, string>>,
): ReportPage<Params, Queries> {
  const named = (rows: Row[]): Row[] =>
    rows.map((r) => ({
      ...r,
      provider_name: providerNames[String(r.provider_id)] ?? String(r.provider_id),
    }));
  return {
    id: 'fair-comparison',
    title: (_r, { params }) => `Fair comparison: ${params.title}`,
    description:
      'Job entries against those expected from each provider’s participants, and how harder-to-help participants fare.',
    queries: {
      comparison: {
        sql: `select programme_id, provider_id, starts_display, observed, observed_display, expected,
                     ${two('expected')} as expected_text, ${two('oe_ratio')} as ratio_text,
                     case when oe_low is null then '[c]' else printf('%.2f to %.2f', oe_low, oe_high) end as interval
              from suppressed_fair_comparison where ${inScope}
              order by programme_id, provider_id`,
        params: (p: Params) => ({ scope: p.scope }),
      },
      signals: {
        sql: `select programme_id, provider_id, hard_referrals_display, hard_starts_display,
                     case when ${hardHidden} then '[c]' else ${pct('hard_start_rate')} || ' (' || ${pct('programme_hard_start_rate')} || ')' end as start_rate,
                     ${yesNo('start_rate_flag', hardHidden)} as start_flag,
                     case when ${hardHidden} then '[c]' else ${pct('hard_job_entry_rate')} || ' (' || ${pct('programme_hard_job_entry_rate')} || ')' end as job_rate,
                     ${yesNo('job_entry_rate_flag', hardHidden)} as job_flag,
                     case when ${hardHidden} then '[c]' else ${one('hard_days_to_first_contact')} || ' (' || ${one('programme_hard_days_to_first_contact')} || ')' end as first_contact,
                     ${yesNo('first_contact_flag', hardHidden)} as first_contact_flag_text,
                     case when ${hardHidden} then '[c]' else ${one('hard_contacts')} || ' (' || ${one('programme_hard_contacts')} || ')' end as contacts,
                     ${yesNo('contacts_flag', hardHidden)} as contacts_flag_text
              from suppressed_fair_comparison where ${inScope}
              order by programme_id, provider_id`,
        params: (p: Params) => ({ scope: p.scope }),
      },
    },
    tables: {
      comparison: {
        title: 'Job entries against expected',
        query: 'comparison',
        columns: comparisonColumns,
        prepare: named,
      },
      signals: {
        title: 'Harder-to-help participants',
        query: 'signals',
        columns: signalColumns,
        prepare: named,
      },
    },
    render(results, context) {
      const link = (t: string, format: 'csv' | 'xlsx') =>
        context.downloadHref?.('fair-comparison', t, format);
      const comparison = named(results.comparison.rows);
      const points = comparison
        .filter((r) => r.observed !== null && r.expected !== null)
        .map((r) => ({
          label: String(r.provider_name),
          observed: Number(r.observed),
          expected: Number(r.expected),
        }));
      return html`<span class="govuk-caption-l">${context.params.title}</span>
<h1 class="govuk-heading-l">Fair comparison of providers</h1>
<p class="govuk-body">Providers work with different people. This page compares each provider’s job entries with the number expected if its participants had done as well as similar participants across the whole programme.</p>
<h2 class="govuk-heading-m">What the adjustment does and does not allow for</h2>
<p class="govuk-body">Participants are grouped by age band, main health condition, benefit and whether taking part is mandatory or voluntary. Expected job entries are the provider’s starts in each group times the programme’s job entry rate for that group. A group with fewer than 20 starts across the programme uses the rate of a wider group instead.</p>
<p class="govuk-body">It does not allow for anything the return does not record: how far someone is from work, local jobs, transport, or how well a provider records its participants. A provider can still look better or worse for reasons other than its service.</p>
<p class="govuk-body">A ratio of 1 means as expected. Above 1 is more job entries than expected. If the 95% interval includes 1, the difference could be chance.</p>
<p class="govuk-body">No count of 1 to 4 people is shown, nor any figure that would give one away: those read “[c]”.</p>
${dataTable({
  caption: 'Job entries against expected',
  columns: comparisonColumns,
  rows: comparison,
  empty: 'There are no starts yet, so there is nothing to compare.',
  downloads: { csv: link('comparison', 'csv'), xlsx: link('comparison', 'xlsx') },
})}
${oeFunnelPlot({ title: 'Observed ÷ expected job entries by provider', points })}
<h2 class="govuk-heading-m">Harder-to-help participants</h2>
<p class="govuk-body">Harder-to-help participants are those in groups whose job entry rate across the programme is below the programme’s overall rate. Each figure is the provider’s, with the programme’s in brackets. A gap is marked “Yes” when it is too large to be chance at the 5% level. A low start rate can mean a provider is choosing easier participants; long waits for first contact or few contacts can mean harder-to-help participants are being left with little support.</p>
${dataTable({
  caption: 'Harder-to-help participants against the programme',
  columns: signalColumns,
  rows: named(results.signals.rows),
  empty: 'No provider has harder-to-help participants yet.',
  downloads: { csv: link('signals', 'csv'), xlsx: link('signals', 'xlsx') },
})}`;
    },
  };
}
