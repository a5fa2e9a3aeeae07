import { describe, expect, it } from 'vitest';
import {
  detectPersonalData,
  isValidNhsNumber,
  maskValue,
  personalDataColumn,
} from '../../../pipelines/validate/personal-data.js';

describe('NHS numbers', () => {
  it('passes the modulus-11 check worked by hand', () => {
    // 9 4 3 4 7 6 5 9 1 weighted 10..2: 90+36+24+28+42+30+20+27+2 = 299; 299 mod 11 = 2; 11-2 = 9.
    expect(isValidNhsNumber('9434765919')).toBe(true);
    expect(isValidNhsNumber('9434765918')).toBe(false);
    // 4 0 1 0 2 3 2 1 3 weighted: 40+0+8+0+12+15+8+3+6 = 92; 92 mod 11 = 4; 11-4 = 7.
    expect(isValidNhsNumber('4010232137')).toBe(true);
  });

  it('finds a valid NHS number written with spaces, but not ten digits that fail the check', () => {
    expect(detectPersonalData('943 476 5919')).toBe('personal_data.nhs_number');
    expect(detectPersonalData('9434765918')).toBeNull();
  });
});

describe('detectPersonalData', () => {
  it.each([
    ['AB123456C', 'personal_data.ni_number'],
    ['ab 12 34 56 c', 'personal_data.ni_number'],
    ['ref JT123456A', 'personal_data.ni_number'],
    ['someone@nhs.net', 'personal_data.email'],
    ['07700 900123', 'personal_data.phone'],
    ['+44 (0)20 7946 0000', 'personal_data.phone'],
    ['0161 496 0000', 'personal_data.phone'],
    ['M1 1AE', 'personal_data.postcode'],
    ['sw1a1aa', 'personal_data.postcode'],
    ['EC1A 1BB', 'personal_data.postcode'],
  ])('%s is %s', (value, rule) => {
    expect(detectPersonalData(value)).toBe(rule);
  });

  it.each([
    'P-000123',
    'GB123456A', // GB is never issued as an NI prefix
    'DA123456C', // D is never a first letter
    'PLP-K7A3BQ', // an id with a postcode-like tail is not a whole postcode
    'M1', // a postcode district alone is not personal
    '2025-01-31',
    'mental_health',
  ])('%s is not personal data', (value) => {
    expect(detectPersonalData(value)).toBeNull();
  });

  it('masks a value, keeping its length and ends', () => {
    expect(maskValue('AB123456C')).toBe('A*******C');
  });
});

describe('personalDataColumn', () => {
  it.each([
    ['Surname', 'names'],
    ['First Name', 'names'],
    ['client_name', 'names'],
    ['NINO', 'National Insurance numbers'],
    ['NI number', 'National Insurance numbers'],
    ['NHS No', 'NHS numbers'],
    ['DOB', 'dates of birth'],
    ['Date of birth', 'dates of birth'],
    ['Postcode', 'addresses or postcodes'],
    ['Email address', 'email addresses'],
    ['Mobile', 'phone numbers'],
  ])('%s suggests %s', (heading, what) => {
    expect(personalDataColumn(heading)).toBe(what);
  });

  it('lets the template columns through', () => {
    for (const h of [
      'participant_id',
      'referral_date',
      'exit_reason',
      'primary_condition_group',
      'outcome_instrument',
      'age_band',
    ])
      expect(personalDataColumn(h)).toBeNull();
  });
});
