/**
 * Routes of the manager area of the app: the portfolio overview, a contract's data quality,
 * and the quarterly Provider Performance Review. Providers see these for their own contracts,
 * contract managers for their portfolio, admins for all; commissioners are refused, since they
 * compare providers through the commissioner pages with small numbers suppressed.
 */
import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { withMarts, type CuratedDb } from '../../../pipelines/transform/query.js';
import type { Html } from '../../../reports/html.js';
import {
  renderPage,
  runQueries,
  type PageContext,
  type QueryParams,
  type ReportPage,
} from '../../../reports/page.js';
import {
  contractQuality,
  contractQualityForManagers,
} from '../../../reports/pages/contract-quality/index.js';
import { contractMeasures, measureFilters } from '../../../reports/pages/measures/index.js';
import { portfolio } from '../../../reports/pages/portfolio/index.js';
import { fairComparisonPage } from '../../../reports/pages/fair-comparison/index.js';
import { providerReviewPage } from '../../../reports/pages/provider-review/index.js';
import { contractNameIn, ragRuleIn } from '../../../reports/names.js';
import { route, type Route } from '../auth/guard.js';
import {
  canReview,
  canSeeParticipantRows,
  canSubmitFor,
  planFieldsFor,
  seesDoubleClaims,
  visibleContracts,
} from '../../../pipelines/access/index.js';
import type { Deps } from '../deps.js';
import { WebError } from '../errors.js';
import {
  newestCompleteQuarter,
  parseQuarter,
  quartersOf,
} from '../../../reports/pages/provider-review/quarter.js';
import { commentaryFor, planActions } from '../../../pipelines/review/plans.js';
import { interventionOf } from '../../../pipelines/reference/schema.js';
import { periodsBetween } from '../../../pipelines/calendar/periods.js';
import { returnStatesOf } from '../../../pipelines/review/approval.js';
import { listReceipts, listSubmissions } from '../../../pipelines/ingest/ingest.js';
import {
  checkAnswers,
  newestReviews,
  reviewReturn,
  reviewsFor,
} from '../../../pipelines/review/review.js';
import { receiptPage, returnsPaths } from '../../../reports/pages/returns/index.js';
import { auditReopening, auditReview } from './audit-hooks.js';
import { notifyNow } from '../notify.js';
import { reviewNotices } from '../../../pipelines/notify/due.js';
import { checkReason, reopenReturn, returnStateOf } from '../../../pipelines/review/approval.js';
import { periodSchema } from '../../../pipelines/reference/schema.js';
import { returnVersionsOf } from '../../../pipelines/ingest/versions.js';
import { askedDownload, downloadHref, sendDownload, wantsDownload } from './downloads.js';
import { cachedPage } from '../page-cache.js';
import { changeSummary } from '../../../pipelines/ingest/changes.js';
import { today } from '../../../pipelines/calendar/days.js';
import { worklist } from '../../../pipelines/returns/worklist.js';
import { queuePage, queuePath } from '../../../reports/pages/queue/index.js';
import { openMartsForPages } from '../published.js';
import { loadReferenceCached } from '../../../pipelines/ingest/reference-store.js';

const navigation = [
  { text: 'Your contracts', href: '/' },
  { text: 'Portfolio', href: '/portfolio' },
];

/** The page, or one of its tables as CSV or XLSX when the URL asks (`?table=…&format=csv`). */
export async function pageOrDownload<P extends QueryParams, Q extends string>(
  c: Context,
  page: ReportPage<P, Q>,
  db: CuratedDb,
  context: PageContext<P>,
  name: string,
): Promise<Response> {
  const asked = askedDownload(c, page);
  if (asked) return sendDownload(c, page, db, context, asked, name);
  const html: Html = await renderPage(page, db, context);
  return c.html(html.toString());
}

export const managerRoutes: Route[] = [
  // The review queue: the returns of the contracts the caller reviews, across the portfolio.
  route('GET', queuePath, { access: 'queue' }, async (c, { deps, caller }) => {
    const contracts = visibleContracts(caller.user, caller.reference).filter((x) =>
      canReview(caller.user, x),
    );
    const work = await worklist(deps.store, contracts, today(deps.now()));
    return c.html(queuePage(work, caller.reference).toString());
  }),

  route('GET', '/portfolio', { access: 'portfolio' }, async (c, { deps, caller }) => {
    const contracts = visibleContracts(caller.user, caller.reference).map((x) => x.id);
    const context = {
      params: { contracts: contracts.join(',') },
      contractName: contractNameIn(caller.reference),
      ragRule: ragRuleIn(caller.reference),
      navigation,
      downloadHref: downloadHref('/portfolio'),
    };
    if (wantsDownload(c))
      return withMarts(
        () => openMartsForPages(deps),
        (db) => pageOrDownload(c, portfolio, db, context, 'portfolio'),
      );
    // The same page for everyone with the same contracts, until the next build.
    const page = await cachedPage(deps.store, `portfolio|${context.params.contracts}`, () =>
      withMarts(
        () => openMartsForPages(deps),
        async (db) => ({
          html: (await renderPage(portfolio, db, context)).toString(),
          status: 200,
        }),
      ),
    );
    return c.html(page.html);
  }),

  // The programme's own measures (ADR 024): one contract, or every contract the caller may see.
  route(
    'GET',
    '/contracts/:id/measures',
    { access: 'read-contract-figures', from: { param: 'id' } },
    async (c, { deps, caller, contract }) => {
      const names = contractNameIn(caller.reference);
      return measuresFor(
        c,
        deps,
        names,
        [contract.id],
        names(contract.id),
        `/contracts/${encodeURIComponent(contract.id)}/measures`,
        `${contract.id}-measures`,
      );
    },
  ),

  route('GET', '/portfolio/measures', { access: 'portfolio' }, async (c, { deps, caller }) => {
    const contracts = visibleContracts(caller.user, caller.reference).map((x) => x.id);
    return measuresFor(
      c,
      deps,
      contractNameIn(caller.reference),
      contracts,
      'Your contracts',
      '/portfolio/measures',
      'portfolio-measures',
    );
  }),

  // The fair comparison for the programmes and providers of the caller's contracts (issue 14):
  // the suppressed figures, as commissioners see them, since a row compares with the programme.
  route(
    'GET',
    '/portfolio/fair-comparison',
    { access: 'portfolio' },
    async (c, { deps, caller }) => {
      const contracts = visibleContracts(caller.user, caller.reference);
      const scope = [...new Set(contracts.map((x) => `${x.programme_id}:${x.provider_id}`))];
      const names = Object.fromEntries(caller.reference.providers.map((p) => [p.id, p.name]));
      return withMarts(
        () => openMartsForPages(deps),
        (db) =>
          pageOrDownload(
            c,
            fairComparisonPage(names),
            db,
            {
              params: { scope: scope.join(','), title: 'Your contracts' },
              navigation,
              downloadHref: downloadHref('/portfolio/fair-comparison'),
            },
            'portfolio-fair-comparison',
          ),
      );
    },
  ),

  route(
    'GET',
    '/contracts/:id/quality',
    { access: 'read-contract-figures', from: { param: 'id' } },
    async (c, { deps, caller, contract }) => {
      const base = `/contracts/${encodeURIComponent(contract.id)}/quality`;
      // A provider is told a participant is also under another contract, never which: its
      // version of the page does not read double_claims at all.
      const context = {
        params: { contract: contract.id },
        contractName: contractNameIn(caller.reference),
        navigation,
        downloadHref: downloadHref(base),
      };
      return withMarts(
        () => openMartsForPages(deps),
        (db) =>
          seesDoubleClaims(caller.user)
            ? pageOrDownload(c, contractQualityForManagers, db, context, `${contract.id}-quality`)
            : pageOrDownload(c, contractQuality, db, context, `${contract.id}-quality`),
      );
    },
  ),

  route(
    'GET',
    '/contracts/:id/review',
    { access: 'read-contract-figures', from: { param: 'id' } },
    async (c, { deps, caller, contract }) => {
      const asked = c.req.query('quarter');
      const parsed = asked === undefined ? undefined : parseQuarter(asked);
      if (parsed === null)
        throw new WebError(
          400,
          `"${asked}" is not a quarter. Give the financial year and quarter, like 2025-26-Q4 (January to March 2026).`,
        );
      return withMarts(
        () => openMartsForPages(deps),
        async (db) => {
          const { rows } = await db.query(
            'select distinct period from performance where contract_id = $contract',
            { contract: contract.id },
          );
          const periods = rows.map((r) => String(r.period));
          let quarter = parsed;
          if (quarter === undefined) {
            const newest = newestCompleteQuarter(periods);
            if (newest === null)
              throw new WebError(
                404,
                `There are no figures for contract "${contract.id}" yet: they appear once a return has been accepted.`,
              );
            quarter = parseQuarter(newest)!;
          }
          const now = deps.now();
          const programme = caller.reference.programmes.find(
            (p) => p.id === contract.programme_id,
          )!;
          const [actions, commentary, states] = await Promise.all([
            planActions(deps.store, contract.id),
            commentaryFor(deps.store, contract.id, quarter.id),
            returnStatesOf(
              deps.store,
              caller.reference,
              contract,
              periodsBetween(quarter.from, quarter.to),
              now,
            ),
          ]);
          const mayWrite = planFieldsFor(caller.user, contract) === 'all';
          const saved = c.req.query('done') === 'commentary';
          // Kept in the page cache (ADR 049) under what the page shows from outside the marts:
          // the plan, the commentary and the months' states are read at every request, so a
          // change to them is a new page, never an old one served.
          const outside = createHash('sha256')
            .update(JSON.stringify([actions, commentary, [...states]]))
            .digest('base64url');
          const key = `review|${contract.id}|${quarter.id}|${mayWrite}|${saved}|${outside}`;
          const page = await cachedPage(deps.store, key, async () => ({
            html: (
              await renderPage(
                providerReviewPage({
                  reference: caller.reference,
                  contract,
                  rule: interventionOf(programme),
                  actions,
                  commentary,
                  states,
                  quarters: quartersOf(periods),
                  mayWrite,
                  saved,
                }),
                db,
                {
                  params: {
                    contract: contract.id,
                    quarter: quarter.id,
                    label: quarter.label,
                    from: quarter.from,
                    to: quarter.to,
                  },
                  contractName: contractNameIn(caller.reference),
                  ragRule: ragRuleIn(caller.reference),
                  navigation,
                },
              )
            ).toString(),
            status: 200,
          }));
          return c.html(page.html);
        },
      );
    },
  ),

  // Accept a return or query it: the contract's manager and admins only.
  route(
    'POST',
    '/contracts/:id/returns/:receipt/review',
    { access: 'review-contract', from: { param: 'id' } },
    async (c, { deps, caller, contract }) => {
      const id = c.req.param('receipt') ?? '';
      const receipt = (await listReceipts(deps.store, { contractId: contract.id })).find(
        (r) => r.id === id,
      );
      if (!receipt)
        throw new WebError(
          404,
          `There is no receipt "${id}" for contract "${contract.id}". Check the address, or find it in the returns sent for the contract.`,
        );
      const body = await c.req.parseBody();
      const checked = checkAnswers({ decision: body['decision'], message: body['message'] });
      if (!checked.ok) {
        const review =
          newestReviews(await reviewsFor(deps.store, contract.id, receipt.period)).get(
            receipt.id,
          ) ?? null;
        const ctx = {
          contract,
          reference: caller.reference,
          maySubmit: canSubmitFor(caller.user, contract),
        };
        const page = receiptPage(ctx, receipt, {
          showProblems: canSeeParticipantRows(caller.user),
          review,
          mayReview: true,
          reviewForm: checked,
          ...(receipt.status === 'accepted' && receipt.kind === 'participant'
            ? { changes: await changeSummary(deps.store, receipt) }
            : {}),
        });
        return c.html(page.toString(), 400);
      }
      const now = deps.now();
      const review = await reviewReturn(
        deps.store,
        {
          contractId: contract.id,
          receiptId: receipt.id,
          decision: checked.decision,
          message: checked.message,
          by: caller.user.id,
        },
        now,
      );
      await auditReview(deps.store, c, review, now);
      await notifyNow(
        deps,
        caller.reference,
        reviewNotices(caller.reference, review),
        now,
        caller.user.id,
      );
      return c.redirect(returnsPaths.receipt(receipt), 303);
    },
  ),

  // Reopen a locked or closed month (ADR 032): the contract's manager and admins, with a reason.
  route(
    'POST',
    '/contracts/:id/months/:period/reopen',
    { access: 'review-contract', from: { param: 'id' } },
    async (c, { deps, caller, contract }) => {
      const period = c.req.param('period') ?? '';
      if (!periodSchema.safeParse(period).success)
        throw new WebError(400, `"${period}" is not a month: give it as YYYY-MM, like 2025-04.`);
      const body = await c.req.parseBody();
      const receiptId = typeof body['receipt'] === 'string' ? body['receipt'] : '';
      const { receipts, actions } = await listSubmissions(deps.store, {
        contractId: contract.id,
        period,
      });
      const receipt = receipts.find((r) => r.id === receiptId);
      const back = receipt ? returnsPaths.receipt(receipt) : returnsPaths.history(contract);
      const now = deps.now();
      const checked = checkReason(body['reason']);
      if (!checked.ok) {
        if (!receipt) throw new WebError(400, `${checked.error}.`);
        const ctx = {
          contract,
          reference: caller.reference,
          maySubmit: canSubmitFor(caller.user, contract),
        };
        const page = receiptPage(ctx, receipt, {
          showProblems: canSeeParticipantRows(caller.user),
          review: newestReviews(await reviewsFor(deps.store, contract.id, period)).get(receipt.id),
          mayReview: true,
          versions:
            returnVersionsOf(receipts, actions).find((rv) =>
              rv.versions.some((v) => v.receipt.id === receipt.id),
            ) ?? null,
          returnState: await returnStateOf(deps.store, caller.reference, contract, period, now),
          mayReopen: true,
          reopenForm: { error: checked.error },
        });
        return c.html(page.toString(), 400);
      }
      const reopening = await reopenReturn(
        deps.store,
        caller.reference,
        { contract, period, reason: checked.reason, by: caller.user.id },
        now,
      );
      await auditReopening(deps.store, c, reopening, now);
      return c.redirect(receipt ? `${back}?done=reopened` : back, 303);
    },
  ),
];

/** The true measures page (or one of its tables) for these contracts, filtered as the URL asks. */
async function measuresFor(
  c: Context,
  deps: Deps,
  contractName: (id: string) => string,
  contracts: readonly string[],
  title: string,
  base: string,
  name: string,
): Promise<Response> {
  const filters = measureFilters(
    c.req.query('breakdown'),
    c.req.query('grain'),
    c.req.query('cohort'),
  );
  if (!filters)
    throw new WebError(
      400,
      'Choose a breakdown by its name (for example support_tier), a period grain (month, quarter, financial_year, programme_year or to_date) and a cohort (event or referral).',
    );
  const context = {
    params: { contracts: contracts.join(','), title, ...filters },
    contractName,
    navigation,
    downloadHref: downloadHref(base, {
      breakdown: filters.breakdown,
      grain: filters.grain,
      cohort: filters.cohort,
    }),
  };
  return withMarts(
    () => openMartsForPages(deps),
    async (db) => {
      const response = await pageOrDownload(c, contractMeasures, db, context, name);
      warmMeasures(deps, db.manifest.build_id, filters.cohort);
      return response;
    },
  );
}

/** The builds and cohorts whose measures are being, or have been, read ahead. */
const warmed = new Set<string>();

/**
 * After the first measures page under a build, every contract's measures in that cohort are
 * read in the background, one contract at a time, into the results kept by parts
 * (docs/decisions/043): a later page of any contract, breakdown and grain then runs no query.
 * The kept rows are the full engine's, served only through a route whose guard has let the
 * caller see those contracts, as every page over the full engine.
 */
function warmMeasures(deps: Deps, buildId: string, cohort: string): void {
  const key = `${buildId}|${cohort}`;
  if (warmed.has(key)) return;
  warmed.add(key);
  void (async () => {
    const contracts = (await loadReferenceCached(deps.store)).contracts.map((x) => x.id);
    for (const contract of contracts) {
      await new Promise((resolve) => setImmediate(resolve));
      const current = await withMarts(
        () => openMartsForPages(deps),
        async (db) => {
          if (db.manifest.build_id !== buildId) return false;
          await runQueries(contractMeasures, db, {
            params: { contracts: contract, title: '', breakdown: 'all', grain: 'to_date', cohort },
          });
          return true;
        },
      );
      if (!current) return;
    }
  })().catch(() => undefined);
}
