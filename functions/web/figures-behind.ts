/**
 * Pages say when their figures are behind (ADR 027): a GOV.UK notification banner, "These
 * figures do not yet include …", on a dashboard whose contracts have receipts the marts in force
 * lack (a build failed, or is still running). Added after the page cache (./page-cache.ts), which
 * keeps pages per build, since the receipts can move on while the build stays the same.
 */
import type { ObjectStore } from '../../pipelines/store/object-store.js';
import { currentLag, describeMissing, type MartsLag } from '../../pipelines/transform/lag.js';
import { escapeHtml } from '../../reports/html.js';

/** One listing of the receipts per store every few seconds, however many pages are served. */
const FRESH_MS = 5_000;
let recent = new WeakMap<ObjectStore, { at: number; lag: Promise<MartsLag> }>();

/** Forgets what was seen: an upload in this process (./pipeline.ts) may have changed the lag. */
export function forgetFiguresBehind(): void {
  recent = new WeakMap();
}

function lagOf(store: ObjectStore): Promise<MartsLag> {
  const seen = recent.get(store);
  if (seen && Date.now() - seen.at < FRESH_MS) return seen.lag;
  const lag = currentLag(store);
  recent.set(store, { at: Date.now(), lag });
  lag.catch(() => recent.delete(store));
  return lag;
}

export const MAIN = '<main class="govuk-main-wrapper" id="main-content">';

/**
 * The banner to put at the top of the main content when any of `contracts` lags, or '' (also
 * when the check fails: the banner is a courtesy). With `name: false` the banner does not say
 * which returns (the commissioner's pages, which show no single return).
 *
 * @example const banner = await figuresBehindBanner(deps.store, [contract.id]);
 */
export async function figuresBehindBanner(
  store: ObjectStore,
  contracts: readonly string[],
  options: { name?: boolean } = {},
): Promise<string> {
  let lag: MartsLag;
  try {
    lag = await lagOf(store);
  } catch {
    return '';
  }
  const shown = new Set(contracts);
  if (!lag.contracts.some((c) => shown.has(c))) return '';
  const missing = lag.missing.filter((r) => shown.has(r.contract_id));
  const what =
    options.name === false || missing.length === 0
      ? 'every return received'
      : describeMissing(missing);
  return `<div class="govuk-notification-banner" role="region" aria-labelledby="figures-behind-title" data-module="govuk-notification-banner">
<div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="figures-behind-title">Important</h2></div>
<div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">These figures do not yet include ${escapeHtml(what)}. They will once the dashboards are next rebuilt; you do not need to send anything again.</p></div>
</div>`;
}

/**
 * The page with the banner at the top of its main content when any of `contracts` lags
 * (`figuresBehindBanner`). A failure to check leaves the page as it is.
 *
 * @example return c.html(await withFiguresBehind(deps.store, page.html, [contract.id]), 200);
 */
export async function withFiguresBehind(
  store: ObjectStore,
  html: string,
  contracts: readonly string[],
  options: { name?: boolean } = {},
): Promise<string> {
  if (!html.includes(MAIN)) return html;
  const banner = await figuresBehindBanner(store, contracts, options);
  return banner ? html.replace(MAIN, `${MAIN}\n${banner}`) : html;
}
