/**
 * Claims verification (ADR 040): the provider records, for each claim in a month's sample (the
 * claims_sample mart), whether it holds the evidence for it. Each recording is its own object,
 * never rewritten, so every answer ever given is kept; the newest answer for a claim counts:
 *
 *   claims-evidence/<contract>/<period>/<outcome kind>/<at>.json
 */
import { z } from 'zod';
import { OutturnError } from '../errors.js';
import { periodLabel } from '../calendar/periods.js';
import { periodSchema, slug } from '../reference/schema.js';
import { getJson, type ObjectStore } from '../store/object-store.js';

export const CLAIMS_EVIDENCE_PREFIX = 'claims-evidence/';
export const NOTE_MAX = 500;

/** The outcomes a provider is paid for by result, and so the claims that are sampled. */
export const outcomeKinds = ['job_entry', 'sustained_job'] as const;
export type OutcomeKind = (typeof outcomeKinds)[number];

/** The words for an outcome kind, as pages say it. */
export const outcomeKindLabels: Record<OutcomeKind, string> = {
  job_entry: 'Job entries',
  sustained_job: 'Sustained jobs',
};

export const evidenceValues = ['held', 'not_held'] as const;
export type Evidence = (typeof evidenceValues)[number];

export const evidenceLabels: Record<Evidence, string> = {
  held: 'Evidence held',
  not_held: 'Evidence not held',
};

const answerSchema = z.object({
  participant_id: z.string().min(1).max(64),
  evidence: z.enum(evidenceValues),
  note: z.string().max(NOTE_MAX),
});

export const evidenceRecordSchema = z.object({
  contract_id: slug,
  period: periodSchema,
  outcome_kind: z.enum(outcomeKinds),
  by: slug,
  at: z.iso.datetime(),
  answers: z.array(answerSchema).min(1),
});

export type EvidenceRecord = z.infer<typeof evidenceRecordSchema>;
export type EvidenceAnswer = z.infer<typeof answerSchema>;

/** One claim's answer with the recording it came from: a row of the transform's source. */
export interface ClaimEvidence extends EvidenceAnswer {
  contract_id: string;
  period: string;
  outcome_kind: OutcomeKind;
  recorded_by: string;
  recorded_at: string;
}

export function evidencePrefix(contractId?: string): string {
  return `${CLAIMS_EVIDENCE_PREFIX}${contractId === undefined ? '' : `${contractId}/`}`;
}

function evidenceKey(r: EvidenceRecord): string {
  return `${evidencePrefix(r.contract_id)}${r.period}/${r.outcome_kind}/${r.at.replace(/[-:.]/g, '')}.json`;
}

/** Every answer recorded (for one contract when given), oldest recording first. */
export async function claimEvidenceIn(
  store: ObjectStore,
  contractId?: string,
): Promise<ClaimEvidence[]> {
  const keys = (await store.list(evidencePrefix(contractId))).filter((k) => k.endsWith('.json'));
  const records = await Promise.all(
    keys.map(async (key) => {
      const parsed = evidenceRecordSchema.safeParse(await getJson(store, key));
      if (!parsed.success)
        throw new Error(
          `The evidence record ${key} is damaged: ${parsed.error.issues[0]?.message}`,
        );
      return parsed.data;
    }),
  );
  return records
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
    .flatMap((r) =>
      r.answers.map((a) => ({
        ...a,
        contract_id: r.contract_id,
        period: r.period,
        outcome_kind: r.outcome_kind,
        recorded_by: r.by,
        recorded_at: r.at,
      })),
    );
}

/** A recording refused: the form's problems, each naming the claim, the field and the fix. */
export class EvidenceRefusedError extends OutturnError {
  constructor(readonly problems: readonly EvidenceProblem[]) {
    super('bad-input', problems.map((p) => p.message).join(' '));
    this.name = 'EvidenceRefusedError';
  }
}

export interface EvidenceProblem {
  participant_id: string;
  field: 'evidence' | 'note';
  message: string;
}

/** The form's answers, one per sampled claim, before they are checked. */
export interface EvidenceForm {
  contractId: string;
  period: string;
  outcomeKind: OutcomeKind;
  /** The claims in the month's sample, in the sample's order. */
  sample: readonly string[];
  answers: Readonly<Record<string, { evidence?: unknown; note?: unknown }>>;
}

/**
 * Checks a form of answers against the sample: every sampled claim answered "held" or "not held",
 * a note for each "not held", none for a claim outside the sample. Nothing is written.
 */
export function checkEvidence(
  form: EvidenceForm,
): { ok: true; answers: EvidenceAnswer[] } | { ok: false; problems: EvidenceProblem[] } {
  const problems: EvidenceProblem[] = [];
  const answers: EvidenceAnswer[] = [];
  const inSample = new Set(form.sample);
  for (const id of Object.keys(form.answers))
    if (!inSample.has(id))
      problems.push({
        participant_id: id,
        field: 'evidence',
        message: `Participant ${id} is not in the sample of ${outcomeKindLabels[form.outcomeKind].toLowerCase()} for ${periodLabel(form.period)}. Record evidence only for the claims listed.`,
      });
  form.sample.forEach((id, i) => {
    const given = form.answers[id] ?? {};
    const note = typeof given.note === 'string' ? given.note.trim() : '';
    const row = `Claim ${i + 1} (participant ${id})`;
    if (given.evidence !== 'held' && given.evidence !== 'not_held') {
      problems.push({
        participant_id: id,
        field: 'evidence',
        message: `${row}: select whether the evidence is held or not held.`,
      });
      return;
    }
    if (given.evidence === 'not_held' && note === '')
      problems.push({
        participant_id: id,
        field: 'note',
        message: `${row}: say in the note why the evidence is not held, for example "employer did not confirm the start date".`,
      });
    if (note.length > NOTE_MAX)
      problems.push({
        participant_id: id,
        field: 'note',
        message: `${row}: the note must be ${NOTE_MAX} characters or fewer; it has ${note.length}.`,
      });
    answers.push({ participant_id: id, evidence: given.evidence, note });
  });
  return problems.length ? { ok: false, problems } : { ok: true, answers };
}

/**
 * Records a provider's answers for a month's sample, after checking them all; a refused form
 * writes nothing.
 *
 * @throws EvidenceRefusedError naming each claim and field to fix.
 * @example await recordEvidence(store, { contractId: 'plp-a', period: '2025-04', outcomeKind: 'job_entry', sample: ['P1'], answers: { P1: { evidence: 'held' } } }, 'acme-user', now)
 */
export async function recordEvidence(
  store: ObjectStore,
  form: EvidenceForm,
  by: string,
  now: Date,
): Promise<EvidenceRecord> {
  const checked = checkEvidence(form);
  if (!checked.ok) throw new EvidenceRefusedError(checked.problems);
  const record = evidenceRecordSchema.parse({
    contract_id: form.contractId,
    period: form.period,
    outcome_kind: form.outcomeKind,
    by,
    at: now.toISOString(),
    answers: checked.answers,
  });
  const written = await store.putIfAbsent(evidenceKey(record), JSON.stringify(record, null, 2), {
    contentType: 'application/json',
  });
  if (!written)
    throw new OutturnError(
      'conflict',
      'Evidence for this sample was recorded at the same moment by someone else. Check the sample page and record again if needed.',
    );
  return record;
}
