import { describe, expect, it } from 'vitest';
import { escapeHtml, html, join, raw } from '../../reports/html.js';

describe('html', () => {
  it('escapes interpolated text, script tags and both kinds of quote included', () => {
    const name = `<script>alert("x")</script>`;
    const attr = `" onmouseover='steal()'`;
    const out = html`<p title="${attr}">${name}</p>`.toString();
    expect(out).toBe(
      '<p title="&quot; onmouseover=&#39;steal()&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</p>',
    );
    expect(out).not.toContain('<script');
  });

  it('escapes ampersands first, so entities cannot be smuggled in', () => {
    expect(escapeHtml('&lt;b&gt; & <b>')).toBe('&amp;lt;b&amp;gt; &amp; &lt;b&gt;');
  });

  it('keeps markup built with html or raw, and escapes strings inside arrays', () => {
    const items = ['a<b', 'c'];
    const out =
      html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>${raw('<hr>')}${['<i>']}`.toString();
    expect(out).toBe('<ul><li>a&lt;b</li><li>c</li></ul><hr>&lt;i&gt;');
  });

  it('renders nothing for null, undefined and false, and numbers as text', () => {
    expect(html`${null}${undefined}${false}${0}${1.5}`.toString()).toBe('01.5');
  });

  it('joins with an escaped separator unless it is markup', () => {
    expect(join(['a', 'b'], ' & ').toString()).toBe('a &amp; b');
    expect(join([html`<b>a</b>`, 'b<'], html`<br>`).toString()).toBe('<b>a</b><br>b&lt;');
  });
});
