import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit, listAudit } from '../../../pipelines/audit/audit-log.js';
import { LocalStore } from '../../../pipelines/store/local-store.js';

describe('the audit log', () => {
  it('keeps every entry, in time order, never overwriting one', async () => {
    const store = new LocalStore(await mkdtemp(join(tmpdir(), 'outturn-audit-')));
    const at = (s: string) => new Date(s);
    await audit(
      store,
      {
        who: 'acme-user',
        action: 'upload',
        target: 'r-2',
        detail: 'accepted, version 1',
        from: '127.0.0.1',
      },
      at('2026-11-02T10:00:00Z'),
    );
    await audit(
      store,
      {
        who: 'cm-north',
        action: 'accept_return',
        target: 'r-2',
        detail: 'accepted',
        from: '127.0.0.1',
      },
      at('2026-11-03T09:00:00Z'),
    );
    await audit(
      store,
      { who: 'acme-user', action: 'sign_in', target: null, detail: 'signed in', from: 'cli' },
      at('2026-10-30T08:00:00Z'),
    );
    // Two actions in the same millisecond both stay.
    await audit(
      store,
      {
        who: 'admin',
        action: 'reference_change',
        target: 'profiles.json',
        detail: 'new version',
        from: 'cli',
      },
      at('2026-11-03T09:00:00Z'),
    );
    const all = await listAudit(store);
    // Oldest first; the last two share a millisecond, so only their set is fixed.
    expect(all.slice(0, 2).map((e) => e.action)).toEqual(['sign_in', 'upload']);
    expect(new Set(all.slice(2).map((e) => e.action))).toEqual(
      new Set(['accept_return', 'reference_change']),
    );
    expect(all.map((e) => e.at)).toEqual([...all.map((e) => e.at)].sort());
    expect(all).toHaveLength(4);
    expect((await listAudit(store, { month: '2026-10' })).map((e) => e.who)).toEqual(['acme-user']);
    await expect(
      audit(store, {
        who: 'x',
        action: 'delete_everything' as 'upload',
        target: null,
        detail: '',
        from: 'cli',
      }),
    ).rejects.toThrow();
  });
});
