/**
 * A contract's performance improvement plan (ADR 039): the actions its manager agreed with the
 * provider, each with its owner, due date, status and notes; the contract's intervention level;
 * for the manager, a form to add an action. An action is updated on its own page. The route
 * reads the plan and the level and says what the caller may change (pipelines/access).
 */
import type { Contract, Intervention, ReferenceData } from '../../../pipelines/reference/schema.js';
import {
  actionStatusLabels,
  actionStatuses,
  type ActionFields,
  type PlanAction,
} from '../../../pipelines/review/plans.js';
import type { Column, Row } from '../../columns.js';
import { dataTable } from '../../components/data-table.js';
import { errorSummary } from '../../components/error-summary.js';
import { errorMessage } from '../../components/form-fields.js';
import { interventionLevelSection } from '../../components/intervention-level.js';
import { formatDate } from '../../format.js';
import { html, type Html } from '../../html.js';
import { layout } from '../../layout.js';

const enc = encodeURIComponent;

export const planPaths = {
  plan: (c: Pick<Contract, 'id'>) => `/contracts/${enc(c.id)}/plan`,
  actions: (c: Pick<Contract, 'id'>) => `/contracts/${enc(c.id)}/plan/actions`,
  action: (c: Pick<Contract, 'id'>, id: string) =>
    `/contracts/${enc(c.id)}/plan/actions/${enc(id)}`,
};

export interface PlanForm {
  values: Record<string, string>;
  errors: { field: string; message: string }[];
}

function nameOf(reference: ReferenceData, id: string): string {
  return reference.users.find((u) => u.id === id)?.name ?? id;
}

function providerName(reference: ReferenceData, contract: Contract): string {
  return (
    reference.providers.find((p) => p.id === contract.provider_id)?.name ?? contract.provider_id
  );
}

/** The plan's actions as a table; `updateHref` links each to its page when the caller may update it. */
export function planActionsTable(
  reference: ReferenceData,
  actions: readonly PlanAction[],
  options: { caption: string; updateHref?: (a: PlanAction) => string },
): Html {
  const columns: Column[] = [
    { key: 'text', label: 'Action', rowHeader: true },
    { key: 'owner', label: 'Owner' },
    { key: 'due', label: 'Due', format: 'date' },
    { key: 'status_label', label: 'Status' },
    { key: 'notes', label: 'Notes' },
    { key: 'changed', label: 'Last changed' },
  ];
  if (options.updateHref)
    columns.push({
      key: 'update',
      label: 'Update',
      render: (r: Row) =>
        html`<a class="govuk-link" href="${String(r.href)}">Update<span class="govuk-visually-hidden"> “${String(r.text)}”</span></a>`,
    });
  const rows = actions.map((a) => ({
    text: a.text,
    owner: a.owner,
    due: a.due,
    status_label: actionStatusLabels[a.status],
    notes: a.notes,
    changed: `${formatDate(a.at.slice(0, 10))} by ${nameOf(reference, a.by)}`,
    href: options.updateHref?.(a) ?? '',
  }));
  return dataTable({
    caption: options.caption,
    captionSize: 's',
    columns,
    rows,
    empty: 'There are no actions in the plan.',
  });
}

function field(
  form: PlanForm | undefined,
  name: string,
  label: string,
  input: (cls: string, describedBy: string) => Html,
  hint?: string,
): Html {
  const error = form?.errors.find((e) => e.field === name)?.message;
  const describedBy = [hint && `${name}-hint`, error && `${name}-error`].filter(Boolean).join(' ');
  return html`<div class="govuk-form-group${error ? ' govuk-form-group--error' : ''}">
<label class="govuk-label govuk-label--s" for="${name}">${label}</label>
${hint && html`<div id="${name}-hint" class="govuk-hint">${hint}</div>`}
${errorMessage(name, error)}
${input(error ? ' govuk-input--error' : '', describedBy)}
</div>`;
}

function actionFields(
  form: PlanForm | undefined,
  fields: ActionFields,
  current?: PlanAction,
): Html {
  const value = (name: keyof PlanAction) =>
    form?.values[name] ?? (current ? String(current[name]) : '');
  const statusError = form?.errors.find((e) => e.field === 'status')?.message;
  const all =
    fields === 'all' &&
    html`${field(form, 'text', 'Action', (e, d) => html`<textarea class="govuk-textarea${e ? ' govuk-textarea--error' : ''}" id="text" name="text" rows="3"${d && html` aria-describedby="${d}"`}>${value('text')}</textarea>`, 'What the provider will do, in a sentence')}
${field(form, 'owner', 'Owner', (e, d) => html`<input class="govuk-input govuk-!-width-two-thirds${e}" id="owner" name="owner" type="text" value="${value('owner')}"${d && html` aria-describedby="${d}"`}>`, 'The person or team responsible')}
${field(form, 'due', 'Due date', (e, d) => html`<input class="govuk-input govuk-input--width-10${e}" id="due" name="due" type="date" value="${value('due')}"${d && html` aria-describedby="${d}"`}>`, 'For example 2026-01-31')}`;
  const status =
    current &&
    html`<div class="govuk-form-group${statusError ? ' govuk-form-group--error' : ''}">
<fieldset class="govuk-fieldset"${statusError ? html` aria-describedby="status-error"` : ''}>
<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Status</legend>
${errorMessage('status', statusError)}
<div class="govuk-radios govuk-radios--small" data-module="govuk-radios">
${actionStatuses.map(
  (s, i) => html`<div class="govuk-radios__item">
<input class="govuk-radios__input" id="${i === 0 ? 'status' : `status-${s}`}" name="status" type="radio" value="${s}"${(form?.values.status ?? current.status) === s ? ' checked' : ''}>
<label class="govuk-label govuk-radios__label" for="${i === 0 ? 'status' : `status-${s}`}">${actionStatusLabels[s]}</label>
</div>`,
)}
</div>
</fieldset>
</div>`;
  return html`${all}
${status}
${field(form, 'notes', 'Notes', (e, d) => html`<textarea class="govuk-textarea${e ? ' govuk-textarea--error' : ''}" id="notes" name="notes" rows="4"${d && html` aria-describedby="${d}"`}>${value('notes')}</textarea>`, 'Progress, and anything the other side should know')}`;
}

const navigation = (c: Contract) => [
  { text: 'Your contracts', href: '/' },
  { text: 'Portfolio', href: '/portfolio' },
  { text: 'Improvement plan', href: planPaths.plan(c), current: true },
];

function summary(form: PlanForm | undefined): Html | undefined {
  return form && form.errors.length > 0
    ? errorSummary({ errors: form.errors.map((e) => ({ text: e.message, href: `#${e.field}` })) })
    : undefined;
}

/** The plan page. */
export function planPage(view: {
  reference: ReferenceData;
  contract: Contract;
  actions: readonly PlanAction[];
  levels: readonly Row[];
  rule: Intervention;
  /** What the caller may change: `all` (its manager), `status-notes` (its provider), or null. */
  fields: ActionFields | null;
  form?: PlanForm;
  done?: 'added' | 'updated';
}): Html {
  const { reference, contract } = view;
  const provider = providerName(reference, contract);
  const content = html`${summary(view.form)}
${view.done && html`<div class="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="done-title" data-module="govuk-notification-banner"><div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="done-title">Done</h2></div><div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">${view.done === 'added' ? 'The action is in the plan: the provider can see it.' : 'The action is updated.'}</p></div></div>`}
<span class="govuk-caption-l">${provider}, ${contract.area.name} (${contract.id})</span>
<h1 class="govuk-heading-l">Improvement plan</h1>
<p class="govuk-body">The actions agreed to bring performance back to profile, reviewed each month. The contract manager writes them; the provider keeps each one’s status and notes up to date.</p>
${interventionLevelSection({ rows: view.levels, rule: view.rule, id: 'level' })}
<h2 class="govuk-heading-m" id="actions-heading">Actions</h2>
${planActionsTable(reference, view.actions, {
  caption: 'Actions in the plan, soonest due first',
  ...(view.fields ? { updateHref: (a: PlanAction) => planPaths.action(contract, a.id) } : {}),
})}
${
  view.fields === 'all' &&
  html`<h2 class="govuk-heading-m" id="add">Add an action</h2>
<form method="post" action="${planPaths.actions(contract)}" novalidate>
${actionFields(view.form, 'all')}
<button type="submit" class="govuk-button" data-module="govuk-button">Add the action</button>
</form>`
}`;
  return layout({
    title: `Improvement plan: ${provider}`,
    navigation: navigation(contract),
    content,
  });
}

/** One action's page, with the form to update it. */
export function actionPage(view: {
  reference: ReferenceData;
  contract: Contract;
  action: PlanAction;
  fields: ActionFields;
  form?: PlanForm;
}): Html {
  const { reference, contract, action } = view;
  const provider = providerName(reference, contract);
  const content = html`${summary(view.form)}
<a href="${planPaths.plan(contract)}" class="govuk-back-link">Back to the improvement plan</a>
<span class="govuk-caption-l">${provider}, ${contract.area.name} (${contract.id})</span>
<h1 class="govuk-heading-l">Update an action</h1>
${view.fields === 'status-notes' && html`<p class="govuk-body">“${action.text}”, owned by ${action.owner}, due ${formatDate(action.due)}.</p>`}
<form method="post" action="${planPaths.action(contract, action.id)}" novalidate>
${actionFields(view.form, view.fields, action)}
<button type="submit" class="govuk-button" data-module="govuk-button">Save the action</button>
</form>`;
  return layout({
    title: `Update an action: ${provider}`,
    navigation: navigation(contract),
    content,
  });
}
