/**
 * The two demo programmes, as reference data: their measures (each counted in the month of a
 * milestone date), standards and RAG thresholds.
 *
 * The sustained-job measure that is profiled (and paid for) follows each programme's payment
 * model: Provider-led Pathways pays after 26 weeks, so `sustained_jobs` counts
 * `sustained_26_weeks_date` and every Pathways contract has `sustained_weeks: 26`; the
 * vocational rehabilitation service pays after 13 weeks, so `sustained_returns` counts
 * `sustained_13_weeks_date` and its contracts have `sustained_weeks: 13`.
 */
import type { Programme } from '../reference/schema.js';
import { pathwaysMeasures, vrGroupings, vrMeasures } from './vr-measures.js';

export const PATHWAYS = 'plp';
export const VOCATIONAL_REHAB = 'vrs';
export type ProgrammeId = typeof PATHWAYS | typeof VOCATIONAL_REHAB;

export const demoProgrammes: Programme[] = [
  {
    id: PATHWAYS,
    name: 'Provider-led Pathways to Work',
    description:
      'Work-focused interviews and back-to-work support for people claiming incapacity benefits, with a Condition Management Programme delivered by NHS teams.',
    return_kind: 'participant',
    has_cmp: true,
    measures: [
      { id: 'referrals', label: 'Referrals', milestone: 'referral_date', profiled: true },
      {
        id: 'first_contacts',
        label: 'First contacts',
        milestone: 'first_contact_date',
        profiled: false,
      },
      {
        id: 'starts',
        label: 'Starts (initial work-focused interviews)',
        milestone: 'start_date',
        profiled: true,
      },
      { id: 'waivers', label: 'Waivers', milestone: 'waiver_date', profiled: false },
      { id: 'deferrals', label: 'Deferrals', milestone: 'deferral_date', profiled: false },
      {
        id: 'cmp_referrals',
        label: 'CMP referrals',
        milestone: 'cmp_referral_date',
        profiled: false,
      },
      { id: 'cmp_starts', label: 'CMP starts', milestone: 'cmp_start_date', profiled: true },
      {
        id: 'cmp_completions',
        label: 'CMP completions',
        milestone: 'cmp_completion_date',
        profiled: false,
      },
      { id: 'job_entries', label: 'Job entries', milestone: 'job_entry_date', profiled: true },
      {
        id: 'sustained_13_weeks',
        label: 'Jobs sustained 13 weeks',
        milestone: 'sustained_13_weeks_date',
        profiled: false,
      },
      {
        id: 'sustained_jobs',
        label: 'Sustained jobs (26 weeks)',
        milestone: 'sustained_26_weeks_date',
        profiled: true,
      },
      { id: 'exits', label: 'Exits', milestone: 'exit_date', profiled: false },
    ],
    standards: [
      {
        kind: 'within_days',
        id: 'first_contact_10_days',
        label: 'First contact within 10 days of referral',
        from: 'referral_date',
        to: 'first_contact_date',
        days: 10,
        min_rate: 0.9,
      },
      {
        kind: 'within_days',
        id: 'start_28_days',
        label: 'Initial work-focused interview within 28 days of referral',
        from: 'referral_date',
        to: 'start_date',
        days: 28,
        min_rate: 0.7,
      },
      {
        kind: 'max_share',
        id: 'waivers_deferrals_5_percent',
        label: 'Waivers and deferrals at most 5% of referrals',
        numerator: ['waiver_date', 'deferral_date'],
        denominator: 'referral_date',
        max_rate: 0.05,
      },
      {
        kind: 'min_share',
        id: 'cmp_completion_60_percent',
        label: 'At least 60% of CMP starts complete the programme',
        numerator: 'cmp_completion_date',
        denominator: 'cmp_start_date',
        min_rate: 0.6,
      },
    ],
    rag: { green_from: 0.95, amber_from: 0.8 },
    // The demo's months are all past: a newcomer trying an upload should not find them closed (ADR 032).
    returns_close_after_days: null,
    journey_measures: pathwaysMeasures,
  },
  {
    id: VOCATIONAL_REHAB,
    name: 'Vocational Rehabilitation Service',
    description:
      'NHS and local authority vocational rehabilitation for people with cancer and other long-term conditions (such as MS and IBD): staying in work when at risk, and returning to work from sickness absence.',
    return_kind: 'participant',
    has_cmp: false,
    measures: [
      { id: 'referrals', label: 'Referrals', milestone: 'referral_date', profiled: true },
      {
        id: 'first_contacts',
        label: 'First contacts',
        milestone: 'first_contact_date',
        profiled: false,
      },
      { id: 'starts', label: 'Assessments', milestone: 'start_date', profiled: true },
      // What such a service is for (issue 11): people off sick back at work when discharged,
      // counted in the month of discharge from the programme's own measure (ADR 035), not a
      // job-entry date such a service does not record.
      {
        id: 'returned_to_work',
        label: 'Back at work from sickness absence',
        journey_measure: 'off_sick_returned',
        profiled: true,
      },
      {
        id: 'sustained_returns',
        label: 'Returns to work sustained 13 weeks',
        milestone: 'sustained_13_weeks_date',
        profiled: true,
      },
      {
        id: 'kept_in_work',
        label: 'Kept in work (at work when referred)',
        journey_measure: 'at_work_stayed',
        profiled: false,
      },
      {
        id: 'moved_into_work',
        label: 'Moved from not working into work',
        journey_measure: 'moved_into_work',
        profiled: false,
      },
      {
        id: 'sustained_26_weeks',
        label: 'Returns to work sustained 26 weeks',
        milestone: 'sustained_26_weeks_date',
        profiled: false,
      },
      { id: 'exits', label: 'Discharges', milestone: 'exit_date', profiled: false },
      {
        id: 'follow_ups',
        label: 'Six-month follow-ups',
        milestone: 'follow_up_date',
        profiled: false,
      },
    ],
    standards: [
      {
        kind: 'within_days',
        id: 'first_contact_5_days',
        label: 'First contact within 5 days of referral',
        from: 'referral_date',
        to: 'first_contact_date',
        days: 5,
        min_rate: 0.85,
      },
      {
        kind: 'within_days',
        id: 'assessment_15_days',
        label: 'Assessment within 15 days of referral',
        from: 'referral_date',
        to: 'start_date',
        days: 15,
        min_rate: 0.8,
      },
      {
        kind: 'min_share',
        id: 'returns_sustained_60_percent',
        label: 'At least 60% of returns to work last 13 weeks',
        numerator: 'sustained_13_weeks_date',
        denominator: 'job_entry_date',
        min_rate: 0.6,
      },
    ],
    rag: { green_from: 0.9, amber_from: 0.75 },
    returns_close_after_days: null,
    // The pilot's years ran from June to May.
    year_start_month: 6,
    journey_measures: vrMeasures,
    groupings: vrGroupings,
  },
];
