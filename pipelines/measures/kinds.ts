/**
 * Each kind of programme-defined measure in plain words with one example, for docs/marts.md
 * (generated) and checked against the schema by the tests, so the documentation cannot drift.
 */
export const measureKindDocs: readonly {
  kind: string;
  what: string;
  rows: string;
  example: object;
}[] = [
  {
    kind: 'count_of_milestone',
    what: 'People reaching a milestone, counted in the period of its date.',
    rows: 'statistic count; value = participants.',
    example: {
      id: 'discharges',
      label: 'Discharges',
      kind: 'count_of_milestone',
      milestone: 'exit_date',
    },
  },
  {
    kind: 'count_meeting_condition',
    what: 'People meeting every filter (in, not_in, min, max, blank on any field of the journey table), counted in the period of the `on` date.',
    rows: 'statistic count.',
    example: {
      id: 'off_sick_returned',
      label: 'Off sick when referred, at work at discharge',
      kind: 'count_meeting_condition',
      on: 'exit_date',
      filters: [
        { field: 'participant_type', not_in: ['carer_third_party'] },
        { field: 'work_status_at_referral', in: ['off_sick'] },
        { field: 'work_status_at_exit', in: ['at_work', 'self_employed'] },
      ],
    },
  },
  {
    kind: 'rate',
    what: 'One count measure over another, with the 95% Wilson interval; a `standard` (min_rate, max_rate) gives meets_standard.',
    rows: 'statistic rate; numerator, denominator, value, value_low, value_high.',
    example: {
      id: 'return_to_work',
      label: 'Return to work',
      kind: 'rate',
      numerator: 'off_sick_returned',
      denominator: 'off_sick_discharged',
    },
  },
  {
    kind: 'duration',
    what: 'Days or weeks from one date to another, in the period of the later: mean, median, the share in each band (`bands_under`: where each band ends), the cumulative share under each cut point, and with `within` a standard ("within 0 days" is the same day).',
    rows: 'statistics mean, median, band (category = the band), cumulative (category = "under N"), within.',
    example: {
      id: 'time_to_assessment',
      label: 'Time from referral to assessment',
      kind: 'duration',
      from: 'referral_date',
      to: 'start_date',
      unit: 'days',
      bands_under: [1, 8, 15, 29],
      within: 10,
      standard: { min_rate: 0.8 },
    },
  },
  {
    kind: 'numeric',
    what: 'The mean or sum of a number field over the people with one, in the period of the `on` date.',
    rows: 'statistic mean or sum; numerator = the sum (for a whole-number field), denominator = the people.',
    example: {
      id: 'contacts_per_client',
      label: 'Contacts per person',
      kind: 'numeric',
      field: 'contact_count',
      statistic: 'mean',
      on: 'exit_date',
    },
  },
  {
    kind: 'distribution',
    what: 'The share of people at each value of a code field, adding to 100%; with `across`, within each value of another field (status at exit across status at referral is the transitions table).',
    rows: 'statistic share; category = the value, group_value = the value of `across`.',
    example: {
      id: 'transitions',
      label: 'Work status at discharge by work status at referral',
      kind: 'distribution',
      field: 'work_status_at_exit',
      across: 'work_status_at_referral',
      on: 'exit_date',
    },
  },
];
