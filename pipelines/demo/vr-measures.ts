/**
 * The measures of the demo programmes as reference data (ADR 024). The vocational
 * rehabilitation service's are the figures its evaluation reports (the Glasgow VR pilot,
 * 2011 to 2014): reasons for referral by tier, contacts, time to assessment, length of stay,
 * work status at referral and at discharge and the transitions between them by tier,
 * deprivation and condition, job retention and return to work. Pathways keeps job entries and
 * sustained jobs.
 */
import type { Grouping, JourneyMeasure } from '../measures/schema.js';

const inWork = ['at_work', 'self_employed'];
const clients = { field: 'participant_type', not_in: ['carer_third_party'] };

const count = (
  id: string,
  label: string,
  on: string,
  filters: JourneyMeasure['filters'],
  description = '',
): JourneyMeasure => ({ id, label, description, kind: 'count_meeting_condition', on, filters });

const rate = (
  id: string,
  label: string,
  numerator: string,
  denominator: string,
  description: string,
  standard?: { min_rate?: number; max_rate?: number },
): JourneyMeasure => ({
  id,
  label,
  description,
  kind: 'rate',
  numerator,
  denominator,
  filters: [],
  ...(standard ? { standard } : {}),
});

export const vrMeasures: JourneyMeasure[] = [
  rate(
    'job_retention',
    'Job retention',
    'at_work_stayed',
    'at_work_discharged',
    'Of the clients at work (or self-employed) when referred who have been discharged, the share still in work at discharge.',
  ),
  rate(
    'return_to_work',
    'Return to work',
    'off_sick_returned',
    'off_sick_discharged',
    'Of the clients off sick when referred who have been discharged, the share back at work at discharge.',
  ),
  rate(
    'in_work_at_discharge',
    'In work at discharge (employed at referral)',
    'employed_in_work',
    'employed_discharged',
    'Of the clients in a job when referred (at work or off sick) who have been discharged, the share at work at discharge.',
  ),
  count(
    'moved_into_work',
    'Moved from not working into work',
    'exit_date',
    [
      clients,
      { field: 'work_status_at_referral', not_in: ['at_work', 'self_employed', 'off_sick'] },
      { field: 'work_status_at_exit', in: inWork },
    ],
    'Clients not in a job when referred who were in work at discharge.',
  ),
  {
    id: 'transitions',
    label: 'Work status at discharge by work status at referral',
    description:
      'For clients discharged: the share at each work status at discharge, among those with the same status at referral.',
    kind: 'distribution',
    field: 'work_status_at_exit',
    across: 'work_status_at_referral',
    on: 'exit_date',
    filters: [clients],
  },
  {
    id: 'status_at_referral',
    label: 'Work status at referral (discharged clients)',
    description: 'The share of discharged clients at each work status when they were referred.',
    kind: 'distribution',
    field: 'work_status_at_referral',
    on: 'exit_date',
    filters: [clients],
  },
  {
    id: 'status_at_discharge',
    label: 'Work status at discharge',
    description: 'The share of discharged clients at each work status when they left.',
    kind: 'distribution',
    field: 'work_status_at_exit',
    on: 'exit_date',
    filters: [clients],
  },
  {
    id: 'reason_for_referral',
    label: 'Main reason for referral',
    description: 'The share of people discharged with each main reason for coming to the service.',
    kind: 'distribution',
    field: 'main_reason_for_referral',
    on: 'exit_date',
    filters: [],
  },
  {
    id: 'time_to_assessment',
    label: 'Time from referral to assessment',
    description:
      'Days from referral to the initial assessment: the same day, within a week, 2 weeks and 4 weeks, and the service standard of assessment within 10 days.',
    kind: 'duration',
    from: 'referral_date',
    to: 'start_date',
    unit: 'days',
    bands_under: [1, 8, 15, 29],
    within: 10,
    standard: { min_rate: 0.8 },
    filters: [],
  },
  {
    id: 'first_contact_within_5_days',
    label: 'Response to referral within 5 days',
    description: 'Days from referral to first contact; the service aims to respond within 5 days.',
    kind: 'duration',
    from: 'referral_date',
    to: 'first_contact_date',
    unit: 'days',
    bands_under: [],
    within: 5,
    standard: { min_rate: 0.85 },
    filters: [],
  },
  {
    id: 'length_of_stay',
    label: 'Length of stay',
    description:
      'Weeks from referral to discharge: under 4, under 12, under 16, and 16 or more, with the mean.',
    kind: 'duration',
    from: 'referral_date',
    to: 'exit_date',
    unit: 'weeks',
    bands_under: [4, 12, 16],
    filters: [],
  },
  {
    id: 'contacts_per_client',
    label: 'Contacts per person',
    description:
      'The mean number of contacts (calls, meetings, home visits) of each person discharged.',
    kind: 'numeric',
    field: 'contact_count',
    statistic: 'mean',
    on: 'exit_date',
    filters: [],
  },
  {
    id: 'all_contacts',
    label: 'All contacts',
    description: 'Every contact with the people discharged.',
    kind: 'numeric',
    field: 'contact_count',
    statistic: 'sum',
    on: 'exit_date',
    filters: [],
  },
  {
    id: 'discharges',
    label: 'Discharges',
    description: '',
    kind: 'count_of_milestone',
    milestone: 'exit_date',
    filters: [],
  },
  count('open_cases', 'Still receiving support', 'referral_date', [
    { field: 'exit_date', blank: true },
  ]),
  count('at_work_discharged', 'At work when referred, discharged', 'exit_date', [
    clients,
    { field: 'work_status_at_referral', in: inWork },
  ]),
  count('at_work_stayed', 'At work when referred, in work at discharge', 'exit_date', [
    clients,
    { field: 'work_status_at_referral', in: inWork },
    { field: 'work_status_at_exit', in: inWork },
  ]),
  count('off_sick_discharged', 'Off sick when referred, discharged', 'exit_date', [
    clients,
    { field: 'work_status_at_referral', in: ['off_sick'] },
  ]),
  count('off_sick_returned', 'Off sick when referred, at work at discharge', 'exit_date', [
    clients,
    { field: 'work_status_at_referral', in: ['off_sick'] },
    { field: 'work_status_at_exit', in: inWork },
  ]),
  count('employed_discharged', 'In a job when referred, discharged', 'exit_date', [
    clients,
    { field: 'work_status_at_referral', in: [...inWork, 'off_sick'] },
  ]),
  count('employed_in_work', 'In a job when referred, at work at discharge', 'exit_date', [
    clients,
    { field: 'work_status_at_referral', in: [...inWork, 'off_sick'] },
    { field: 'work_status_at_exit', in: inWork },
  ]),
];

export const vrGroupings: Grouping[] = [
  {
    id: 'simd_worst_15',
    label: 'Lives in the 15% most deprived data zones (SIMD)',
    groups: [
      {
        value: 'worst_15',
        label: 'Worst 15%',
        filters: [{ field: 'simd_vigintile', max: 3 }],
      },
    ],
    otherwise: 'not_worst_15',
  },
];

export const pathwaysMeasures: JourneyMeasure[] = [
  {
    id: 'job_entries',
    label: 'Job entries',
    description: '',
    kind: 'count_of_milestone',
    milestone: 'job_entry_date',
    filters: [],
  },
  {
    id: 'starts',
    label: 'Starts',
    description: '',
    kind: 'count_of_milestone',
    milestone: 'start_date',
    filters: [],
  },
  count('started_entered_work', 'Job entries after a start', 'job_entry_date', [
    { field: 'start_date', blank: false },
  ]),
  rate(
    'job_entry_rate',
    'Job entry rate',
    'started_entered_work',
    'starts',
    'Job entries among participants who started; by referral cohort, the share of each month’s referrals who started and then entered work.',
  ),
  {
    id: 'sustained_jobs',
    label: 'Sustained jobs (26 weeks)',
    description: '',
    kind: 'count_of_milestone',
    milestone: 'sustained_26_weeks_date',
    filters: [],
  },
];
