/**
 * The commissioner pages as a static site: every programme's overview, an index of them and the
 * assets they use, written to a folder that works opened from disk (file://) and served from a
 * bucket behind CloudFront, under any path. Pages are rendered by the same code as the web app
 * (reports/page.ts renderPage with reports/pages/programme-overview/, no filters).
 *
 * What may be published is what commissioners may see: the pages are rendered from the restricted
 * engine (pipelines/analytics/restricted.ts; ADR 020), a DuckDB instance holding only the
 * published tables (the suppressed marts and provider_timeliness, which counts returns, not
 * people) with no file access, so a change to a page cannot leak a true small count: the true
 * figures are not there to be read.
 *
 * @example
 *   const { files } = await publishSite(store, './site');
 *   // site/index.html, site/programmes/plp/index.html, site/assets/govuk-frontend.min.css, …
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { assetPaths, readAsset } from '../assets.js';
import { html, type Html } from '../html.js';
import { layout, type NavItem } from '../layout.js';
import { ragRuleIn } from '../names.js';
import { renderPage } from '../page.js';
import { programmeMeasures } from '../pages/measures/index.js';
import { breakdownsQuery, programmeOverview } from '../pages/programme-overview/index.js';
import { loadReference } from '../../pipelines/ingest/reference-store.js';
import type { Programme, ReferenceData } from '../../pipelines/reference/schema.js';
import type { ObjectStore } from '../../pipelines/store/object-store.js';
import { openRestricted } from '../../pipelines/analytics/restricted.js';
import { NoMartsYetError, type CuratedDb } from '../../pipelines/transform/query.js';

/** The marts a published page may read (derived from the models' `audience`). */
export { PUBLISHABLE_TABLES } from '../../pipelines/analytics/tables.js';

export interface PublishOptions {
  /**
   * Where the site will live, e.g. `/reports/` behind CloudFront. Leave it out (the default) for
   * relative links, so the folder works wherever it is put, including opened from disk.
   */
  basePath?: string;
  /** Called after each file is written. */
  onProgress?: (done: number, total: number, file: string) => void;
  /** The reference data; read from the store when not given. */
  reference?: ReferenceData;
  /** Where the published tables are copied from; default `store` (ADR 020). */
  source?: ObjectStore;
}

export interface PublishResult {
  /** Every file written, relative to the output folder, with `/` separators. */
  files: string[];
  programmes: string[];
  bytes: number;
}

/** The page for one programme, with links made for a static folder. */
async function programmePage(
  db: CuratedDb | null,
  reference: ReferenceData,
  programme: Programme,
  base: string,
  home: string,
): Promise<string> {
  const navigation: NavItem[] = [{ text: 'All programmes', href: home }];
  const providers = new Map(reference.providers.map((p) => [p.id, p.name]));
  const contracts = reference.contracts
    .filter((x) => x.programme_id === programme.id)
    .map((x) => ({
      id: x.id,
      providerId: x.provider_id,
      providerName: providers.get(x.provider_id) ?? x.provider_id,
      areaCode: x.area.code,
      areaName: x.area.name,
    }));
  let page: Html;
  if (!db) {
    page = layout({
      title: `Programme overview: ${programme.name}`,
      basePath: base,
      signedIn: false,
      navigation,
      content: html`<span class="govuk-caption-l">${programme.name}</span>
<h1 class="govuk-heading-l">Programme overview</h1>
<p class="govuk-body">There are no figures yet. They appear once a return has been accepted.</p>`,
    });
  } else {
    const breakdowns = (await db.query(breakdownsQuery, { programme: programme.id })).rows.map(
      (r) => String(r.breakdown),
    );
    const none = { area: '', period: '', breakdown: '', highlight: '' };
    const overview = programmeOverview({
      programme: { id: programme.id, name: programme.name },
      profiledMeasures: programme.measures.filter((m) => m.profiled).map((m) => m.id),
      contracts,
      breakdowns,
      filters: none,
      entered: none,
      errors: [],
    });
    page = await renderPage(overview, db, {
      params: {
        programme: programme.id,
        contracts: contracts.map((x) => x.id).join(','),
        providers: [...new Set(contracts.map((x) => x.providerId))].join(','),
        period: '',
        breakdown: '',
      },
      navigation,
      basePath: base,
      signedIn: false,
      ragRule: ragRuleIn(reference),
    });
  }
  return staticLinks(page.toString(), base, home);
}

/**
 * The published measures pages of a programme (suppressed, ADR 024 and 035): the term to date,
 * and by programme year.
 */
const measuresFiles = (p: Programme) =>
  [
    { file: `programmes/${p.id}/measures/index.html`, grain: 'to_date', depth: '../../../' },
    {
      file: `programmes/${p.id}/measures/programme-years/index.html`,
      grain: 'programme_year',
      depth: '../../../../',
    },
  ] as const;

/** The programme's own measures, suppressed, for a static folder. */
async function measuresPage(
  db: CuratedDb,
  reference: ReferenceData,
  programme: Programme,
  absolute: string | null,
  grain: string,
  depth: string,
): Promise<string> {
  const base = absolute ?? depth;
  const home = `${base}index.html`;
  const contracts = reference.contracts.filter((x) => x.programme_id === programme.id);
  const page = await renderPage(programmeMeasures, db, {
    params: {
      contracts: contracts.map((x) => x.id).join(','),
      breakdown: 'all',
      grain,
      cohort: 'event',
      title: programme.name,
    },
    navigation: [{ text: 'All programmes', href: home }],
    basePath: base,
    signedIn: false,
  });
  const other =
    grain === 'to_date'
      ? `<a class="govuk-link" href="programme-years/index.html">The same measures by programme year</a>`
      : `<a class="govuk-link" href="../index.html">The same measures for the whole term to date</a>`;
  return staticLinks(page.toString(), base, home).replace(
    /<p class="govuk-body">Choose a breakdown by adding[\s\S]*?<\/p>/,
    `<p class="govuk-body">${other}. Figures by breakdown are in the Outturn service.</p>`,
  );
}

/**
 * What only works on the live app is taken out: the filter form (it asks the server) and its
 * pointer to the filters, and the links to the programme's other pages (fair comparison, data
 * quality, common problems), which the static site does not have; the service name's link goes
 * to the index page rather than a folder.
 */
export function staticLinks(page: string, base: string, home: string): string {
  return page
    .replace(/<form method="get" action="\/programmes\/[^"]*" novalidate>[\s\S]*?<\/form>\n?/, '')
    .replace(
      /<h2 class="govuk-heading-s">More about this programme<\/h2>\n<ul class="govuk-list">[\s\S]*?<\/ul>\n?/,
      '',
    )
    .replace(
      /<p class="govuk-body">Choose a breakdown in the filters[^<]*<\/p>/,
      '<p class="govuk-body">Job entry rates by breakdown are in the Outturn service.</p>',
    )
    .replaceAll(
      `href="${base}" class="govuk-service-navigation__link"`,
      `href="${home}" class="govuk-service-navigation__link"`,
    );
}

function indexPage(
  programmes: readonly Programme[],
  base: string,
  link: (p: Programme) => string,
  home: string,
): string {
  const content = html`<h1 class="govuk-heading-l">Programme overviews</h1>
<p class="govuk-body">Each programme’s providers against profile, job entry rates, and reporting rate and timeliness. Counts of 1 to 4 people are shown as “&lt;5” so that no one can be identified.</p>
${
  programmes.length
    ? html`<ul class="govuk-list govuk-list--bullet">
${programmes.map(
  (p) => html`<li><a class="govuk-link" href="${link(p)}">${p.name}</a></li>
`,
)}</ul>`
    : html`<p class="govuk-body">There are no programmes yet.</p>`
}`;
  return staticLinks(
    layout({ title: 'Programme overviews', content, basePath: base, signedIn: false }).toString(),
    base,
    home,
  );
}

/** Writes the site to `outDir` and lists what it wrote. */
export async function publishSite(
  store: ObjectStore,
  outDir: string,
  options: PublishOptions = {},
): Promise<PublishResult> {
  const reference = options.reference ?? (await loadReference(store));
  const programmes = [...reference.programmes].sort((a, b) => a.name.localeCompare(b.name));
  const absolute =
    options.basePath !== undefined
      ? options.basePath.endsWith('/')
        ? options.basePath
        : `${options.basePath}/`
      : null;
  const programmeFile = (p: Programme) => `programmes/${p.id}/index.html`;
  const assets = assetPaths();
  const total = 3 * programmes.length + 1 + assets.length;
  const files: string[] = [];
  let bytes = 0;
  const write = async (file: string, body: string | Uint8Array) => {
    const path = join(outDir, ...file.split('/'));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, body);
    files.push(file);
    bytes += typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
    options.onProgress?.(files.length, total, file);
  };

  // Every contract's published rows: the site is for everyone who may see a programme's figures.
  const scope = {
    contracts: reference.contracts.map((c) => ({
      id: c.id,
      programme_id: c.programme_id,
      provider_id: c.provider_id,
    })),
  };
  let db: CuratedDb | null = null;
  try {
    db = await openRestricted(store, scope, options.source ? { source: options.source } : {});
  } catch (e) {
    if (!(e instanceof NoMartsYetError)) throw e;
  }
  try {
    for (const p of programmes) {
      const base = absolute ?? '../../';
      const home = `${absolute ?? '../../'}index.html`;
      await write(programmeFile(p), await programmePage(db, reference, p, base, home));
      if (db)
        for (const m of measuresFiles(p))
          await write(m.file, await measuresPage(db, reference, p, absolute, m.grain, m.depth));
    }
  } finally {
    db?.close();
  }
  await write(
    'index.html',
    indexPage(
      programmes,
      absolute ?? '',
      (p) => `${absolute ?? ''}${programmeFile(p)}`,
      `${absolute ?? ''}index.html`,
    ),
  );
  for (const path of assets) {
    const asset = await readAsset(path);
    if (asset) await write(path.replace(/^\//, ''), asset.body);
  }
  return { files, programmes: programmes.map((p) => p.id), bytes };
}
