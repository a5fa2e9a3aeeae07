/**
 * The personal-data guard. Outturn must only ever hold pseudonymous participant references;
 * a return carrying a National Insurance number, a valid NHS number, an email address, a phone
 * number, a full postcode or a column of names is refused, naming the cell.
 */
import type { RuleId } from './report.js';

export type PersonalDataRule = Extract<RuleId, `personal_data.${string}`>;

const NI_NUMBER =
  /(?<![A-Z0-9])(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![A-Z0-9])/i;
const EMAIL = /[^\s@,;]+@[^\s@,;]+\.[a-z]{2,}/i;
const TEN_DIGITS = /(?<!\d)\d{3}[ -]?\d{3}[ -]?\d{4}(?!\d)/g;
const UK_PHONE = /^(?:(?:\+|00)44[ -]?|0)[1-9](?:[ -]?\d){8,9}$/;
const FULL_POSTCODE = /^(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})$/i;

/** Whether ten digits pass the NHS number modulus-11 check. */
export function isValidNhsNumber(digits: string): boolean {
  if (!/^\d{10}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(digits[9]);
}

function hasValidNhsNumber(value: string): boolean {
  for (const m of value.matchAll(TEN_DIGITS))
    if (isValidNhsNumber(m[0].replace(/[ -]/g, ''))) return true;
  return false;
}

/**
 * The kind of personal data a value looks like, or null. Cheap tests run first, because the
 * validator calls this on every free-text cell of files with hundreds of thousands of rows.
 */
export function detectPersonalData(value: string): PersonalDataRule | null {
  if (value.length < 5) return null;
  let digits = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
  }
  if (value.includes('@') && EMAIL.test(value)) return 'personal_data.email';
  if (digits >= 6 && NI_NUMBER.test(value)) return 'personal_data.ni_number';
  if (digits >= 10 && hasValidNhsNumber(value)) return 'personal_data.nhs_number';
  if (digits >= 10 && UK_PHONE.test(value.trim().replace('(0)', '').replace(/[()]/g, '')))
    return 'personal_data.phone';
  if (digits >= 2 && value.length <= 8 && FULL_POSTCODE.test(value.trim()))
    return 'personal_data.postcode';
  return null;
}

const personalDataMessages: Record<PersonalDataRule, string> = {
  'personal_data.ni_number': 'This looks like a National Insurance number.',
  'personal_data.nhs_number': 'This looks like an NHS number (it passes the NHS number check).',
  'personal_data.email': 'This looks like an email address.',
  'personal_data.phone': 'This looks like a phone number.',
  'personal_data.postcode': 'This looks like a full postcode.',
};

export function personalDataMessage(rule: PersonalDataRule): string {
  return `${personalDataMessages[rule]} Outturn must not receive personal data, so the whole file has been refused and nothing was kept in the return.`;
}

export const personalDataFix =
  'Replace it with your own pseudonymous reference (or leave the cell blank if it is not needed), then upload the file again.';

/** Shows enough of a value to find it in the file without repeating the personal data. */
export function maskValue(value: string): string {
  if (value.length <= 2) return '*'.repeat(value.length);
  return value[0] + '*'.repeat(Math.max(1, value.length - 2)) + value[value.length - 1];
}

const personalColumns: { pattern: RegExp; what: string }[] = [
  {
    pattern:
      /(^|_)(names?|forenames?|surname|first_?name|last_?name|given_?name|family_?name|middle_?name|initials)($|_)/,
    what: 'names',
  },
  {
    pattern: /nino|national_insurance|(^|_)ni_?(number|no|num)($|_)/,
    what: 'National Insurance numbers',
  },
  { pattern: /(^|_)(nhs|chi)_?(number|no|num)($|_)/, what: 'NHS numbers' },
  { pattern: /(^|_)dob($|_)|date_?of_?birth|birth_?date|birthday/, what: 'dates of birth' },
  { pattern: /e_?mail/, what: 'email addresses' },
  { pattern: /phone|mobile|telephone|(^|_)tel($|_)/, what: 'phone numbers' },
  { pattern: /address|post_?code|zip_?code/, what: 'addresses or postcodes' },
];

/** What personal data a column heading suggests, such as "names", or null. */
export function personalDataColumn(heading: string): string | null {
  const h = heading
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_');
  for (const { pattern, what } of personalColumns) if (pattern.test(h)) return what;
  return null;
}
