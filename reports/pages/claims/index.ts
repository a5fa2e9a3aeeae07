/**
 * Claims verification pages (ADR 040, docs/methods/claims-verification.md):
 *
 * - a contract's claims verification (provider and contract manager): each month's sample of
 *   job entries and sustained jobs, the answers recorded, the error rate with its interval and
 *   what it takes off the payments due (claims_verification, payments);
 * - one month's sample (one task): the provider records for each claim whether the evidence is
 *   held; the contract manager reads the answers (claims_sample);
 * - a programme's claims verification (commissioners): pooled per contract, with small numbers
 *   suppressed (suppressed_claims_verification).
 *
 * Who sees which is the web app's business (pipelines/access).
 */
import {
  evidenceLabels,
  outcomeKindLabels,
  outcomeKinds,
  type EvidenceProblem,
  type OutcomeKind,
} from '../../../pipelines/claims/evidence.js';
import { periodLabel } from '../../../pipelines/calendar/periods.js';
import { martColumns, type Column, type Row } from '../../columns.js';
import { dataTable } from '../../components/data-table.js';
import { errorSummary } from '../../components/error-summary.js';
import { html, type Html } from '../../html.js';
import { layout, type NavItem } from '../../layout.js';
import type { QueryRunner, ReportPage } from '../../page.js';

export const claimsPaths = {
  contract: (contract: string) => `/contracts/${encodeURIComponent(contract)}/claims`,
  sample: (contract: string, period: string, kind: string) =>
    `/contracts/${encodeURIComponent(contract)}/claims/${period}/${kind}`,
  programme: (programme: string) =>
    `/programmes/${encodeURIComponent(programme)}/claims-verification`,
};

export function isOutcomeKind(value: string): value is OutcomeKind {
  return (outcomeKinds as readonly string[]).includes(value);
}

const kindSql = `case outcome_kind ${outcomeKinds.map((k) => `when '${k}' then '${outcomeKindLabels[k]}'`).join(' ')} end`;
const outcomeColumn: Column = { key: 'outcome', label: 'Outcome', rowHeader: true };
const intervalColumn: Column = { key: 'interval', label: '95% confidence interval' };
const intervalSql = (low: string, high: string) =>
  `case when ${low} is not null then printf('%.1f%% to %.1f%%', 100 * ${low}, 100 * ${high}) else '' end`;

type ContractParams = { contract: string };

export function verificationColumns(contract: string): Column[] {
  return [
    ...martColumns('claims_verification', ['period']),
    {
      ...outcomeColumn,
      href: (r) => claimsPaths.sample(contract, String(r.period), String(r.outcome_kind)),
    },
    ...martColumns('claims_verification', [
      'outcomes_paid',
      'sampled',
      'recorded',
      'not_held',
      'error_rate',
    ]),
    intervalColumn,
    ...martColumns('claims_verification', ['paid', 'adjustment', 'adjusted_paid']),
  ];
}

export const adjustedPaymentColumns: readonly Column[] = martColumns('payments', [
  'period',
  'total_due',
  'verification_adjustment',
  'adjusted_total_due',
]);

const byContract = (p: ContractParams) => ({ contract: p.contract });

/** A contract's claims verification, month by month, and the payments it adjusts. */
export const contractClaimsPage: ReportPage<ContractParams, 'verification' | 'payments'> = {
  id: 'claims-verification',
  title: (_r, { params }) => `Claims verification: ${params.contract}`,
  description:
    'Each month’s sample of claimed job entries and sustained jobs, the evidence recorded for it, the error rate and the adjustment to the payments due.',
  queries: {
    verification: {
      sql: `select period, outcome_kind, ${kindSql} as outcome, outcomes_paid, sampled, recorded, not_held, error_rate,
                   ${intervalSql('error_rate_low', 'error_rate_high')} as interval, paid, adjustment, adjusted_paid
            from claims_verification where contract_id = $contract
            order by period desc, outcome_kind`,
      params: byContract,
    },
    payments: {
      sql: `select period, total_due, verification_adjustment, adjusted_total_due
            from payments where contract_id = $contract
              and period in (select period from claims_verification where contract_id = $contract)
            order by period desc`,
      params: byContract,
    },
  },
  tables: {
    verification: {
      title: 'Claims checked by month',
      query: 'verification',
      columns: verificationColumns(''),
    },
    payments: {
      title: 'Payments due after verification',
      query: 'payments',
      columns: adjustedPaymentColumns,
    },
  },
  render(results, context) {
    const contract = context.params.contract;
    const link = (table: string, format: 'csv' | 'xlsx') =>
      context.downloadHref?.(contractClaimsPage.id, table, format);
    const waiting = results.verification.rows.filter((r) => r.recorded !== r.sampled).length;
    return html`<span class="govuk-caption-l">Contract ${contract}</span>
<h1 class="govuk-heading-l">Claims verification</h1>
<p class="govuk-body">Each month a sample of the job entries and sustained jobs claimed is checked: the provider records whether it holds the evidence for each claim. The share without evidence (the error rate) is applied to every outcome paid that month, and that amount is taken off the payments due. The method is in the claims verification guide.</p>
${
  waiting > 0
    ? html`<div class="govuk-inset-text">${waiting} ${waiting === 1 ? 'sample is' : 'samples are'} waiting for evidence to be recorded. Nothing is taken off a month’s payments until every claim in its sample has an answer.</div>`
    : html``
}
${dataTable({
  caption: 'Claims checked by month',
  columns: verificationColumns(contract),
  rows: results.verification.rows,
  empty: 'No job entries or sustained jobs have been claimed on this contract yet.',
  downloads: { csv: link('verification', 'csv'), xlsx: link('verification', 'xlsx') },
})}
${dataTable({
  caption: 'Payments due after verification',
  columns: adjustedPaymentColumns,
  rows: results.payments.rows,
  empty: 'No payments are due on this contract yet.',
  downloads: { csv: link('payments', 'csv'), xlsx: link('payments', 'xlsx') },
})}`;
  },
};

export interface SampleClaim {
  sample_rank: number;
  participant_id: string;
  evidence: string | null;
  note: string | null;
}

/** One month's sample of one outcome kind, in the sample's order. */
export async function sampleOf(
  db: QueryRunner,
  contract: string,
  period: string,
  kind: OutcomeKind,
): Promise<SampleClaim[]> {
  const { rows } = await db.query(
    `select sample_rank, participant_id, evidence, note from claims_sample
     where contract_id = $contract and period = $period and outcome_kind = $kind
     order by sample_rank`,
    { contract, period, kind },
  );
  return rows.map((r) => ({
    sample_rank: Number(r.sample_rank),
    participant_id: String(r.participant_id),
    evidence: r.evidence === null ? null : String(r.evidence),
    note: r.note === null ? null : String(r.note),
  }));
}

const sampleColumns: readonly Column[] = [
  ...martColumns('claims_sample', ['sample_rank', 'participant_id']),
  { key: 'answer', label: 'Evidence' },
  ...martColumns('claims_sample', ['note']),
];

interface SampleView {
  contract: string;
  period: string;
  kind: OutcomeKind;
  claims: readonly SampleClaim[];
  navigation: NavItem[];
  /** The provider's form; otherwise the answers as a table. */
  mayRecord: boolean;
  /** A refused form: its problems and what was sent, shown again. */
  refused?: {
    problems: readonly EvidenceProblem[];
    sent: Readonly<Record<string, { evidence?: string; note?: string }>>;
  };
}

/** One task: record the evidence for a month's sample (or, for a manager, read it). */
export function samplePage(view: SampleView): Html {
  const what = outcomeKindLabels[view.kind].toLowerCase();
  const title = `Evidence for ${what} claimed in ${periodLabel(view.period)}`;
  const back = html`<a href="${claimsPaths.contract(view.contract)}" class="govuk-back-link">Back to claims verification</a>`;
  const intro = html`<span class="govuk-caption-l">Contract ${view.contract}</span>
<h1 class="govuk-heading-l">${title}</h1>`;
  if (!view.mayRecord)
    return layout({
      title,
      navigation: view.navigation,
      beforeContent: back,
      content: html`${intro}
<p class="govuk-body">The provider records for each claim in the sample whether it holds the evidence (for example a payslip or the employer’s confirmation).</p>
${dataTable({
  caption: 'Claims in the sample',
  columns: sampleColumns,
  rows: view.claims.map((c) => ({
    ...c,
    answer: c.evidence === null ? 'Not recorded yet' : evidenceLabels[c.evidence as 'held'],
  })),
})}`,
    });
  const problemOf = (id: string, field: 'evidence' | 'note') =>
    view.refused?.problems.find((p) => p.participant_id === id && p.field === field);
  const claimFields = (c: SampleClaim, i: number): Html => {
    const n = i + 1;
    const sent = view.refused?.sent[c.participant_id];
    const chosen = sent ? sent.evidence : (c.evidence ?? undefined);
    const note = sent ? (sent.note ?? '') : (c.note ?? '');
    const evidenceProblem = problemOf(c.participant_id, 'evidence');
    const noteProblem = problemOf(c.participant_id, 'note');
    const radio = (value: 'held' | 'not_held', suffix: string) =>
      html`<div class="govuk-radios__item"><input class="govuk-radios__input" id="evidence-${n}${suffix}" name="evidence-${n}" type="radio" value="${value}"${chosen === value ? html` checked` : ''}><label class="govuk-label govuk-radios__label" for="evidence-${n}${suffix}">${evidenceLabels[value]}</label></div>`;
    return html`<div class="govuk-form-group${evidenceProblem || noteProblem ? ' govuk-form-group--error' : ''}">
<fieldset class="govuk-fieldset">
<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Claim ${n}: participant ${c.participant_id}</legend>
${evidenceProblem ? html`<p id="evidence-${n}-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ${evidenceProblem.message}</p>` : ''}
<div class="govuk-radios govuk-radios--inline" data-module="govuk-radios">
${radio('held', '')}${radio('not_held', '-not')}
</div>
<label class="govuk-label" for="note-${n}">Note (say why, if the evidence is not held)</label>
${noteProblem ? html`<p id="note-${n}-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ${noteProblem.message}</p>` : ''}
<input class="govuk-input${noteProblem ? ' govuk-input--error' : ''}" id="note-${n}" name="note-${n}" type="text" value="${note}" maxlength="500">
</fieldset>
</div>`;
  };
  const index = new Map(view.claims.map((c, i) => [c.participant_id, i + 1]));
  return layout({
    title: view.refused ? `Error: ${title}` : title,
    navigation: view.navigation,
    beforeContent: back,
    content: html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
${
  view.refused
    ? errorSummary({
        errors: view.refused.problems.map((p) => ({
          text: p.message,
          href: `#${p.field}-${index.get(p.participant_id) ?? 1}`,
        })),
      })
    : ''
}
${intro}
<p class="govuk-body">For each claim below, say whether you hold the evidence for it (for example a payslip or the employer’s confirmation). If you do not, say why in the note. The share of claims without evidence is applied to every ${what.replace(/s$/, '')} paid in ${periodLabel(view.period)}.</p>
<form method="post" action="${claimsPaths.sample(view.contract, view.period, view.kind)}" novalidate>
${view.claims.map(claimFields)}
<button type="submit" class="govuk-button" data-module="govuk-button">Save the evidence</button>
</form>
</div></div>`,
  });
}

type ProgrammeParams = { programme: string; title: string };

export function programmeClaimsColumns(providerNames: Readonly<Record<string, string>>): Column[] {
  return [
    { key: 'contract_id', label: 'Contract', rowHeader: true },
    {
      key: 'provider_id',
      label: 'Provider',
      render: (r: Row) => providerNames[String(r.provider_id)] ?? String(r.provider_id),
    },
    outcomeColumn,
    ...martColumns('suppressed_claims_verification', [
      'period',
      'outcomes_paid_display',
      'sampled_display',
      'not_held_display',
      'error_rate',
    ]),
    intervalColumn,
    ...martColumns('suppressed_claims_verification', ['adjustment']),
  ];
}

/** A programme's claims verification per contract, pooled over the months checked, suppressed. */
export function programmeClaimsPage(
  providerNames: Readonly<Record<string, string>>,
): ReportPage<ProgrammeParams, 'contracts'> {
  const columns = programmeClaimsColumns(providerNames);
  const page: ReportPage<ProgrammeParams, 'contracts'> = {
    id: 'programme-claims-verification',
    title: (_r, { params }) => `Claims verification: ${params.title}`,
    description:
      'The share of sampled claims without evidence, per contract, and what it took off the payments due.',
    queries: {
      contracts: {
        sql: `select contract_id, provider_id, outcome_kind, ${kindSql} as outcome, period, outcomes_paid_display, sampled_display, not_held_display,
                     error_rate, ${intervalSql('error_rate_low', 'error_rate_high')} as interval, adjustment
              from suppressed_claims_verification where programme_id = $programme
              order by contract_id, outcome_kind`,
        params: (p) => ({ programme: p.programme }),
      },
    },
    tables: { contracts: { title: 'Claims checked by contract', query: 'contracts', columns } },
    render(results, context) {
      const link = (format: 'csv' | 'xlsx') => context.downloadHref?.(page.id, 'contracts', format);
      return html`<span class="govuk-caption-l">${context.params.title}</span>
<h1 class="govuk-heading-l">Claims verification</h1>
<p class="govuk-body">Each month a sample of each contract’s claimed job entries and sustained jobs is checked for evidence. This page adds up the months whose samples are complete: the share of claims checked without evidence, and what was taken off the payments due for it. Figures of 1 to 4 are shown as [c], as is anything they could be worked out from.</p>
${dataTable({
  caption: 'Claims checked by contract',
  columns,
  rows: results.contracts.rows,
  empty: 'No sample has been fully checked in this programme yet.',
  downloads: { csv: link('csv'), xlsx: link('xlsx') },
})}`;
    },
  };
  return page;
}
