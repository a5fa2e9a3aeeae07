/**
 * zod schemas for one row of each kind of return, generated from the field lists. They give
 * the TypeScript row types and the JSON Schema; the validator compiles its own faster checks
 * from the same fields, and a test holds the two to the same verdicts.
 */
import { z } from 'zod';
import { aggregateFields, participantFields, type Field } from './fields.js';

export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

function fieldSchema(field: Field): z.ZodType {
  const described = <T extends z.ZodType>(s: T) => s.describe(field.description);
  let s: z.ZodType;
  switch (field.type) {
    case 'id':
      s = z.string().min(1).max(field.maxLength).regex(ID_PATTERN);
      break;
    case 'date':
      s = z.iso.date();
      break;
    case 'code':
      s = z.enum(field.codes.map((c) => c.code) as [string, ...string[]]);
      break;
    case 'integer':
      s = z.number().int().min(field.min).max(field.max);
      break;
    case 'number':
      s = z.number().min(field.min).max(field.max);
      break;
  }
  return described(field.required ? s : s.nullable().optional());
}

function rowSchema(fields: readonly Field[]) {
  return z.strictObject(Object.fromEntries(fields.map((f) => [f.name, fieldSchema(f)])));
}

export const participantRowSchema = rowSchema(participantFields);
export const aggregateRowSchema = rowSchema(aggregateFields);

type Value<F extends Field> = F extends { type: 'integer' | 'number' } ? number : string;
type RowOf<Fs extends readonly Field[]> = {
  [F in Fs[number] as F['name']]: F['required'] extends true ? Value<F> : Value<F> | null;
};

/** One participant in a caseload snapshot, dates as ISO `YYYY-MM-DD`. */
export type ParticipantRow = RowOf<typeof participantFields>;
/** One count in an aggregate return. */
export type AggregateRow = RowOf<typeof aggregateFields>;
