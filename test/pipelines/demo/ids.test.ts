import { describe, expect, it } from 'vitest';
import { looksLikePersonalData, ParticipantIds } from '../../../pipelines/demo/ids.js';
import { Random } from '../../../pipelines/demo/random.js';
import { ID_PATTERN } from '../../../pipelines/returns/row-schema.js';

describe('participant ids', () => {
  it('recognises ids shaped like personal data', () => {
    for (const id of [
      'SW1A1AA',
      'AB-SW1A2AA',
      'QQ123456C',
      'QQ 12 34 56 C',
      '4857773456',
      '07700900123',
      '123456',
      'BPT-1234567',
    ])
      expect(looksLikePersonalData(id), id).toBe(true);
    for (const id of ['BPT-4KQXMZ', 'SFT-ZZ9QRT', 'KWM-ABCDEF'])
      expect(looksLikePersonalData(id), id).toBe(false);
  });

  it('are unique, prefixed, base-32 and never look like a postcode, NI number or phone number', () => {
    const ids = new ParticipantIds('BPT', new Random(5), ['BPT-RESERV']);
    const drawn = Array.from({ length: 5_000 }, () => ids.next());
    expect(new Set(drawn).size).toBe(drawn.length);
    expect(drawn).not.toContain('BPT-RESERV');
    for (const id of drawn) {
      expect(id).toMatch(/^BPT-[0-9A-HJKMNP-TV-Z]{6}$/);
      expect(id).toMatch(ID_PATTERN);
      const suffix = id.slice(4);
      expect(suffix.replace(/[0-9]/g, '').length).toBeGreaterThanOrEqual(2);
      // Written independently of the generator's own guard.
      expect(id.replace('-', '')).not.toMatch(/[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}/);
      expect(id.replace('-', '')).not.toMatch(/[A-Z]{2}\d{6}/);
      expect(id).not.toMatch(/\d{7}/);
    }
  });
});
