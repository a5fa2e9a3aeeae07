/**
 * Every page the app serves, as every kind of caller, has the one header: govuk-frontend 6's
 * service navigation (no class from the header govuk-frontend 6 dropped), and a sign-out for
 * whoever is signed in. The pages are the GET cases of the route × role matrix.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { matrixCases } from './matrix.js';
import { everyone, webFixture, type WebFixture } from './fixture.js';

let f: WebFixture;
beforeAll(async () => {
  f = await webFixture();
});

/** Classes of the old header that govuk-frontend 6's stylesheet has no rules for. */
const GONE = /govuk-header__(container|content|service-name|navigation)|class="govuk-header"/;

describe('the header of every page', () => {
  it('is the service navigation with a sign-out for those signed in, on every page for every caller', async () => {
    const pages = (await matrixCases(f)).filter(
      (c) => c.route.startsWith('GET ') && !c.url.startsWith('/api/'),
    );
    const seen = { signedIn: 0, anonymous: 0 };
    const failures: string[] = [];
    for (const c of pages)
      for (const who of everyone) {
        const app = c.app === 'queued' ? f.queuedApp : f.app;
        const res = await app.request(c.url, { headers: await f.as(who, c.url) });
        if (!(res.headers.get('content-type') ?? '').startsWith('text/html')) continue;
        const page = await res.text();
        const where = `${c.url} as ${who} (${res.status})`;
        if (!page.includes('<header class="govuk-template__header">'))
          failures.push(`${where}: no header`);
        if (!page.includes('class="govuk-service-navigation"'))
          failures.push(`${where}: no service navigation`);
        if (GONE.test(page)) failures.push(`${where}: ${GONE.exec(page)![0]}`);
        const signOut =
          /<form method="post" action="\/sign-out"[^>]*>\s*<button type="submit"[^>]*>Sign out<\/button>/.test(
            page,
          );
        // The sign-in page is where one signs in, whoever asks for it.
        if (signOut !== (who !== 'anonymous' && c.url !== '/sign-in'))
          failures.push(`${where}: sign-out ${signOut ? 'shown' : 'missing'}`);
        seen[who === 'anonymous' ? 'anonymous' : 'signedIn'] += 1;
      }
    expect(failures).toEqual([]);
    // The sign-in page, error pages and every signed-in page were among them.
    expect(seen.anonymous).toBeGreaterThan(1);
    expect(seen.signedIn).toBeGreaterThan(50);
  });

  it('the sign-in page offers no sign-out, the home page and an error page do', async () => {
    const signIn = await (await f.app.request('/sign-in')).text();
    expect(signIn).not.toContain('action="/sign-out"');
    const headers = await f.as('acme-user', '/');
    const home = await (await f.app.request('/', { headers })).text();
    expect(home).toContain('action="/sign-out"');
    const missing = await f.app.request('/no-such-page', { headers });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('action="/sign-out"');
    const anonymousMissing = await (await f.app.request('/no-such-page')).text();
    expect(anonymousMissing).not.toContain('action="/sign-out"');
  });
});
