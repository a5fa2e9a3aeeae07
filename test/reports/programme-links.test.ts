/** The programme overview links to the programme's other pages (issue 14: none did). */
import { describe, expect, it } from 'vitest';
import { programmeLinks } from '../../reports/pages/programme-overview/links.js';

describe('the programme overview’s links', () => {
  it('leads to fair comparison, data quality and common problems, with the id encoded', () => {
    const markup = programmeLinks('p&q').toString();
    expect([...markup.matchAll(/href="([^"]+)">([^<]+)</g)].map((m) => [m[1], m[2]])).toEqual([
      ['/programmes/p%26q/fair-comparison', 'Fair comparison of providers'],
      ['/programmes/p%26q/data-quality', 'Data quality by provider'],
      ['/programmes/p%26q/validation-problems', 'Common problems in returns'],
    ]);
  });
});
