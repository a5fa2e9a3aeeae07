/**
 * The columns of the participant-journey table (`int_participant_journeys`, ADR 024): every
 * field of the return, then what is worked out from them. Measures may name only these, so
 * this list is both the table's definition and the measure compiler's whitelist of SQL
 * identifiers: a name that is not here never reaches SQL.
 */
import { participantFields, type Code } from '../returns/fields.js';

export type JourneyFieldKind = 'id' | 'date' | 'code' | 'integer' | 'number' | 'boolean';

export interface JourneyField {
  readonly name: string;
  readonly kind: JourneyFieldKind;
  readonly description: string;
  /** For code fields: the codes a value may take (filters naming another are refused). */
  readonly codes?: readonly string[];
  /** Figures may be broken down by it. */
  readonly breakdown: boolean;
}

const codesOf = (codes: readonly Code[]) => codes.map((c) => c.code);

/** The return's own fields, as they are in the journey table (age band and participant type filled in). */
const returnFields: JourneyField[] = participantFields.map((f) => ({
  name: f.name,
  kind: f.type,
  description:
    f.name === 'age_band'
      ? 'Age band at referral: as given, or worked out from the age at referral'
      : f.name === 'participant_type'
        ? 'client or carer_third_party; blank in the return means client'
        : f.description,
  ...(f.type === 'code' ? { codes: codesOf(f.codes) } : {}),
  breakdown:
    f.type === 'code' ||
    ('breakdown' in f && f.breakdown === true) ||
    ['simd_decile', 'simd_vigintile', 'imd_decile', 'wimd_decile', 'nimdm_decile'].includes(f.name),
}));

/** Columns worked out from the return, in the order the table holds them. */
export const derivedJourneyFields: readonly JourneyField[] = [
  {
    name: 'area_name',
    kind: 'code',
    description: 'The contract’s area',
    // One value per contract: comparing areas is comparing contracts.
    breakdown: false,
  },
  {
    name: 'deprivation_index',
    kind: 'code',
    description:
      'Which nation’s index the deprivation rank is on: imd (England), simd (Scotland), wimd (Wales), nimdm (Northern Ireland), or deprivation_decile (the older single column)',
    codes: ['imd', 'simd', 'wimd', 'nimdm', 'deprivation_decile'],
    breakdown: true,
  },
  {
    name: 'deprivation_rank_decile',
    kind: 'integer',
    description:
      'The decile on that index, 1 (most deprived 10%) to 10, so that participants from the four nations can be compared',
    breakdown: true,
  },
  {
    name: 'days_to_first_contact',
    kind: 'integer',
    description: 'Days from referral to first contact; blank until the first contact',
    breakdown: false,
  },
  {
    name: 'days_to_start',
    kind: 'integer',
    description: 'Days from referral to the start (initial assessment); blank until the start',
    breakdown: false,
  },
  {
    name: 'days_to_exit',
    kind: 'integer',
    description: 'Days from referral to exit (discharge); blank while the case is open',
    breakdown: false,
  },
  {
    name: 'weeks_in_service',
    kind: 'number',
    description: 'Weeks from referral to exit (days ÷ 7); blank while the case is open',
    breakdown: false,
  },
  {
    name: 'is_open',
    kind: 'boolean',
    description: 'Still receiving support: no exit date in the newest return',
    breakdown: false,
  },
];

export const journeyFields: readonly JourneyField[] = [...returnFields, ...derivedJourneyFields];

const byName = new Map(journeyFields.map((f) => [f.name, f]));

export function journeyField(name: string): JourneyField | undefined {
  return byName.get(name);
}

export const journeyFieldNames = journeyFields.map((f) => f.name);
export const journeyDateFieldNames = journeyFields
  .filter((f) => f.kind === 'date')
  .map((f) => f.name);
export const journeyBreakdownNames = journeyFields.filter((f) => f.breakdown).map((f) => f.name);
