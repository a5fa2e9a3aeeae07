/**
 * The validator compiles its own cell checks from the field list instead of running zod per
 * row (docs/decisions/001). These properties hold the two to the same verdicts on any row.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromIsoDate } from '../../../pipelines/calendar/days.js';
import { participantFields, type Field } from '../../../pipelines/returns/fields.js';
import { participantRowSchema } from '../../../pipelines/returns/row-schema.js';
import { toParticipantRows } from '../../../pipelines/validate/typed-return.js';
import { validateReturn } from '../../../pipelines/validate/validate-return.js';
import { bytesOf, csvOf, participant } from '../../fixtures/returns.js';

const today = fromIsoDate('2026-11-26');

/** Values a provider might type into a cell of this field: good ones, near misses and junk. */
function cellValue(f: Field): fc.Arbitrary<string> {
  const junk = fc.oneof(
    fc.constant(''),
    fc.string({ maxLength: 12 }).filter((s) => !/[\r\n"]/.test(s)),
  );
  switch (f.type) {
    case 'date': {
      const d = fc.date({
        min: new Date('2020-01-01'),
        max: new Date('2024-12-31'),
        noInvalidDate: true,
      });
      return fc.oneof(
        d.map((x) => x.toISOString().slice(0, 10)),
        d.map((x) => x.toISOString().slice(0, 10).split('-').reverse().join('/')),
        fc
          .tuple(fc.integer({ min: 1, max: 35 }), fc.integer({ min: 1, max: 14 }))
          .map(([a, b]) => `2024-${String(b).padStart(2, '0')}-${String(a).padStart(2, '0')}`),
        junk,
      );
    }
    case 'code':
      return fc.oneof(fc.constantFrom(...f.codes.map((c) => c.code)), junk);
    case 'integer':
    case 'number':
      return fc.oneof(
        fc.integer({ min: f.min - 3, max: f.max + 3 }).map(String),
        fc.double({ min: -5, max: 120, noNaN: true }).map((x) => x.toFixed(1)),
        junk,
      );
    case 'id':
      return fc.oneof(fc.stringMatching(/^[A-Z]{1,3}-[0-9A-Z]{1,8}$/), junk);
  }
}

/** The row as zod would be given it by an integrator: blanks as null, numbers as numbers, dates in ISO. */
function asJson(row: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of participantFields) {
    const v = (row[f.name] ?? '').trim();
    if (v === '') out[f.name] = null;
    else if (f.type === 'integer' || f.type === 'number')
      out[f.name] = /^[+-]?(\d+\.?\d*|\.\d+)$/.test(v) ? Number(v) : v;
    else if (f.type === 'date' && /^\d{2}\/\d{2}\/\d{4}$/.test(v))
      out[f.name] = v.split('/').reverse().join('-');
    else out[f.name] = v;
  }
  return out;
}

const cellRules = new Set([
  'cell.required',
  'cell.date',
  'cell.integer',
  'cell.number',
  'cell.code',
  'cell.id',
  'cell.code_case',
]);
const personal = (rule: string) => rule.startsWith('personal_data.');

describe('the validator and the zod row schema agree', () => {
  it('on whether each cell is well-typed, field by field', () => {
    const field = fc.constantFrom(...participantFields);
    fc.assert(
      fc.property(
        field.chain((f) => fc.tuple(fc.constant(f), cellValue(f))),
        ([f, value]) => {
          const row = { ...participant(), [f.name]: value } as Record<string, string>;
          const result = validateReturn(bytesOf(csvOf([row])), 'p.csv', { today });
          const ours = !result.report.problems.some(
            (p) =>
              p.column === f.name &&
              (cellRules.has(p.rule) || personal(p.rule)) &&
              p.severity === 'error',
          );
          const theirs = participantRowSchema.shape[
            f.name as keyof typeof participantRowSchema.shape
          ]!.safeParse(asJson(row)[f.name]).success;
          // The only licensed difference: the personal-data guard refuses some values zod would take as well-formed ids.
          const guarded = result.report.problems.some(
            (p) => p.column === f.name && personal(p.rule),
          );
          expect(ours).toBe(guarded ? false : theirs);
        },
      ),
      { numRuns: 400, seed: 42 },
    );
  });

  it('on every row the validator accepts', () => {
    const row = fc.record(
      Object.fromEntries(
        participantFields.map((f) => [
          f.name,
          fc.oneof(
            { weight: 4, arbitrary: fc.constant(participant()[f.name] ?? '') },
            { weight: 1, arbitrary: cellValue(f) },
          ),
        ]),
      ),
    );
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 5 }), (rows) => {
        const unique = rows.map((r, i) => ({ ...r, participant_id: `U-${i}` }));
        const result = validateReturn(bytesOf(csvOf(unique)), 'p.csv', { today });
        if (result.status !== 'accepted') return;
        for (const typed of toParticipantRows(result.data))
          expect(participantRowSchema.safeParse(typed).success).toBe(true);
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});
