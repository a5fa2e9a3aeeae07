/**
 * Browser tests in Debian's Chromium, driven by playwright-core (never a downloaded browser):
 * the web app served on 127.0.0.1, every request that would leave 127.0.0.1 blocked and
 * recorded, axe-core run inside the page for accessibility, screenshots under test-output/.
 */
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { webFixture } from '../functions/web/fixture.js';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'test-output', 'screenshots');

/** The flags a root, offline, headless Chromium needs here (see the machine notes). */
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function serveApp(
  fetch: (req: Request) => Response | Promise<Response>,
): Promise<{ url: string; close(): Promise<void> }> {
  return new Promise((resolve) => {
    const server: ServerType = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    );
  });
}

export interface BrowserSession {
  browser: Browser;
  context: BrowserContext;
  /** Every request the page tried to make to anywhere but 127.0.0.1. */
  blocked: string[];
  /**
   * Every Content-Security-Policy refusal Chromium logged on any page's console, and every
   * error thrown in a page (there should be no script to throw one).
   */
  policyViolations: string[];
  close(): Promise<void>;
}

/** Runs in every page before its own content: records the page's CSP violations. */
const LISTEN_FOR_VIOLATIONS = `document.addEventListener('securitypolicyviolation', (e) => {
  (window.__outturnViolations ??= []).push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.documentURI);
});`;

/** The CSP violations the page has reported so far. */
export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(
    () => (window as unknown as { __outturnViolations?: string[] }).__outturnViolations ?? [],
  );
}

/**
 * The environment Chromium starts with: this process's, less libfaketime. CI runs the suite with
 * the clock a year ahead (`faketime` in .ci/run), which Chromium does not survive; the app under
 * test runs in this process, with the moved clock, and the browser only renders what it serves.
 */
function browserEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (e): e is [string, string] =>
        e[1] !== undefined && e[0] !== 'LD_PRELOAD' && !e[0].startsWith('FAKETIME'),
    ),
  );
}

export async function openBrowser(): Promise<BrowserSession> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    env: browserEnv(),
  });
  const context = await browser.newContext();
  const policyViolations: string[] = [];
  await context.addInitScript({ content: LISTEN_FOR_VIOLATIONS });
  // Chromium reports a refused style, font, image or form target on the console as well.
  context.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text()))
      policyViolations.push(`console: ${message.text()}`);
  });
  context.on('weberror', (error) => policyViolations.push(`page error: ${error.error().message}`));
  const blocked: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1') return route.continue();
    blocked.push(url.href);
    return route.abort();
  });
  await mkdir(SCREENSHOTS, { recursive: true });
  return { browser, context, blocked, policyViolations, close: () => browser.close() };
}

/** The app and the browser of a test file, once its beforeAll has run (see webAppInBrowser). */
export interface AppInBrowser {
  /** Where the app is served, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly session: BrowserSession;
  /** The session's browser context: `session.context`. */
  readonly context: BrowserContext;
}

/**
 * The set-up every browser test file shares: before its tests, the web app (the web fixture's,
 * or the one `app` makes) served on 127.0.0.1 and Chromium launched; after them, both closed.
 * Call it at the top of the file (or of a describe); read `url` and `session` inside the tests.
 *
 * @example
 *   const web = webAppInBrowser();
 *   it('signs in', async () => {
 *     const page = await web.context.newPage();
 *     await page.goto(`${web.url}/sign-in`);
 *   });
 */
export function webAppInBrowser(
  app: () => Promise<{ fetch: (req: Request) => Response | Promise<Response> }> = async () =>
    (await webFixture()).app,
  options: { timeout?: number } = {},
): AppInBrowser {
  let server: Awaited<ReturnType<typeof serveApp>> | undefined;
  let session: BrowserSession | undefined;
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined)
      throw new Error(`webAppInBrowser: the ${what} is read before its beforeAll has run`);
    return value;
  };
  beforeAll(async () => {
    const { fetch } = await app();
    server = await serveApp(fetch);
    session = await openBrowser();
  }, options.timeout);
  afterAll(async () => {
    await session?.close();
    await server?.close();
  });
  return {
    get url() {
      return started(server, 'app').url;
    },
    get session() {
      return started(session, 'browser');
    },
    get context() {
      return started(session, 'browser').context;
    },
  };
}

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: number;
}

/**
 * axe-core's serious and critical violations on the page as it stands (WCAG 2.x A and AA rules).
 * Also fails on any CSP violation the page reported. axe is evaluated by the driver, not added
 * as a <script>: the pages' CSP (script-src 'none') would refuse it, as it should.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // Judge the page once it and its stylesheet have loaded: under load, a check started while a
  // navigation was still arriving saw unstyled links and reported them as too small (target-size).
  await page.waitForLoadState('load');
  const csp = await cspViolations(page);
  if (csp.length)
    throw new Error(`Content-Security-Policy violations on ${page.url()}: ${csp.join('; ')}`);
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const result = (await page.evaluate(() =>
    (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<unknown> } }).axe.run(
      document,
      {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
      },
    ),
  )) as { violations: { id: string; impact: string | null; help: string; nodes: unknown[] }[] };
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length }));
}
