import { describe, expect, it } from 'vitest';
import { assetPaths, readAsset } from '../../reports/assets.js';

const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('assets', () => {
  it('serves govuk-frontend CSS with its font and image links made relative', async () => {
    const css = await readAsset('/assets/govuk-frontend.min.css');
    expect(css?.contentType).toBe('text/css; charset=utf-8');
    const body = text(css!.body);
    expect(body).toContain('.govuk-table__cell--numeric');
    expect(body).toMatch(/url\(fonts\/bold-[0-9a-f]+-v2\.woff2\)/);
    expect(body).not.toContain('url(/assets/');
    // Nothing that would reach off the machine.
    expect(body).not.toMatch(/url\((["']?)(https?:)?\/\//);
  });

  it('lists every font and image, and each is served with its type', async () => {
    const paths = assetPaths();
    expect(paths).toContain('/assets/outturn.css');
    const fonts = paths.filter((p) => p.startsWith('/assets/fonts/'));
    expect(fonts.some((p) => p.endsWith('.woff2'))).toBe(true);
    expect(paths).toContain('/assets/images/govuk-crest.svg');
    // Every url() in the CSS names an asset we serve.
    const css = text((await readAsset('/assets/govuk-frontend.min.css'))!.body);
    for (const [, ref] of css.matchAll(/url\(([^)#]+)\)/g))
      expect(paths).toContain(`/assets/${ref!.replace(/["']/g, '')}`);

    const woff2 = await readAsset(fonts.find((p) => p.endsWith('.woff2'))!);
    expect(woff2?.contentType).toBe('font/woff2');
    expect(text(woff2!.body.slice(0, 4))).toBe('wOF2');
    expect((await readAsset('/assets/images/govuk-crest.svg'))?.contentType).toBe('image/svg+xml');
    expect((await readAsset('/assets/images/favicon.ico'))?.contentType).toBe('image/x-icon');
    expect((await readAsset('/assets/images/govuk-icon-180.png'))?.contentType).toBe('image/png');
  });

  it('serves Outturn’s own stylesheet with its print rules', async () => {
    const css = text((await readAsset('/assets/outturn.css'))!.body);
    expect(css).toMatch(/@media print\s*{[^]*\.govuk-footer[^]*display: none/);
    expect(css).toContain('break-inside: avoid');
  });

  it.each([
    '/assets/../package.json',
    '/assets/../../../../etc/passwd',
    '/assets/fonts/../../govuk-frontend.min.js',
    '/assets/%2e%2e/%2e%2e/package.json',
    '/assets/fonts%2f..%2f..%2fpackage.json',
    '/assets//etc/passwd',
    '/assets/fonts/',
    '/assets/govuk-frontend.min.css?x=1',
    '/assets/govuk-frontend.min.js',
    '/package.json',
    'assets/outturn.css',
    '/assets/outturn.css\0.png',
  ])('refuses %s', async (path) => {
    expect(await readAsset(path)).toBeNull();
  });
});
