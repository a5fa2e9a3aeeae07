/**
 * Inflates one zip entry a little at a time, counting what comes out.
 *
 * The guard has already checked what the central directory declares; here we hold the entry to
 * it. Compressed input goes to fflate's streaming `Inflate` in 16 KiB steps, so even at deflate's
 * best ratio (about 1,030:1) one step yields at most ~16 MiB, and we stop the moment the real
 * output passes the declared size or what is left of the file's budget. A lying zip therefore
 * costs one step of work, never its full inflated size in memory.
 */

import { Inflate } from 'fflate';
import { bomb, notAWorkbook, type XlsxProblem } from './problem.js';
import type { ZipEntry } from './zip-guard.js';

/** Bytes the whole workbook may still inflate to; shared by every part we read. */
export interface InflateBudget {
  remaining: number;
}

/**
 * What a consumer says about each piece: carry on (`undefined`), it has all it needs (`'stop'`:
 * the rest is still inflated, to check the entry is whole, but not handed over), or a problem.
 */
export type ChunkVerdict = undefined | 'stop' | XlsxProblem;

const INPUT_STEP = 16 * 1024;
const STORED_STEP = 1024 * 1024;

export function inflateEntry(
  zip: Uint8Array,
  entry: ZipEntry,
  budget: InflateBudget,
  onChunk: (chunk: Uint8Array) => ChunkVerdict,
): XlsxProblem | undefined {
  const input = zip.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  let produced = 0;
  let crc = 0;
  let problem: XlsxProblem | undefined;
  // After 'stop' we still inflate to the end (without the consumer) to check the size and CRC.
  let consumerDone = false;

  const take = (chunk: Uint8Array): void => {
    if (problem !== undefined || chunk.length === 0) return;
    produced += chunk.length;
    if (produced > entry.uncompressedSize) {
      problem = bomb(`${entry.name} inflates past its declared ${entry.uncompressedSize} bytes`);
      return;
    }
    if (produced > budget.remaining) {
      problem = bomb(
        `${entry.name} inflates past the workbook's remaining budget of ${budget.remaining} bytes`,
      );
      return;
    }
    crc = crc32(crc, chunk);
    if (consumerDone) return;
    const verdict = onChunk(chunk);
    if (verdict === 'stop') consumerDone = true;
    else if (verdict !== undefined) problem = verdict;
  };

  if (entry.method === 0) {
    for (let at = 0; at < input.length && problem === undefined; at += STORED_STEP) {
      take(input.subarray(at, Math.min(at + STORED_STEP, input.length)));
    }
  } else if (entry.uncompressedSize > 0 || input.length > 0) {
    const inflater = new Inflate(take);
    try {
      for (let at = 0; at < input.length && problem === undefined; at += INPUT_STEP) {
        const end = Math.min(at + INPUT_STEP, input.length);
        inflater.push(input.subarray(at, end), end === input.length);
      }
    } catch (error) {
      return notAWorkbook(
        `${entry.name} is damaged: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  budget.remaining -= produced;
  if (problem !== undefined) return problem;
  if (produced !== entry.uncompressedSize) {
    return notAWorkbook(
      `${entry.name} inflated to ${produced} bytes but declares ${entry.uncompressedSize}`,
    );
  }
  if (crc !== entry.crc32) return notAWorkbook(`${entry.name} fails its CRC-32 check`);
  return undefined;
}

/** Slicing-by-8 tables: eight bytes per step, about twice as fast as the one-table loop. */
const CRC_TABLE = (() => {
  const table = new Uint32Array(256 * 8);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    for (let t = 1; t < 8; t++) {
      const previous = table[(t - 1) * 256 + n]!;
      table[t * 256 + n] = (previous >>> 8) ^ table[previous & 0xff]!;
    }
  }
  return table;
})();

/** The zip CRC-32 of everything so far, given the CRC before `chunk`. Catches damage that still inflates. */
export function crc32(crc: number, chunk: Uint8Array): number {
  const t = CRC_TABLE;
  const b = chunk;
  let c = ~crc;
  let i = 0;
  for (const last = b.length - 8; i <= last; i += 8) {
    const x = c ^ (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24));
    c =
      t[1792 + (x & 0xff)]! ^
      t[1536 + ((x >>> 8) & 0xff)]! ^
      t[1280 + ((x >>> 16) & 0xff)]! ^
      t[1024 + (x >>> 24)]! ^
      t[768 + b[i + 4]!]! ^
      t[512 + b[i + 5]!]! ^
      t[256 + b[i + 6]!]! ^
      t[b[i + 7]!]!;
  }
  for (; i < b.length; i++) c = t[(c ^ b[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** A whole (small) part as text. Parts are UTF-8 in practice; UTF-16 with a byte order mark is allowed by XML. */
export function inflateText(
  zip: Uint8Array,
  entry: ZipEntry,
  budget: InflateBudget,
): { text: string } | XlsxProblem {
  const decoder = new StreamingText();
  let text = '';
  const problem = inflateEntry(zip, entry, budget, (chunk) => {
    text += decoder.push(chunk);
    return undefined;
  });
  if (problem) return problem;
  return { text: text + decoder.end() };
}

/** UTF-8 (or UTF-16, by byte order mark) decoding across chunk boundaries. */
export class StreamingText {
  private decoder: TextDecoder | undefined;
  private head: Uint8Array = new Uint8Array(0);

  push(chunk: Uint8Array): string {
    if (!this.decoder) {
      // The byte order mark may itself be split across chunks; wait for two bytes.
      const joined = this.head.length ? concat(this.head, chunk) : chunk;
      if (joined.length < 2) {
        this.head = joined;
        return '';
      }
      this.head = new Uint8Array(0);
      const encoding =
        joined[0] === 0xff && joined[1] === 0xfe
          ? 'utf-16le'
          : joined[0] === 0xfe && joined[1] === 0xff
            ? 'utf-16be'
            : 'utf-8';
      this.decoder = new TextDecoder(encoding);
      return this.decoder.decode(joined, { stream: true });
    }
    return this.decoder.decode(chunk, { stream: true });
  }

  end(): string {
    if (!this.decoder) return new TextDecoder('utf-8').decode(this.head);
    return this.decoder.decode();
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
