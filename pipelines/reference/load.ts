/**
 * Loads reference data from a folder of JSON files and checks it, file by file and then
 * across files, so that every error names the file and the path of the bad value.
 */
import { OutturnError } from '../errors.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { referenceFiles, type ReferenceData } from './schema.js';
import { partnerCodes } from './partners.js';

export interface ReferenceProblem {
  file: string;
  /** Where the bad value is, for example `[3].payment.sustained_weeks`. */
  path: string;
  message: string;
}

/** Reference data that does not load: nothing that needs it (signing in, ingesting) can go on. */
export class ReferenceDataError extends OutturnError {
  constructor(readonly problems: ReferenceProblem[]) {
    super(
      'not-ready',
      `The reference data has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n` +
        problems.map((p) => `  ${p.file}: ${p.path || '(whole file)'}: ${p.message}`).join('\n'),
    );
    this.name = 'ReferenceDataError';
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`))
    .join('')
    .replace(/^\./, '');
}

type Key = keyof typeof referenceFiles;

/** Checks already-parsed reference data, as it would be checked when loaded from files. */
export function parseReferenceData(raw: Record<Key, unknown>): ReferenceData {
  const problems: ReferenceProblem[] = [];
  const out: Partial<Record<Key, unknown[]>> = {};
  for (const key of Object.keys(referenceFiles) as Key[]) {
    const { file, schema } = referenceFiles[key];
    const parsed = z.array(schema as z.ZodType).safeParse(raw[key]);
    if (parsed.success) out[key] = parsed.data;
    else
      for (const issue of parsed.error.issues)
        problems.push({ file, path: formatPath(issue.path), message: issue.message });
  }
  if (problems.length) throw new ReferenceDataError(problems);
  const data = out as unknown as ReferenceData;
  problems.push(...crossCheck(data));
  if (problems.length) throw new ReferenceDataError(problems);
  return data;
}

/**
 * Parses and checks the text of each reference file (null when the file is missing, which
 * `where` names), so every loader reports a missing or broken file the same way.
 */
export function parseReferenceTexts(
  texts: Record<Key, string | null>,
  where: (file: string) => string,
): ReferenceData {
  const raw = {} as Record<Key, unknown>;
  const problems: ReferenceProblem[] = [];
  for (const key of Object.keys(referenceFiles) as Key[]) {
    const file = referenceFiles[key].file;
    const text = texts[key];
    if (text === null) {
      problems.push({ file, path: '', message: `The file is missing from ${where(file)}` });
      continue;
    }
    try {
      raw[key] = JSON.parse(text);
    } catch (e) {
      problems.push({ file, path: '', message: `This is not valid JSON: ${(e as Error).message}` });
    }
  }
  if (problems.length) throw new ReferenceDataError(problems);
  return parseReferenceData(raw);
}

export async function loadReferenceData(dir: string): Promise<ReferenceData> {
  const texts = {} as Record<Key, string | null>;
  for (const key of Object.keys(referenceFiles) as Key[])
    texts[key] = await readFile(join(dir, referenceFiles[key].file), 'utf8').catch(() => null);
  return parseReferenceTexts(texts, () => dir);
}

function duplicates(ids: string[]): Set<string> {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const id of ids) (seen.has(id) ? dup : seen).add(id);
  return dup;
}

/** Checks that hold across files: ids unique, every reference resolves, profiles inside the term. */
function crossCheck(d: ReferenceData): ReferenceProblem[] {
  const problems: ReferenceProblem[] = [];
  const idCheck = (file: string, rows: { id: string }[]) => {
    const dup = duplicates(rows.map((r) => r.id));
    rows.forEach((r, i) => {
      if (dup.has(r.id))
        problems.push({
          file,
          path: `[${i}].id`,
          message: `The id "${r.id}" is used more than once`,
        });
    });
  };
  idCheck('programmes.json', d.programmes);
  idCheck('providers.json', d.providers);
  idCheck('contracts.json', d.contracts);
  idCheck('users.json', d.users);

  const programmes = new Map(d.programmes.map((p) => [p.id, p]));
  const providers = new Set(d.providers.map((p) => p.id));
  const contracts = new Map(d.contracts.map((c) => [c.id, c]));

  d.programmes.forEach((p, i) => {
    const measureIds = p.measures.map((m) => m.id);
    const dup = duplicates(measureIds);
    p.measures.forEach((m, j) => {
      if (dup.has(m.id))
        problems.push({
          file: 'programmes.json',
          path: `[${i}].measures[${j}].id`,
          message: `The measure "${m.id}" is defined twice`,
        });
      if (m.journey_measure === undefined) return;
      const counted = p.journey_measures?.find((x) => x.id === m.journey_measure);
      if (
        !counted ||
        (counted.kind !== 'count_of_milestone' && counted.kind !== 'count_meeting_condition')
      )
        problems.push({
          file: 'programmes.json',
          path: `[${i}].measures[${j}].journey_measure`,
          message: `"${m.journey_measure}" is not a count measure of ${p.id}: name one of its journey_measures of kind count_of_milestone or count_meeting_condition${
            (p.journey_measures ?? []).some((x) => x.kind.startsWith('count_'))
              ? ` (${(p.journey_measures ?? [])
                  .filter((x) => x.kind.startsWith('count_'))
                  .map((x) => x.id)
                  .join(', ')})`
              : ''
          }`,
        });
    });
  });

  d.programmes.forEach((p, i) => {
    p.intervention?.measures?.forEach((id, j) => {
      if (!p.measures.some((m) => m.id === id && m.profiled))
        problems.push({
          file: 'programmes.json',
          path: `[${i}].intervention.measures[${j}]`,
          message: `"${id}" is not a profiled measure of ${p.id}: name one of ${
            p.measures
              .filter((m) => m.profiled)
              .map((m) => m.id)
              .join(', ') || '(it has none)'
          }, or leave measures out to judge every profiled measure`,
        });
    });
  });

  d.contracts.forEach((c, i) => {
    if (!programmes.has(c.programme_id))
      problems.push({
        file: 'contracts.json',
        path: `[${i}].programme_id`,
        message: `No programme has the id "${c.programme_id}"`,
      });
    if (!providers.has(c.provider_id))
      problems.push({
        file: 'contracts.json',
        path: `[${i}].provider_id`,
        message: `No provider has the id "${c.provider_id}"`,
      });
    c.subcontractors.forEach((s, j) => {
      if (!providers.has(s.provider_id))
        problems.push({
          file: 'contracts.json',
          path: `[${i}].subcontractors[${j}].provider_id`,
          message: `No provider has the id "${s.provider_id}"`,
        });
    });
  });

  const portfolios = new Set(d.contracts.map((c) => c.portfolio));
  d.users.forEach((u, i) => {
    if (u.role === 'provider' && !providers.has(u.provider_id))
      problems.push({
        file: 'users.json',
        path: `[${i}].provider_id`,
        message: `No provider has the id "${u.provider_id}"`,
      });
    if (u.role === 'partner') {
      const contract = contracts.get(u.contract_id);
      if (!contract)
        problems.push({
          file: 'users.json',
          path: `[${i}].contract_id`,
          message: `No contract has the id "${u.contract_id}"`,
        });
      else if (!partnerCodes(contract).includes(u.provider_id))
        problems.push({
          file: 'users.json',
          path: `[${i}].provider_id`,
          message: `Contract "${contract.id}" has no delivery partner "${u.provider_id}"; its partners are ${partnerCodes(contract).join(', ') || 'none'} (its subcontractors in contracts.json)`,
        });
    }
    if (u.role === 'contract_manager' && !portfolios.has(u.portfolio))
      problems.push({
        file: 'users.json',
        path: `[${i}].portfolio`,
        message: `No contract is in the portfolio "${u.portfolio}"`,
      });
    if (u.role === 'commissioner')
      u.programme_ids.forEach((p, j) => {
        if (!programmes.has(p))
          problems.push({
            file: 'users.json',
            path: `[${i}].programme_ids[${j}]`,
            message: `No programme has the id "${p}"`,
          });
      });
  });

  const seenProfile = new Set<string>();
  d.profiles.forEach((p, i) => {
    const contract = contracts.get(p.contract_id);
    if (!contract) {
      problems.push({
        file: 'profiles.json',
        path: `[${i}].contract_id`,
        message: `No contract has the id "${p.contract_id}"`,
      });
      return;
    }
    const measure = programmes
      .get(contract.programme_id)
      ?.measures.find((m) => m.id === p.measure_id);
    if (!measure)
      problems.push({
        file: 'profiles.json',
        path: `[${i}].measure_id`,
        message: `The programme of contract "${p.contract_id}" has no measure "${p.measure_id}"`,
      });
    else if (!measure.profiled)
      problems.push({
        file: 'profiles.json',
        path: `[${i}].measure_id`,
        message: `The measure "${p.measure_id}" is not profiled`,
      });
    if (p.period < contract.start_period || p.period > contract.end_period)
      problems.push({
        file: 'profiles.json',
        path: `[${i}].period`,
        message: `${p.period} is outside the term of contract "${p.contract_id}" (${contract.start_period} to ${contract.end_period})`,
      });
    const key = `${p.contract_id}|${p.measure_id}|${p.period}`;
    if (seenProfile.has(key))
      problems.push({
        file: 'profiles.json',
        path: `[${i}]`,
        message: `There is already a profile for ${key.replaceAll('|', ', ')}`,
      });
    seenProfile.add(key);
  });
  return problems;
}
