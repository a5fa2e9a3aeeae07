/** The programme's other pages, linked from its overview. */
import { relatedLinks } from '../../components/related-links.js';
import type { Html } from '../../html.js';

export function programmeLinks(programme: string): Html {
  const base = `/programmes/${encodeURIComponent(programme)}`;
  return relatedLinks('More about this programme', [
    { text: 'Fair comparison of providers', href: `${base}/fair-comparison` },
    { text: 'Data quality by provider', href: `${base}/data-quality` },
    { text: 'Common problems in returns', href: `${base}/validation-problems` },
  ]);
}
