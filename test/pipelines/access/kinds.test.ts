import { readFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  AccessRefusedError,
  checkContractAccess,
  checkProgrammeAccess,
  checkUserAccess,
  contractAccess,
  userAccess,
  type ContractAccessKind,
  type UserAccessKind,
} from '../../../pipelines/access/index.js';
import type { User } from '../../../pipelines/reference/schema.js';
import { webReference } from '../../functions/web/fixture.js';

const reference = webReference();
const user = (id: string): User => reference.users.find((u) => u.id === id)!;
const users = [
  'acme-user',
  'north-user',
  'cm-north',
  'cm-south',
  'comm',
  'admin',
  'partner-north',
] as const;

/** What each user gets, in the order of `users`: the access kind's rule written out by hand. */
const contractCases: Record<ContractAccessKind, string> = {
  // vrs-test: held by nhs-north, in portfolio north, programme vrs.
  'read-contract': '403 ok ok 403 ok ok 403',
  'read-contract-figures': '403 ok ok 403 403 ok 403',
  'submit-return': '403 ok 403 403 403 ok 403',
  'withdraw-version': '403 ok ok 403 403 ok 403',
  'record-claim-evidence': '403 ok 403 403 403 ok 403',
  'review-contract': '403 403 ok 403 403 ok 403',
  'write-plan': '403 403 ok 403 403 ok 403',
  'update-plan-action': '403 ok ok 403 403 ok 403',
};

const userCases: Record<UserAccessKind, string> = {
  'signed-in': 'ok ok ok ok ok ok ok',
  portfolio: 'ok ok ok ok 403 ok 403',
  'reference-data': '403 403 403 403 ok ok 403',
  analytics: '403 403 ok ok ok ok 403',
  queue: '403 403 ok ok 403 ok 403',
  'partner-figures': '403 403 403 403 403 403 ok',
  admin: '403 403 403 403 403 ok 403',
};

function outcome(check: () => unknown): string {
  try {
    check();
    return 'ok';
  } catch (e) {
    if (!(e instanceof AccessRefusedError)) throw e;
    expect(e.message).not.toBe('');
    return { forbidden: '403', 'not-found': '404', 'not-signed-in': '401' }[
      e.failure as 'forbidden'
    ];
  }
}

describe('the access kinds', () => {
  it('cover every kind a route may declare', () => {
    expect(Object.keys(contractCases).sort()).toEqual(Object.keys(contractAccess).sort());
    expect(Object.keys(userCases).sort()).toEqual(Object.keys(userAccess).sort());
  });

  it.each(Object.entries(contractCases))('%s on a contract: %s', (kind, expected) => {
    const got = users.map((id) =>
      outcome(() =>
        checkContractAccess(kind as ContractAccessKind, user(id), reference, 'vrs-test'),
      ),
    );
    expect(got.join(' ')).toBe(expected);
    expect(
      outcome(() => checkContractAccess(kind as ContractAccessKind, user('admin'), reference, 'x')),
    ).toBe('404');
  });

  it.each(Object.entries(userCases))('%s: %s', (kind, expected) => {
    const got = users.map((id) => outcome(() => checkUserAccess(kind as UserAccessKind, user(id))));
    expect(got.join(' ')).toBe(expected);
  });

  it('read-programme: its commissioners and admins; others are refused before the id is looked up', () => {
    const read = (who: string, programme: string) =>
      outcome(() => checkProgrammeAccess('read-programme', user(who), reference, programme));
    expect(users.map((id) => read(id, 'vrs')).join(' ')).toBe('403 403 403 403 ok ok 403');
    expect(read('comm', 'agg')).toBe('403');
    expect(read('comm', 'no-such-programme')).toBe('404');
    expect(read('acme-user', 'no-such-programme')).toBe('403');
  });

  it('tells a refused caller why, naming the contract', () => {
    expect(() =>
      checkContractAccess('review-contract', user('north-user'), reference, 'vrs-test'),
    ).toThrow(/accepted or queried by its contract manager or an administrator/);
    expect(() =>
      checkContractAccess('submit-return', user('cm-north'), reference, 'vrs-test'),
    ).toThrow(/is a contract manager and cannot submit returns/);
  });
});

describe('no access rule outside pipelines/access', () => {
  it('has no role check in the product tree but the access module', async () => {
    const files = execFileSync('git', ['ls-files', 'functions', 'pipelines', 'reports'], {
      encoding: 'utf8',
    })
      .split('\n')
      .filter((f) => f.endsWith('.ts') && !f.startsWith('pipelines/access/'));
    // The reference data's own checks (a provider user names a known provider) are not access rules.
    const allowed = new Set(['pipelines/reference/load.ts']);
    const found: string[] = [];
    for (const file of files) {
      if (allowed.has(file)) continue;
      const text = await readFile(file, 'utf8');
      for (const [i, line] of text.split('\n').entries())
        if (/\brole\s*[!=]==/.test(line)) found.push(`${file}:${i + 1}: ${line.trim()}`);
    }
    expect(found).toEqual([]);
  });
});
