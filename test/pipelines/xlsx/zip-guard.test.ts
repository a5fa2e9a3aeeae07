/** The central-directory checks, each on a zip patched to break exactly one rule. */
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { inspectZip } from '../../../pipelines/xlsx/zip-guard.js';
import { zipRecords } from './helpers.js';

const base = () =>
  zipSync({ 'a.xml': strToU8('<a>hello hello hello</a>'), 'b.xml': strToU8('<b/>') }, { level: 6 });

function patched(edit: (view: DataView, zip: Uint8Array) => void): Uint8Array {
  const zip = base();
  edit(new DataView(zip.buffer), zip);
  return zip;
}

const first = (zip: Uint8Array) => zipRecords(zip)[0]!;

describe('inspectZip', () => {
  it('lists the entries of a sound zip with their sizes and data offsets', () => {
    const zip = base();
    const result = inspectZip(zip);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.entries.map((e) => [e.name, e.method, e.uncompressedSize])).toEqual([
      ['a.xml', 8, 24],
      ['b.xml', 8, 4],
    ]);
    const a = result.entries[0]!;
    expect(a.dataOffset).toBe(30 + 'a.xml'.length);
  });

  it('refuses encrypted entries as password protected', () => {
    const zip = patched((v, z) => v.setUint16(first(z).central + 8, 0x0001, true));
    expect(inspectZip(zip)).toMatchObject({
      ok: false,
      problem: { rule: 'file.format', message: 'The file is protected with a password' },
    });
  });

  it('refuses zip64 markers in the end record, an entry or its extra field', () => {
    const eocd = (z: Uint8Array) => z.length - 22;
    expect(
      inspectZip(patched((v, z) => v.setUint32(eocd(z) + 16, 0xffffffff, true))),
    ).toMatchObject({
      ok: false,
      problem: { rule: 'file.format', detail: expect.stringMatching(/zip64/) },
    });
    expect(
      inspectZip(patched((v, z) => v.setUint32(first(z).central + 24, 0xffffffff, true))),
    ).toMatchObject({
      ok: false,
      problem: { detail: expect.stringMatching(/zip64/) },
    });
    const withExtra = zipSync({ 'a.xml': [strToU8('<a/>'), { extra: { 1: new Uint8Array(16) } }] });
    expect(inspectZip(withExtra)).toMatchObject({
      ok: false,
      problem: { detail: expect.stringMatching(/zip64/) },
    });
  });

  it('refuses names over 1,000 bytes, and accepts 1,000', () => {
    expect(inspectZip(zipSync({ ['n'.repeat(1_000)]: strToU8('x') })).ok).toBe(true);
    expect(inspectZip(zipSync({ ['n'.repeat(1_001)]: strToU8('x') }))).toMatchObject({
      ok: false,
      problem: { rule: 'file.format', detail: 'entry 0 has a 1001-byte name' },
    });
  });

  it('refuses compression methods other than stored and deflate', () => {
    const zip = patched((v, z) => v.setUint16(first(z).central + 10, 12, true)); // bzip2
    expect(inspectZip(zip)).toMatchObject({
      ok: false,
      problem: { rule: 'file.format', detail: 'entry a.xml uses compression method 12' },
    });
  });

  it('refuses two entries with the same name (ignoring case)', () => {
    const zip = zipSync({ 'A.xml': strToU8('1'), 'a.xml': strToU8('2') });
    expect(inspectZip(zip)).toMatchObject({
      ok: false,
      problem: { detail: 'entry a.xml appears twice' },
    });
  });

  it('refuses entries whose bytes overlap (how the overlapping-files bomb reuses one stream)', () => {
    const zip = patched((v, z) => {
      const [a, b] = zipRecords(z);
      const aData = a!.local + 30 + 'a.xml'.length;
      v.setUint32(a!.central + 20, b!.local - aData + 10, true); // a's data now runs into b's header
    });
    expect(inspectZip(zip)).toMatchObject({
      ok: false,
      problem: { rule: 'xlsx.bomb', detail: 'entries a.xml and b.xml overlap' },
    });
  });

  it('refuses a directory that disagrees with the local header about the name', () => {
    const zip = patched((v, z) => v.setUint8(first(z).local + 30, 0x7a)); // local name 'z.xml'
    expect(inspectZip(zip)).toMatchObject({
      ok: false,
      problem: { detail: 'local header name differs from directory name for a.xml' },
    });
  });

  it('refuses declared ratios over the limit only for entries over 1 MiB', () => {
    const big = zipSync({ 'big.xml': new Uint8Array(2 * 1024 * 1024) }, { level: 9 }); // zeros: about 1000:1
    expect(inspectZip(big)).toMatchObject({
      ok: false,
      problem: { rule: 'xlsx.bomb', detail: expect.stringMatching(/compression ratio/) },
    });
    expect(inspectZip(big, { maxCompressionRatio: 5_000 }).ok).toBe(true);
    const small = zipSync({ 'small.xml': new Uint8Array(512 * 1024) }, { level: 9 });
    expect(inspectZip(small).ok).toBe(true);
  });

  it('refuses a directory that runs past the end of the file', () => {
    const zip = patched((v, z) => v.setUint32(z.length - 22 + 12, 10_000, true));
    expect(inspectZip(zip)).toMatchObject({ ok: false, problem: { rule: 'file.format' } });
  });

  it('finds the end record behind a zip comment', () => {
    const zip = zipSync({ 'a.xml': strToU8('<a/>') });
    const withComment = new Uint8Array(zip.length + 15);
    withComment.set(zip);
    withComment.set(strToU8('made for a test'), zip.length);
    new DataView(withComment.buffer).setUint16(zip.length - 2, 15, true);
    expect(inspectZip(withComment).ok).toBe(true);
  });
});
