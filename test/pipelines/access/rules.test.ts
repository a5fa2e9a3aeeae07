import { describe, expect, it } from 'vitest';
import type { User } from '../../../pipelines/reference/schema.js';
import {
  authoriseSubmission,
  canSeeContract,
  canSeeParticipantRows,
  canSubmitFor,
  queryableTables,
  queryEngineKind,
  restrictedScope,
  visibleContracts,
} from '../../../pipelines/access/index.js';
import { webReference } from '../../functions/web/fixture.js';

const reference = webReference();
const user = (id: string): User => reference.users.find((u) => u.id === id)!;
const contract = (id: string) => reference.contracts.find((c) => c.id === id)!;
const ids = ['plp-test', 'vrs-test', 'agg-test', 'vrs-south'];

describe('canSeeContract and visibleContracts', () => {
  // Worked out by hand from the reference data described in fixture.ts.
  const expected: Record<string, string[]> = {
    'acme-user': ['plp-test', 'agg-test'], // its own contracts only
    'north-user': ['vrs-test', 'vrs-south'], // not plp-test, where it is only a subcontractor
    'cm-north': ['plp-test', 'vrs-test', 'agg-test'], // portfolio north, not vrs-south
    comm: ['plp-test', 'vrs-test', 'vrs-south'], // programmes plp and vrs, not agg
    admin: ['plp-test', 'vrs-test', 'agg-test', 'vrs-south'],
  };

  for (const [id, visible] of Object.entries(expected)) {
    it(`${id} (${user(id).role}) sees ${visible.join(', ')}`, () => {
      expect(visibleContracts(user(id), reference).map((c) => c.id)).toEqual(visible);
      for (const c of ids)
        expect(canSeeContract(user(id), contract(c)), c).toBe(visible.includes(c));
    });
  }
});

describe('canSubmitFor', () => {
  const expected: Record<string, string[]> = {
    'acme-user': ['plp-test', 'agg-test'],
    'north-user': ['vrs-test', 'vrs-south'],
    'cm-north': [],
    comm: [],
    admin: ['plp-test', 'vrs-test', 'agg-test', 'vrs-south'],
  };

  for (const [id, allowed] of Object.entries(expected)) {
    it(`${id} (${user(id).role}) may submit for ${allowed.join(', ') || 'nothing'}`, () => {
      for (const c of ids) expect(canSubmitFor(user(id), contract(c)), c).toBe(allowed.includes(c));
    });
  }

  it('agrees with the ingest’s own check for every user and contract', () => {
    for (const u of reference.users)
      for (const c of ids) {
        let ingestAllows = true;
        try {
          authoriseSubmission(reference, u.id, c, '2025-01');
        } catch {
          ingestAllows = false;
        }
        expect(canSubmitFor(u, contract(c)), `${u.id} → ${c}`).toBe(ingestAllows);
      }
  });
});

describe('canSeeParticipantRows', () => {
  it('is false for commissioners and true for every other role', () => {
    expect(canSeeParticipantRows(user('comm'))).toBe(false);
    expect(canSeeParticipantRows(user('acme-user'))).toBe(true);
    expect(canSeeParticipantRows(user('cm-north'))).toBe(true);
    expect(canSeeParticipantRows(user('admin'))).toBe(true);
  });
});

describe('queryableTables', () => {
  it('admins every exported mart; commissioners and contract managers the suppressed ones; providers none', () => {
    const admin = queryableTables(user('admin'))!;
    expect(admin).toContain('performance');
    expect(admin).toContain('suppressed_performance');
    expect(admin.some((t) => t.startsWith('stg_'))).toBe(false);
    for (const id of ['comm', 'cm-north'])
      expect([...queryableTables(user(id))!].sort(), id).toEqual([
        'data_quality_scores',
        'provider_timeliness',
        'suppressed_claims_verification',
        'suppressed_costs',
        'suppressed_fair_comparison',
        'suppressed_intervention_levels',
        'suppressed_measure_values',
        'suppressed_outcomes',
        'suppressed_performance',
        'suppressed_performance_quarterly',
        'suppressed_performance_yearly',
        'validation_problems',
      ]);
    for (const id of ['acme-user', 'north-user']) expect(queryableTables(user(id)), id).toBeNull();
  });
});

describe('queryEngineKind and restrictedScope', () => {
  it('admins query every mart; commissioners and contract managers the restricted engine; providers nothing', () => {
    expect(queryEngineKind(user('admin'))).toBe('full');
    expect(queryEngineKind(user('comm'))).toBe('restricted');
    expect(queryEngineKind(user('cm-north'))).toBe('restricted');
    expect(queryEngineKind(user('acme-user'))).toBeNull();
  });

  it('holds the restricted engine to the contracts the pages let the user see', () => {
    const scoped = (id: string) => restrictedScope(user(id), reference).contracts;
    // The commissioner of plp and vrs: every contract of those programmes, none of agg.
    expect(scoped('comm')).toEqual([
      { id: 'plp-test', programme_id: 'plp', provider_id: 'acme' },
      { id: 'vrs-test', programme_id: 'vrs', provider_id: 'nhs-north' },
      { id: 'vrs-south', programme_id: 'vrs', provider_id: 'nhs-north' },
    ]);
    // The north portfolio's contract manager: plp-test, vrs-test and agg-test, not vrs-south.
    expect(scoped('cm-north').map((c) => c.id)).toEqual(['plp-test', 'vrs-test', 'agg-test']);
    expect(scoped('admin').map((c) => c.id)).toEqual(ids);
    for (const id of Object.keys({ comm: 1, 'cm-north': 1, admin: 1 }))
      expect(scoped(id).map((c) => c.id)).toEqual(
        visibleContracts(user(id), reference).map((c) => c.id),
      );
  });
});
