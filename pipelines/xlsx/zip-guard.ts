/**
 * Looks at a zip's central directory, and at nothing else, before a single byte is inflated.
 *
 * An XLSX file is a zip, and a zip can declare (or hide) far more data than it holds. This guard
 * reads the End Of Central Directory record and the directory entries, checks every offset and
 * length against the bytes we were given, and refuses anything a monthly return never needs:
 * many entries, huge declared sizes, extreme compression ratios, encryption, zip64, overlapping
 * entries. Declared sizes can still lie; the inflater checks the real sizes as it goes.
 *
 * It never throws: every way bytes can be wrong comes back as an `XlsxProblem`.
 */

import { bomb, notAWorkbook, passwordProtected, type XlsxProblem } from './problem.js';

export interface ZipEntry {
  /** The name as stored, with `\` turned into `/`. */
  readonly name: string;
  /** 0 stored, 8 deflate: the only two methods we accept. */
  readonly method: 0 | 8;
  readonly compressedSize: number;
  /** What the directory claims; the inflater refuses to produce more. */
  readonly uncompressedSize: number;
  readonly crc32: number;
  /** Where the entry's compressed bytes start within the zip. */
  readonly dataOffset: number;
}

export interface ZipLimits {
  readonly maxEntries: number;
  /** The sum of all entries' declared uncompressed sizes. */
  readonly maxTotalUncompressedBytes: number;
  /** Uncompressed size over compressed size, for entries larger than `ratioCheckFromBytes`. */
  readonly maxCompressionRatio: number;
  /** Small parts (styles, rels) compress very well and cannot hurt; only big ones are ratio-checked. */
  readonly ratioCheckFromBytes: number;
  readonly maxNameLength: number;
}

const MiB = 1024 * 1024;

export const defaultZipLimits: ZipLimits = {
  maxEntries: 1_000,
  maxTotalUncompressedBytes: 200 * MiB,
  maxCompressionRatio: 200,
  ratioCheckFromBytes: 1 * MiB,
  maxNameLength: 1_000,
};

export type ZipGuardResult =
  { ok: true; entries: ZipEntry[] } | { ok: false; problem: XlsxProblem };

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const EOCD_LENGTH = 22;
const CENTRAL_LENGTH = 46;
const LOCAL_LENGTH = 30;
const ZIP64_EXTRA_ID = 0x0001;

const FLAG_ENCRYPTED = 0x0001;
const FLAG_STRONG_ENCRYPTION = 0x0040;
const FLAG_UTF8_NAME = 0x0800;
const METHOD_AES = 99;

interface Located extends ZipEntry {
  readonly localOffset: number;
}

export function inspectZip(bytes: Uint8Array, limits: Partial<ZipLimits> = {}): ZipGuardResult {
  const lim: ZipLimits = { ...defaultZipLimits, ...limits };
  const fail = (problem: XlsxProblem): ZipGuardResult => ({ ok: false, problem });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number): number => view.getUint16(at, true);
  const u32 = (at: number): number => view.getUint32(at, true);

  const eocd = findEndOfCentralDirectory(bytes, view);
  if (eocd < 0) return fail(notAWorkbook('no zip end of central directory record'));
  if (eocd >= 20 && u32(eocd - 20) === ZIP64_LOCATOR_SIGNATURE)
    return fail(notAWorkbook('zip64 locator present'));

  const disk = u16(eocd + 4);
  const directoryDisk = u16(eocd + 6);
  const entriesOnDisk = u16(eocd + 8);
  const entryCount = u16(eocd + 10);
  const directorySize = u32(eocd + 12);
  const directoryOffset = u32(eocd + 16);
  if (entryCount === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
    return fail(notAWorkbook('zip64 markers in end of central directory'));
  }
  if (disk !== 0 || directoryDisk !== 0 || entriesOnDisk !== entryCount)
    return fail(notAWorkbook('multi-disk zip'));
  if (entryCount > lim.maxEntries)
    return fail(bomb(`${entryCount} zip entries, limit ${lim.maxEntries}`));
  const directoryEnd = directoryOffset + directorySize;
  if (directoryEnd > eocd)
    return fail(
      notAWorkbook('central directory runs past its end record (truncated or prefixed file)'),
    );

  const entries: Located[] = [];
  const seen = new Set<string>();
  let totalUncompressed = 0;
  let at = directoryOffset;
  for (let i = 0; i < entryCount; i++) {
    if (at + CENTRAL_LENGTH > directoryEnd || u32(at) !== CENTRAL_SIGNATURE) {
      return fail(notAWorkbook(`central directory entry ${i} is missing or damaged`));
    }
    const flags = u16(at + 8);
    const method = u16(at + 10);
    const crc32 = u32(at + 16);
    const compressedSize = u32(at + 20);
    const uncompressedSize = u32(at + 24);
    const nameLength = u16(at + 28);
    const extraLength = u16(at + 30);
    const commentLength = u16(at + 32);
    const startDisk = u16(at + 34);
    const localOffset = u32(at + 42);
    const next = at + CENTRAL_LENGTH + nameLength + extraLength + commentLength;
    if (next > directoryEnd)
      return fail(notAWorkbook(`central directory entry ${i} runs past the directory`));
    if (nameLength > lim.maxNameLength)
      return fail(notAWorkbook(`entry ${i} has a ${nameLength}-byte name`));

    const nameBytes = bytes.subarray(at + CENTRAL_LENGTH, at + CENTRAL_LENGTH + nameLength);
    const name = decodeName(nameBytes, (flags & FLAG_UTF8_NAME) !== 0).replaceAll('\\', '/');
    const extra = bytes.subarray(
      at + CENTRAL_LENGTH + nameLength,
      at + CENTRAL_LENGTH + nameLength + extraLength,
    );
    if (
      compressedSize === 0xffffffff ||
      uncompressedSize === 0xffffffff ||
      localOffset === 0xffffffff ||
      startDisk === 0xffff ||
      hasExtraField(extra, ZIP64_EXTRA_ID)
    ) {
      return fail(notAWorkbook(`zip64 markers in entry ${name}`));
    }
    if ((flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION)) !== 0 || method === METHOD_AES) {
      return fail(passwordProtected(`entry ${name} is encrypted`));
    }
    if (method !== 0 && method !== 8)
      return fail(notAWorkbook(`entry ${name} uses compression method ${method}`));
    if (method === 0 && compressedSize !== uncompressedSize)
      return fail(notAWorkbook(`stored entry ${name} has two sizes`));

    const key = name.toLowerCase();
    if (seen.has(key)) return fail(notAWorkbook(`entry ${name} appears twice`));
    seen.add(key);

    totalUncompressed += uncompressedSize;
    if (totalUncompressed > lim.maxTotalUncompressedBytes) {
      return fail(
        bomb(
          `declared uncompressed total over ${lim.maxTotalUncompressedBytes} bytes at entry ${name}`,
        ),
      );
    }
    if (
      uncompressedSize > lim.ratioCheckFromBytes &&
      uncompressedSize / Math.max(compressedSize, 1) > lim.maxCompressionRatio
    ) {
      const ratio = Math.round(uncompressedSize / Math.max(compressedSize, 1));
      return fail(
        bomb(
          `entry ${name} declares a compression ratio of ${ratio}:1, limit ${lim.maxCompressionRatio}:1`,
        ),
      );
    }

    // The local header must be where the directory says, name the same file, and leave room for the data.
    if (localOffset + LOCAL_LENGTH > directoryOffset || u32(localOffset) !== LOCAL_SIGNATURE) {
      return fail(notAWorkbook(`local header of ${name} is missing or damaged`));
    }
    const localNameLength = u16(localOffset + 26);
    const localExtraLength = u16(localOffset + 28);
    const dataOffset = localOffset + LOCAL_LENGTH + localNameLength + localExtraLength;
    if (dataOffset + compressedSize > directoryOffset)
      return fail(notAWorkbook(`data of ${name} runs past the directory`));
    if (
      !sameBytes(
        nameBytes,
        bytes.subarray(localOffset + LOCAL_LENGTH, localOffset + LOCAL_LENGTH + localNameLength),
      )
    ) {
      return fail(notAWorkbook(`local header name differs from directory name for ${name}`));
    }
    if (hasExtraField(bytes.subarray(dataOffset - localExtraLength, dataOffset), ZIP64_EXTRA_ID)) {
      return fail(notAWorkbook(`zip64 markers in local header of ${name}`));
    }

    entries.push({
      name,
      method,
      compressedSize,
      uncompressedSize,
      crc32,
      dataOffset,
      localOffset,
    });
    at = next;
  }

  // Entries that share bytes are how a small zip declares gigabytes (the "overlapping files" bomb).
  const byOffset = [...entries].sort((a, b) => a.localOffset - b.localOffset);
  for (let i = 1; i < byOffset.length; i++) {
    const before = byOffset[i - 1]!;
    const after = byOffset[i]!;
    if (before.dataOffset + before.compressedSize > after.localOffset) {
      return fail(bomb(`entries ${before.name} and ${after.name} overlap`));
    }
  }

  return {
    ok: true,
    entries: entries.map(({ localOffset: _unused, ...entry }) => entry),
  };
}

/** The offset of the End Of Central Directory record, or -1. The record sits in the last 64 KiB + 22 bytes. */
function findEndOfCentralDirectory(bytes: Uint8Array, view: DataView): number {
  const lowest = Math.max(0, bytes.length - EOCD_LENGTH - 0xffff);
  for (let at = bytes.length - EOCD_LENGTH; at >= lowest; at--) {
    if (bytes[at] !== 0x50 || view.getUint32(at, true) !== EOCD_SIGNATURE) continue;
    const commentLength = view.getUint16(at + 20, true);
    if (at + EOCD_LENGTH + commentLength <= bytes.length) return at;
  }
  return -1;
}

function hasExtraField(extra: Uint8Array, id: number): boolean {
  const view = new DataView(extra.buffer, extra.byteOffset, extra.byteLength);
  for (let at = 0; at + 4 <= extra.length;) {
    if (view.getUint16(at, true) === id) return true;
    at += 4 + view.getUint16(at + 2, true);
  }
  return false;
}

const utf8 = new TextDecoder('utf-8');
const latin1 = new TextDecoder('latin1');

/** Names without the UTF-8 flag are strictly CP437; every name an XLSX reader looks for is ASCII, so latin1 is enough. */
function decodeName(nameBytes: Uint8Array, isUtf8: boolean): string {
  return (isUtf8 ? utf8 : latin1).decode(nameBytes);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
