/**
 * Rules over the typed rows of a return: the order of each participant's milestones, values
 * that need a companion, duplicated participants, and the aggregate return's own rules.
 */
import { isoDate } from '../calendar/days.js';
import { findField, type Field } from '../returns/fields.js';
import type { Contract, Programme } from '../reference/schema.js';
import { partnerCodes } from '../reference/partners.js';
import { CodeList, parseInteger } from './cells.js';
import type { ProblemLog } from './report.js';
import {
  ageBandOf,
  companionRules,
  LONG_WAIT_DAYS,
  orderRules,
  scoreRanges,
  simdDecileOf,
} from './row-rules.js';
import { numbers, strings, type TypedReturn } from './typed-return.js';

const label = (name: string) => findField('participant', name)?.label ?? name;

function isBlank(data: TypedReturn, name: string, i: number): boolean {
  const col = data.columns[name]!;
  return col instanceof Float64Array ? Number.isNaN(col[i]!) : col[i] == null;
}

export function checkParticipantRows(
  data: TypedReturn,
  programme: Programme | null,
  log: ProblemLog,
  contract: Contract | null = null,
): void {
  const rows = data.rowNumbers;
  const n = data.rowCount;

  for (const rule of orderRules) {
    const later = numbers(data, rule.later);
    const earlier = numbers(data, rule.earlier);
    for (let i = 0; i < n; i++) {
      const l = later[i]!;
      if (Number.isNaN(l)) continue;
      const e = earlier[i]!;
      if (Number.isNaN(e)) {
        if (rule.needsEarlier)
          log.error(
            'row.missing_companion',
            rows[i]!,
            rule.later,
            isoDate(l),
            `${label(rule.later)} is given but ${label(rule.earlier).toLowerCase()} is blank.`,
            rule.fix,
          );
        continue;
      }
      if (l - e < rule.minDays)
        log.error(
          'row.milestone_order',
          rows[i]!,
          rule.later,
          isoDate(l),
          rule.minDays === 0
            ? `${label(rule.later)} ${isoDate(l)} is before ${label(rule.earlier).toLowerCase()} ${isoDate(e)}.`
            : `${label(rule.later)} ${isoDate(l)} is only ${l - e} days after ${label(rule.earlier).toLowerCase()} ${isoDate(e)}.`,
          rule.fix,
        );
    }
  }

  for (const rule of companionRules)
    for (let i = 0; i < n; i++)
      if (!isBlank(data, rule.field, i) && isBlank(data, rule.needs, i))
        log.error(
          'row.missing_companion',
          rows[i]!,
          rule.field,
          null,
          `${label(rule.field)} is given but ${label(rule.needs).toLowerCase()} is blank.`,
          rule.fix,
        );

  checkProfileFields(data, log);

  const instrument = strings(data, 'outcome_instrument');
  for (const name of ['baseline_score', 'exit_score'] as const) {
    const scores = numbers(data, name);
    for (let i = 0; i < n; i++) {
      const s = scores[i]!;
      const range = instrument[i] ? scoreRanges.get(instrument[i]!) : undefined;
      if (Number.isNaN(s) || !range) continue;
      if (s < range[0] || s > range[1])
        log.error(
          'row.score_range',
          rows[i]!,
          name,
          String(s),
          `A ${instrument[i]} score of ${s} is outside its range of ${range[0]} to ${range[1]}.`,
          'Check the score and the instrument it was measured on.',
        );
    }
  }

  const referral = numbers(data, 'referral_date');
  const contact = numbers(data, 'first_contact_date');
  const start = numbers(data, 'start_date');
  for (let i = 0; i < n; i++) {
    const c = contact[i]!;
    if (c > start[i]!)
      log.warning(
        'row.contact_after_start',
        rows[i]!,
        'first_contact_date',
        isoDate(c),
        `First contact ${isoDate(c)} is after the start ${isoDate(start[i]!)}.`,
        'The first contact usually comes first: check both dates. This does not stop the return being accepted.',
      );
    if (c - referral[i]! >= LONG_WAIT_DAYS)
      log.warning(
        'row.long_wait',
        rows[i]!,
        'first_contact_date',
        isoDate(c),
        `First contact came ${c - referral[i]!} days after referral.`,
        'Check the dates. This does not stop the return being accepted.',
      );
  }

  const ids = strings(data, 'participant_id');
  const firstRow = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const id = ids[i];
    if (id == null) continue;
    const before = firstRow.get(id);
    if (before === undefined) firstRow.set(id, rows[i]!);
    else
      log.error(
        'row.duplicate_participant',
        rows[i]!,
        'participant_id',
        id,
        `The participant ${id} is also on row ${before}.`,
        'Give each participant one row, holding all their milestones; remove or merge the duplicate.',
      );
  }

  if (contract) checkDeliveryPartners(data, contract, log);

  if (programme && !programme.has_cmp) {
    let withCmp = 0;
    let first = 0;
    for (const name of ['cmp_referral_date', 'cmp_start_date', 'cmp_completion_date'])
      for (let i = 0; i < n; i++)
        if (!isBlank(data, name, i)) {
          if (!withCmp) first = rows[i]!;
          withCmp++;
        }
    if (withCmp)
      log.warning(
        'reference.cmp',
        first,
        null,
        null,
        `${withCmp} CMP date${withCmp === 1 ? '' : 's'} given, but ${programme.name} has no Condition Management Programme, so they will not be counted.`,
        'Leave the CMP columns blank for this contract.',
      );
  }
}

/** Each delivery partner named must be one of the contract's (reference data, ADR 042). */
function checkDeliveryPartners(data: TypedReturn, contract: Contract, log: ProblemLog): void {
  const partner = strings(data, 'delivery_partner');
  const allowed = partnerCodes(contract);
  const known = new Set(allowed);
  for (let i = 0; i < data.rowCount; i++) {
    const code = partner[i];
    if (code == null || known.has(code)) continue;
    log.error(
      'reference.delivery_partner',
      data.rowNumbers[i]!,
      'delivery_partner',
      code,
      allowed.length
        ? `Contract ${contract.id} has no delivery partner "${code}".`
        : `Contract ${contract.id} has no delivery partners, so "${code}" cannot be one.`,
      allowed.length
        ? `Use one of: ${allowed.join(', ')}, or leave it blank when your own organisation supports the participant.`
        : 'Leave delivery partner blank, or ask your contract manager to add the partner to the contract.',
    );
  }
}

export function checkAggregateRows(
  data: TypedReturn,
  programme: Programme | null,
  log: ProblemLog,
): void {
  const rows = data.rowNumbers;
  const measure = strings(data, 'measure');
  const breakdown = strings(data, 'breakdown');
  const value = strings(data, 'breakdown_value');
  const measures = programme ? new Set(programme.measures.map((m) => m.id)) : null;
  const seen = new Map<string, number>();
  for (let i = 0; i < data.rowCount; i++) {
    const m = measure[i];
    if (m && measures && !measures.has(m))
      log.error(
        'reference.measure',
        rows[i]!,
        'measure',
        m,
        `${programme!.name} has no measure "${m}".`,
        `Use one of: ${[...measures].join(', ')}.`,
      );
    const b = breakdown[i];
    const v = value[i];
    if (b && !v)
      log.error(
        'row.missing_companion',
        rows[i]!,
        'breakdown_value',
        null,
        `The breakdown ${b} is given but breakdown value is blank.`,
        `Enter the ${b.replaceAll('_', ' ')} code this count is for.`,
      );
    if (!b && v)
      log.error(
        'row.missing_companion',
        rows[i]!,
        'breakdown',
        null,
        `A breakdown value is given but the breakdown is blank.`,
        'Enter which field the count is broken down by, or leave both blank for the total.',
      );
    if (b && v) {
      const field = findField('participant', b);
      const problem = field ? breakdownValueProblem(field, v) : null;
      if (problem)
        log.error('cell.code', rows[i]!, 'breakdown_value', v, problem.message, problem.fix);
    }
    const key = `${m}|${b ?? ''}|${v ?? ''}`;
    const before = seen.get(key);
    if (before !== undefined)
      log.error(
        'row.duplicate_measure',
        rows[i]!,
        'measure',
        m ?? null,
        `${m}${b ? ` for ${b} ${v}` : ''} is also on row ${before}.`,
        'Give one count for each measure and breakdown; add the two rows together.',
      );
    else seen.set(key, rows[i]!);
  }
}

function breakdownValueProblem(field: Field, v: string): { message: string; fix: string } | null {
  if (field.type === 'code') {
    const list = new CodeList(field.codes);
    return list.has(v) ? null : list.explain(v);
  }
  if (field.type === 'integer') {
    const x = parseInteger(v);
    return x >= field.min && x <= field.max
      ? null
      : {
          message: `"${v}" is not a ${field.label.toLowerCase()}.`,
          fix: `Enter a whole number from ${field.min} to ${field.max}.`,
        };
  }
  return null;
}

/** Age and band, work status for clients, and the two SIMD ranks: fields that must agree. */
function checkProfileFields(data: TypedReturn, log: ProblemLog): void {
  const rows = data.rowNumbers;
  const age = numbers(data, 'age_at_referral');
  const band = strings(data, 'age_band');
  const type = strings(data, 'participant_type');
  const status = strings(data, 'work_status_at_referral');
  const decile = numbers(data, 'simd_decile');
  const vigintile = numbers(data, 'simd_vigintile');
  for (let i = 0; i < data.rowCount; i++) {
    const a = age[i]!;
    if (Number.isNaN(a) && band[i] == null)
      log.error(
        'row.required_here',
        rows[i]!,
        'age_band',
        null,
        'Age band at referral is blank, and so is the age at referral.',
        'Enter the age band at referral (or the age in whole years at referral): every row needs one.',
      );
    else if (!Number.isNaN(a) && band[i] != null && ageBandOf(a) !== band[i])
      log.error(
        'row.age_band',
        rows[i]!,
        'age_band',
        band[i]!,
        `The age band ${band[i]} does not hold the age at referral, ${a}.`,
        `Check both: an age of ${a} is in the band ${ageBandOf(a)}. Or leave the age band blank and it will be worked out from the age.`,
      );
    if (status[i] == null && type[i] !== 'carer_third_party')
      log.error(
        'row.required_here',
        rows[i]!,
        'work_status_at_referral',
        null,
        'Work status at referral is blank.',
        'Enter the work status at referral: every client needs one. Only a carer or third party (participant type carer_third_party) may have none.',
      );
    const d = decile[i]!;
    const v = vigintile[i]!;
    if (!Number.isNaN(d) && !Number.isNaN(v) && simdDecileOf(v) !== d)
      log.error(
        'row.simd_ranks',
        rows[i]!,
        'simd_vigintile',
        String(v),
        `SIMD vigintile ${v} is in decile ${simdDecileOf(v)}, but the SIMD decile is ${d}.`,
        'Check both against the data zone: each decile holds two vigintiles (decile 1 is vigintiles 1 and 2).',
      );
  }
}
