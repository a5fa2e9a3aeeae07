/**
 * Pseudonymous participant ids: `<contract prefix>-<6 base-32 characters>`, for example
 * `BPT-4KQ7XM`. They must never look like personal data, or the validator's personal-data
 * guard would (rightly) refuse the return, so an id is drawn again if it, or the same id with
 * its hyphen taken out, contains anything shaped like a postcode, a National Insurance
 * number or a run of digits that could be a phone or NHS number, or if its random part has
 * fewer than two letters.
 */
import type { Random } from './random.js';

/** Crockford's base 32: no I, L, O or U, so ids are easy to read aloud. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

const lookalikes: readonly RegExp[] = [
  // A UK postcode, with or without its space: outward code then inward code (digit, two letters).
  /[A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2}/i,
  // A National Insurance number: two letters, six digits (spaced or not), maybe a final letter.
  /[A-Z]{2}\s*[0-9]{2}\s*[0-9]{2}\s*[0-9]{2}/i,
  // Seven or more digits together could be part of a phone number or an NHS number.
  /[0-9]{7,}/,
];

/** Whether an id could be mistaken for personal data. */
export function looksLikePersonalData(id: string): boolean {
  const joined = id.replace(/[-_]/g, '');
  return /^[0-9]+$/.test(joined) || lookalikes.some((re) => re.test(id) || re.test(joined));
}

export class ParticipantIds {
  private readonly used: Set<string>;

  /** `reserved` ids are never handed out (they are planted on purpose elsewhere). */
  constructor(
    private readonly prefix: string,
    private readonly rng: Random,
    reserved: Iterable<string> = [],
  ) {
    this.used = new Set(reserved);
  }

  next(): string {
    for (;;) {
      const id = drawId(this.prefix, this.rng);
      if (!this.used.has(id)) {
        this.used.add(id);
        return id;
      }
    }
  }
}

/** One id that does not look like personal data (not necessarily unused). */
export function drawId(prefix: string, rng: Random): string {
  for (;;) {
    let suffix = '';
    let letters = 0;
    for (let i = 0; i < 6; i++) {
      const c = ALPHABET[rng.int(0, 31)] ?? 'A';
      if (c >= 'A') letters++;
      suffix += c;
    }
    const id = `${prefix}-${suffix}`;
    if (letters >= 2 && !looksLikePersonalData(id)) return id;
  }
}
