/**
 * Programme-defined measures (ADR 024): reference data a commissioner uploads with the
 * programme, each computed over the participant-journey table. Field names are checked
 * against the journey table's columns here, so a measure that names anything else is refused
 * with the field and the fix, and never reaches SQL.
 */
import { z } from 'zod';
import { journeyDateFieldNames, journeyField, journeyFieldNames } from './journey-fields.js';

const id = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_]*$/,
    'Use lower-case letters, digits and underscores, for example "retention"',
  );

const fieldName = z.string().refine((n) => journeyField(n) !== undefined, {
  error: (i) =>
    `"${String(i.input)}" is not a field of the participant-journey table. Use one of: ${journeyFieldNames.join(', ')}`,
});

const dateField = z.string().refine((n) => journeyDateFieldNames.includes(n), {
  error: (i) =>
    `"${String(i.input)}" is not a date of the participant-journey table. Use one of: ${journeyDateFieldNames.join(', ')}`,
});

const value = z.union([z.string().min(1), z.number()]);

/**
 * One condition on one field; a measure's filters must all hold. `in` and `not_in` take codes
 * (or numbers), `min` and `max` bound a number or count of days, `blank` asks whether it is given.
 */
export const filterSchema = z
  .object({
    field: fieldName,
    in: z.array(value).min(1).optional(),
    not_in: z.array(value).min(1).optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    blank: z.boolean().optional(),
  })
  .strict()
  .refine(
    (f) => f.in || f.not_in || f.min !== undefined || f.max !== undefined || f.blank !== undefined,
    {
      message: 'Give the filter a condition: in, not_in, min, max or blank',
    },
  )
  .superRefine((f, ctx) => {
    const field = journeyField(f.field);
    if (!field?.codes) return;
    for (const key of ['in', 'not_in'] as const)
      for (const v of f[key] ?? [])
        if (!field.codes.includes(String(v)))
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: `"${v}" is not a code of ${f.field}. Use one of: ${field.codes.join(', ')}`,
          });
  });

/** A rate or share meets its standard when it is at least `min_rate` (and at most `max_rate`). */
const standard = z
  .object({
    min_rate: z.number().min(0).max(1).optional(),
    max_rate: z.number().min(0).max(1).optional(),
  })
  .strict();

const base = {
  id,
  label: z.string().min(1),
  description: z.string().default(''),
  filters: z.array(filterSchema).default([]),
};

/** Participants reaching a milestone, counted in the period of its date. */
const countOfMilestone = z
  .object({ ...base, kind: z.literal('count_of_milestone'), milestone: dateField })
  .strict();

/** Participants meeting the filters, counted in the period of the `on` date. */
const countMeetingCondition = z
  .object({
    ...base,
    kind: z.literal('count_meeting_condition'),
    on: dateField.default('referral_date'),
  })
  .strict();

/** One count measure over another (numerator ⊆ denominator), with its 95% Wilson interval. */
const rate = z
  .object({
    ...base,
    kind: z.literal('rate'),
    numerator: id,
    denominator: id,
    standard: standard.optional(),
  })
  .strict();

/**
 * Days (or weeks) from one date to another, counted in the period of `to`: the mean, the
 * median, the share in each band (cut points are where a band ends, "under"), and with
 * `within` a standard: the share of participants within that many units ("within 0 days" is
 * the same day).
 */
const duration = z
  .object({
    ...base,
    kind: z.literal('duration'),
    from: dateField,
    to: dateField,
    unit: z.enum(['days', 'weeks']).default('days'),
    bands_under: z.array(z.number().positive()).default([]),
    within: z.number().min(0).optional(),
    standard: standard.optional(),
  })
  .strict()
  .refine((d) => d.bands_under.every((c, i) => i === 0 || c > d.bands_under[i - 1]!), {
    message: 'Give bands_under in increasing order, for example [4, 12, 16]',
    path: ['bands_under'],
  });

/** The mean or sum of a numeric field (contacts, say), over participants in the period of `on`. */
const numeric = z
  .object({
    ...base,
    kind: z.literal('numeric'),
    field: fieldName,
    statistic: z.enum(['mean', 'sum']),
    on: dateField.default('referral_date'),
  })
  .strict()
  .refine((m) => ['integer', 'number'].includes(journeyField(m.field)?.kind ?? ''), {
    message: 'A numeric measure needs a number field, for example contact_count',
    path: ['field'],
  });

/** The share of participants in each value of a code field, adding to 100%, in the period of `on`. */
const distribution = z
  .object({
    ...base,
    kind: z.literal('distribution'),
    field: fieldName,
    /**
     * Shares taken within each value of this field (group_value): the distribution of status at
     * exit across status at referral is the transitions table.
     */
    across: fieldName.optional(),
    on: dateField.default('referral_date'),
  })
  .strict();

export const journeyMeasureSchema = z.discriminatedUnion('kind', [
  countOfMilestone,
  countMeetingCondition,
  rate,
  duration,
  numeric,
  distribution,
]);

/**
 * A breakdown a programme defines as groups of participants (for example "the 15% most
 * deprived": SIMD vigintile 1 to 3), beside the fields of the journey table.
 */
export const groupingSchema = z
  .object({
    id,
    label: z.string().min(1),
    groups: z
      .array(
        z
          .object({ value: id, label: z.string().min(1), filters: z.array(filterSchema).min(1) })
          .strict(),
      )
      .min(1),
    /** The value of a participant in none of the groups. */
    otherwise: id.default('other'),
  })
  .strict();

export const journeyMeasuresSchema = z.array(journeyMeasureSchema).superRefine((measures, ctx) => {
  const ids = new Map<string, number>();
  measures.forEach((m, i) => {
    if (ids.has(m.id))
      ctx.addIssue({
        code: 'custom',
        path: [i, 'id'],
        message: `The measure id ${m.id} is used twice`,
      });
    ids.set(m.id, i);
  });
  measures.forEach((m, i) => {
    if (m.kind !== 'rate') return;
    for (const side of ['numerator', 'denominator'] as const) {
      const other = measures.find((x) => x.id === m[side]);
      if (!other || !['count_of_milestone', 'count_meeting_condition'].includes(other.kind))
        ctx.addIssue({
          code: 'custom',
          path: [i, side],
          message: `${m.id}'s ${side} must be the id of a count measure of the same programme (count_of_milestone or count_meeting_condition)`,
        });
    }
  });
});

export type JourneyMeasure = z.infer<typeof journeyMeasureSchema>;
export type MeasureFilter = z.infer<typeof filterSchema>;
export type Grouping = z.infer<typeof groupingSchema>;
export type MeasureKind = JourneyMeasure['kind'];
