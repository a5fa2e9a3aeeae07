import { describe, expect, it } from 'vitest';
import { filterAudit, type AuditEntry } from '../../../pipelines/audit/audit-log.js';

const entry = (e: Partial<AuditEntry>): AuditEntry => ({
  id: e.id ?? 'x',
  at: '2026-04-02T10:00:00.000Z',
  who: 'acme-user',
  action: 'upload',
  target: null,
  detail: '',
  from: '203.0.113.7',
  ...e,
});

const entries = [
  entry({ id: 'a', detail: 'march.csv, contract plp-test, period 2026-03: 10 rows read' }),
  entry({ id: 'b', detail: 'april.csv, contract plp-test-2, period 2026-04: 3 rows read' }),
  entry({
    id: 'c',
    who: 'cm-north',
    action: 'query_return',
    detail: 'queried plp-test 2026-03: row 4',
    at: '2026-04-09T08:00:00.000Z',
  }),
  entry({
    id: 'd',
    who: null,
    action: 'sign_in',
    detail: 'failed',
    at: '2026-05-01T00:00:00.000Z',
  }),
];

describe('filtering the audit log', () => {
  it('narrows by contract named in the entry, not by a longer id that starts the same', () => {
    expect(filterAudit(entries, { contract: 'plp-test' }).map((e) => e.id)).toEqual(['a', 'c']);
  });

  it('narrows by user, action and UTC dates, both ends included', () => {
    expect(filterAudit(entries, { who: 'cm-north' }).map((e) => e.id)).toEqual(['c']);
    expect(filterAudit(entries, { action: 'upload' }).map((e) => e.id)).toEqual(['a', 'b']);
    expect(
      filterAudit(entries, { since: '2026-04-02', until: '2026-04-09' }).map((e) => e.id),
    ).toEqual(['a', 'b', 'c']);
    expect(filterAudit(entries, {}).length).toBe(4);
  });
});
