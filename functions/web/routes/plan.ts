/**
 * Routes of improvement plans (ADR 039): the plan of a contract, adding an action (its manager),
 * updating one (its manager every field, its provider the status and notes), and the manager's
 * commentary on a quarter's review. What each caller may change is pipelines/access's
 * `planFieldsFor`; every change is audited.
 */
import { planFieldsFor } from '../../../pipelines/access/index.js';
import {
  interventionOf,
  type Contract,
  type ReferenceData,
} from '../../../pipelines/reference/schema.js';
import { interventionLevelSection } from '../../../reports/components/intervention-level.js';
import {
  addAction,
  checkAction,
  planActions,
  quarterIdSchema,
  updateAction,
  writeCommentary,
} from '../../../pipelines/review/plans.js';
import { withMarts } from '../../../pipelines/transform/query.js';
import type { Row } from '../../../reports/columns.js';
import { actionPage, planPage, planPaths } from '../../../reports/pages/improvement-plan/index.js';
import { route, type Route } from '../auth/guard.js';
import type { Deps } from '../deps.js';
import { WebError } from '../errors.js';
import { openMartsForPages } from '../published.js';
import { auditCommentary, auditPlanAction } from './audit-hooks.js';

/** A contract's intervention levels month by month, oldest first; none before the first build. */
export async function levelHistory(deps: Deps, contract: Contract): Promise<Row[]> {
  try {
    return await withMarts(
      () => openMartsForPages(deps),
      async (db) =>
        (
          await db.query(
            'select period, level, level_label, change, status from intervention_levels where contract_id = $contract order by period',
            { contract: contract.id },
          )
        ).rows,
    );
  } catch (e) {
    if ((e as { failure?: string }).failure === 'not-ready') return [];
    throw e;
  }
}

/** The contract page's intervention-level section, or nothing before the first build. */
export async function contractLevelSection(
  deps: Deps,
  reference: ReferenceData,
  contract: Contract,
): Promise<string> {
  const rows = await levelHistory(deps, contract);
  if (rows.length === 0) return '';
  const programme = reference.programmes.find((p) => p.id === contract.programme_id)!;
  return interventionLevelSection({
    rows,
    rule: interventionOf(programme),
    id: 'intervention-level',
    planHref: planPaths.plan(contract),
  }).toString();
}

export const planRoutes: Route[] = [
  route(
    'GET',
    '/contracts/:id/plan',
    { access: 'read-contract-figures', from: { param: 'id' } },
    async (c, { deps, caller, contract }) => {
      const programme = caller.reference.programmes.find((p) => p.id === contract.programme_id)!;
      const done = c.req.query('done');
      const page = planPage({
        reference: caller.reference,
        contract,
        actions: await planActions(deps.store, contract.id),
        levels: await levelHistory(deps, contract),
        rule: interventionOf(programme),
        fields: planFieldsFor(caller.user, contract),
        ...(done === 'added' || done === 'updated' ? { done } : {}),
      });
      return c.html(page.toString());
    },
  ),

  route(
    'POST',
    '/contracts/:id/plan/actions',
    { access: 'write-plan', from: { param: 'id' } },
    async (c, { deps, caller, contract }) => {
      const body = await c.req.parseBody();
      const checked = checkAction(body, 'all', true);
      if (!checked.ok) {
        const programme = caller.reference.programmes.find((p) => p.id === contract.programme_id)!;
        const page = planPage({
          reference: caller.reference,
          contract,
          actions: await planActions(deps.store, contract.id),
          levels: await levelHistory(deps, contract),
          rule: interventionOf(programme),
          fields: 'all',
          form: checked,
        });
        return c.html(page.toString(), 400);
      }
      const now = deps.now();
      const v = checked.values;
      const action = await addAction(
        deps.store,
        {
          contractId: contract.id,
          text: v.text!,
          owner: v.owner!,
          due: v.due!,
          notes: v.notes ?? '',
          by: caller.user.id,
        },
        now,
      );
      await auditPlanAction(deps.store, c, { after: action }, now);
      return c.redirect(`${planPaths.plan(contract)}?done=added`, 303);
    },
  ),

  route(
    'GET',
    '/contracts/:id/plan/actions/:action',
    { access: 'update-plan-action', from: { param: 'id' } },
    async (c, { deps, caller, contract }) => {
      const id = c.req.param('action') ?? '';
      const action = (await planActions(deps.store, contract.id)).find((a) => a.id === id);
      if (!action)
        throw new WebError(
          404,
          `Contract "${contract.id}"'s improvement plan has no action "${id}". Check the address, or find the action on the plan's page.`,
        );
      const page = actionPage({
        reference: caller.reference,
        contract,
        action,
        fields: planFieldsFor(caller.user, contract)!,
      });
      return c.html(page.toString());
    },
  ),

  route(
    'POST',
    '/contracts/:id/plan/actions/:action',
    { access: 'update-plan-action', from: { param: 'id' } },
    async (c, { deps, caller, contract }) => {
      const id = c.req.param('action') ?? '';
      const fields = planFieldsFor(caller.user, contract)!;
      const current = (await planActions(deps.store, contract.id)).find((a) => a.id === id);
      if (!current)
        throw new WebError(
          404,
          `Contract "${contract.id}"'s improvement plan has no action "${id}". Check the address, or find the action on the plan's page.`,
        );
      const body = await c.req.parseBody();
      const checked = checkAction(body, fields, false);
      if (!checked.ok) {
        const page = actionPage({
          reference: caller.reference,
          contract,
          action: current,
          fields,
          form: checked,
        });
        return c.html(page.toString(), 400);
      }
      const now = deps.now();
      const change = await updateAction(
        deps.store,
        { contractId: contract.id, id, changes: checked.values, by: caller.user.id },
        now,
      );
      await auditPlanAction(deps.store, c, change, now);
      return c.redirect(`${planPaths.plan(contract)}?done=updated`, 303);
    },
  ),

  // The manager's commentary on a quarter's review pack.
  route(
    'POST',
    '/contracts/:id/review/commentary',
    { access: 'write-plan', from: { param: 'id' } },
    async (c, { deps, caller, contract }) => {
      const body = await c.req.parseBody();
      const quarter = typeof body['quarter'] === 'string' ? body['quarter'] : '';
      if (!quarterIdSchema.safeParse(quarter).success)
        throw new WebError(
          400,
          `"${quarter}" is not a quarter. Give it as the financial year and quarter, like 2025-26-Q4.`,
        );
      const now = deps.now();
      const written = await writeCommentary(
        deps.store,
        { contractId: contract.id, quarter, text: body['commentary'], by: caller.user.id },
        now,
      );
      if (!written.ok) throw new WebError(400, `${written.error}.`);
      await auditCommentary(deps.store, c, written.commentary, now);
      return c.redirect(
        `/contracts/${encodeURIComponent(contract.id)}/review?quarter=${quarter}&done=commentary#commentary`,
        303,
      );
    },
  ),
];
