/**
 * The pages: sign-in and sign-out, the signed-in home page, and a contract's page.
 *
 * Locally, sign-in is picking a demo user; with `deps.cognito` (AWS) it is Cognito's hosted UI
 * (./cognito-sign-in.ts) and picking a user is refused.
 */
import { loadReferenceCached } from '../../../pipelines/ingest/reference-store.js';
import { today } from '../../../pipelines/calendar/days.js';
import { worklist } from '../../../pipelines/returns/worklist.js';
import { withMarts } from '../../../pipelines/transform/query.js';
import { readAsset } from '../../../reports/assets.js';
import { cachedBytes, cachedPage, MAX_BYTES, pageBytes, type RenderedPage } from '../page-cache.js';
import type { Deps } from '../deps.js';
import type { Contract, ReferenceData } from '../../../pipelines/reference/schema.js';
import { getJson, type ObjectStore } from '../../../pipelines/store/object-store.js';
import { CURRENT_KEY } from '../../../pipelines/transform/curated.js';
import { openMartsForPages, openPublishedForPages } from '../published.js';
import { figuresBehindBanner, MAIN } from '../figures-behind.js';
import { askedDownload, downloadHref, sendDownload, wantsDownload } from './downloads.js';
import { renderPage } from '../../../reports/page.js';
import {
  contractPageParams,
  contractPerformance,
} from '../../../reports/pages/contract-performance/index.js';
import { route } from '../auth/guard.js';
import {
  canSeeParticipantRows,
  canSubmitFor,
  checkContractAccess,
  manageableProgrammes,
  queryableTables,
  readsProgrammeOverviews,
  reviewsReturns,
  partnerOf,
  visibleContracts,
  visibleProgrammes,
} from '../../../pipelines/access/index.js';
import { endSession, startSession } from '../auth/session.js';
import { returnStatesSummary } from '../../../reports/components/return-state.js';
import { returnStatesOf } from '../../../pipelines/review/approval.js';
import { receiptPeriods } from '../../../pipelines/ingest/receipt.js';
import { contractPublishedPage } from '../../../reports/pages/contract-published/index.js';
import { contractTitle, ragRuleIn } from '../../../reports/names.js';
import { pageOrDownload } from './manager.js';
import { contractLevelSection } from './plan.js';
import { interventionOf } from '../../../pipelines/reference/schema.js';
import { homePage } from '../../../reports/pages/home/index.js';
import { signInPage } from '../../../reports/pages/sign-in/index.js';
import { WebError } from '../errors.js';
import { auditSignIn } from './audit-hooks.js';
import { finishCognitoSignIn, signOutOfCognito, startCognitoSignIn } from './cognito-sign-in.js';

export const pageRoutes = [
  route('GET', '/sign-in', { access: 'anyone' }, async (c, { deps }) => {
    if (deps.cognito) return startCognitoSignIn(c, deps, deps.cognito);
    const { users } = await loadReferenceCached(deps.store);
    return c.html(signInPage(users).toString());
  }),

  route('POST', '/sign-in', { access: 'anyone' }, async (c, { deps }) => {
    if (deps.cognito)
      throw new WebError(
        403,
        'This Outturn signs you in through its sign-in service, so choosing a demo user is switched off. Go to /sign-in to sign in.',
      );
    const { users } = await loadReferenceCached(deps.store);
    const chosen = (await c.req.parseBody())['user'];
    const user = users.find((u) => u.id === chosen);
    if (!user)
      return c.html(
        signInPage(users, { error: 'Select who you are signing in as' }).toString(),
        400,
      );
    await startSession(c, deps, user.id, { via: 'local' });
    await auditSignIn(deps.store, c, user.id, deps.now());
    return c.redirect('/', 303);
  }),

  // Only with Cognito: where the hosted UI sends the browser back with the authorization code.
  route('GET', '/auth/callback', { access: 'anyone' }, (c, { deps }) => {
    if (!deps.cognito)
      throw new WebError(
        404,
        'This copy of Outturn does not sign in through Cognito. Sign in at /sign-in.',
      );
    return finishCognitoSignIn(c, deps, deps.cognito);
  }),

  route('POST', '/sign-out', { access: 'anyone' }, async (c, { deps }) => {
    if (deps.cognito) return signOutOfCognito(c, deps, deps.cognito);
    await endSession(c, deps);
    return c.redirect('/sign-in', 303);
  }),

  route('GET', '/', { access: 'signed-in' }, async (c, { deps, caller }) => {
    const visible = visibleContracts(caller.user, caller.reference);
    // A provider's home is its to-do list: the contracts whose returns it sends.
    const work = await worklist(
      deps.store,
      visible.filter((contract) => canSubmitFor(caller.user, contract)),
      today(deps.now()),
    );
    // The site cookies are set at sign-in only when the app signs them (AWS, ADR 018).
    return c.html(
      homePage({
        user: caller.user,
        work,
        queue: reviewsReturns(caller.user),
        partnerOf: partnerOf(caller.user, caller.reference)?.contract ?? null,
        reference: caller.reference,
        contracts: visible,
        programmes: readsProgrammeOverviews(caller.user)
          ? visibleProgrammes(caller.user, caller.reference)
          : [],
        portfolio: canSeeParticipantRows(caller.user),
        referenceData: manageableProgrammes(caller.user) !== null,
        analytics: queryableTables(caller.user) !== null,
        publishedSite: deps.cognito?.siteCookies !== undefined,
      }).toString(),
    );
  }),

  // The govuk-frontend styles, fonts and images, served by the app itself: no CDN.
  route('GET', '/assets/*', { access: 'anyone' }, async (c) => {
    const asset = await readAsset(c.req.path);
    if (!asset) return c.text('Not found', 404);
    return c.body(asset.body as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': asset.contentType,
      'Cache-Control': 'public, max-age=86400',
    });
  }),

  // Commissioners see a contract only through the suppressed marts (DESIGN §5), read through
  // their restricted engine (ADR 020): its page and downloads are contractPublishedPage.
  route(
    'GET',
    '/contracts/:id',
    { access: 'read-contract', from: { param: 'id' } },
    async (c, { deps, caller, contract }) => {
      if (!canSeeParticipantRows(caller.user)) {
        const programme = caller.reference.programmes.find((p) => p.id === contract.programme_id)!;
        const page = contractPublishedPage({
          contractId: contract.id,
          title: contractTitle(contract, caller.reference),
          programme: { id: programme.id, name: programme.name },
          profiledMeasures: programme.measures.filter((m) => m.profiled).map((m) => m.id),
          rule: interventionOf(programme),
        });
        const db = await openPublishedForPages(deps, caller);
        try {
          return await pageOrDownload(
            c,
            page,
            db,
            {
              params: { contract: contract.id },
              navigation: [{ text: 'Your contracts', href: '/' }],
              downloadHref: downloadHref(`/contracts/${encodeURIComponent(contract.id)}`),
              ragRule: ragRuleIn(caller.reference),
            },
            contract.id,
          );
        } finally {
          db.close();
        }
      }
      if (wantsDownload(c)) {
        // The downloads hold the true figures: the rule of the contract's figures pages.
        checkContractAccess('read-contract-figures', caller.user, caller.reference, contract.id);
        const asked = askedDownload(c, contractPerformance)!;
        return withMarts(
          () => openMartsForPages(deps),
          (db) =>
            sendDownload(
              c,
              contractPerformance,
              db,
              { params: contractPageParams(contract, caller.reference) },
              asked,
              contract.id,
            ),
        );
      }
      let drawn = false;
      const page = await contractPage(deps, caller.reference, contract, () => (drawn = true));
      // Drawn here, not kept: maybe the first contract page under this build.
      if (drawn) warmContractPages(deps, caller.reference);
      // Locks and closings change without a build, so they are added after the page cache.
      const periods = await receiptPeriods(deps.store, contract.id);
      const [states, banner] = await Promise.all([
        returnStatesOf(deps.store, caller.reference, contract, periods, deps.now()).then((months) =>
          returnStatesSummary(months).toString(),
        ),
        figuresBehindBanner(deps.store, [contract.id]),
      ]);
      return c.body(pageBytes(page, [banner, states], MAIN), page.status as 200, {
        'Content-Type': 'text/html; charset=UTF-8',
      });
    },
  ),
];

/**
 * A contract's page under the marts in force, rendered once per build (../page-cache.ts);
 * `onDraw` is called when it is rendered for this call rather than found kept.
 */
function contractPage(
  deps: Deps,
  reference: ReferenceData,
  contract: Contract,
  onDraw: () => void = () => undefined,
): Promise<RenderedPage> {
  return cachedPage(deps.store, `contract|${contract.id}`, () => {
    onDraw();
    return withMarts(
      () => openMartsForPages(deps),
      async (db) => {
        const id = encodeURIComponent(contract.id);
        const navigation = [
          { text: 'Your contracts', href: '/' },
          { text: 'Performance', href: `/contracts/${id}`, current: true },
          { text: 'Returns sent', href: `/contracts/${id}/returns` },
          { text: 'Data quality', href: `/contracts/${id}/quality` },
          { text: 'Claims verification', href: `/contracts/${id}/claims` },
          { text: 'Quarterly review', href: `/contracts/${id}/review` },
          { text: 'Improvement plan', href: `/contracts/${id}/plan` },
        ];
        const body = await renderPage(contractPerformance, db, {
          params: contractPageParams(contract, reference),
          navigation,
          downloadHref: downloadHref(`/contracts/${id}`),
        });
        // The intervention level (ADR 039): its own section, at the foot of the page. From the
        // marts of this build, so kept with the page.
        const level = await contractLevelSection(deps, reference, contract);
        return { html: body.toString().replace('</main>', `${level}\n</main>`), status: 200 };
      },
    );
  });
}

/** The build each store's contract pages were last drawn ahead for. */
const warmedFor = new WeakMap<ObjectStore, string>();

/**
 * After the first contract page under a build, every other contract's page is drawn in the
 * background, one at a time, giving way to requests between them: a contract page costs its
 * charts (five, 50–130 ms of ECharts) and seven queries the first time, and fifty people opening
 * a dozen contracts at once otherwise all wait behind a dozen pages drawn together
 * (docs/decisions/049). Stops when a newer build is switched in or the page cache is half full.
 */
function warmContractPages(deps: Deps, reference: ReferenceData): void {
  void (async () => {
    const pointer = await getJson<{ build_id: string }>(deps.store, CURRENT_KEY);
    if (!pointer || warmedFor.get(deps.store) === pointer.build_id) return;
    warmedFor.set(deps.store, pointer.build_id);
    for (const contract of reference.contracts) {
      await new Promise((resolve) => setImmediate(resolve));
      const now = await getJson<{ build_id: string }>(deps.store, CURRENT_KEY);
      if (now?.build_id !== pointer.build_id || cachedBytes() > MAX_BYTES / 2) return;
      await contractPage(deps, reference, contract);
    }
  })().catch(() => undefined);
}
