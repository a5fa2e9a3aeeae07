/**
 * Performance improvement plans (issue 14.1, ADR 039): the actions a contract manager agrees
 * with a provider (what, who owns it, by when), whose status and notes the provider keeps up to
 * date, and the manager's commentary on each quarter's review. Every change is a new object,
 * never rewritten, so a plan's history is kept whole; the newest version of an action is the
 * one in force.
 *
 *   plans/<contract>/actions/<action id>/<at>.json
 *   plans/<contract>/commentary/<quarter>/<at>.json
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { OutturnError } from '../errors.js';
import { slug } from '../reference/schema.js';
import { getJson, type ObjectStore } from '../store/object-store.js';

export const PLANS_PREFIX = 'plans/';
export const ACTION_TEXT_MAX = 500;
export const OWNER_MAX = 100;
export const NOTES_MAX = 2000;
export const COMMENTARY_MAX = 5000;

export const actionStatuses = ['open', 'done', 'dropped'] as const;
export type ActionStatus = (typeof actionStatuses)[number];
export const actionStatusLabels: Record<ActionStatus, string> = {
  open: 'Open',
  done: 'Done',
  dropped: 'Dropped',
};

const isoDay = z.iso.date();
const actionId = z.string().regex(/^a-[0-9a-f]{12}$/, 'an action id such as a-0123456789ab');
/** Financial-year quarters as the review pack names them: `2025-26-Q4`. */
export const quarterIdSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-Q[1-4]$/, 'a quarter such as 2025-26-Q4');

export const actionSchema = z.object({
  id: actionId,
  contract_id: slug,
  text: z.string().min(1).max(ACTION_TEXT_MAX),
  owner: z.string().min(1).max(OWNER_MAX),
  due: isoDay,
  status: z.enum(actionStatuses),
  notes: z.string().max(NOTES_MAX),
  /** Who wrote this version, and when. */
  by: slug,
  at: z.iso.datetime(),
});
export type PlanAction = z.infer<typeof actionSchema>;

export const commentarySchema = z.object({
  contract_id: slug,
  quarter: quarterIdSchema,
  text: z.string().max(COMMENTARY_MAX),
  by: slug,
  at: z.iso.datetime(),
});
export type Commentary = z.infer<typeof commentarySchema>;

/** What a user may change on an action: everything (its manager) or its status and notes (its provider). */
export type ActionFields = 'all' | 'status-notes';

/** The form's answers, field by field, with what to fix. */
export type ActionCheck =
  | { ok: true; values: Partial<Pick<PlanAction, 'text' | 'owner' | 'due' | 'status' | 'notes'>> }
  | { ok: false; errors: { field: string; message: string }[]; values: Record<string, string> };

const text = (v: unknown) => (typeof v === 'string' ? v.replace(/\r\n?/g, '\n').trim() : '');

/**
 * Checks an action's form. `fields` says which the user may set; others in the form are ignored.
 *
 * @example checkAction({ text: 'Call every referral within 2 days', owner: 'Ann', due: '2026-01-31' }, 'all', true).ok // true
 */
export function checkAction(
  form: Record<string, unknown>,
  fields: ActionFields,
  isNew: boolean,
): ActionCheck {
  const values: Record<string, string> = {};
  const errors: { field: string; message: string }[] = [];
  const want = fields === 'all' ? ['text', 'owner', 'due', 'status', 'notes'] : ['status', 'notes'];
  for (const f of want) if (form[f] !== undefined) values[f] = text(form[f]);
  // A new action needs all three; an update changes those the form sends and keeps the rest.
  const asked = (f: string) => fields === 'all' && (isNew || values[f] !== undefined);
  if (asked('text')) {
    if (!values.text) errors.push({ field: 'text', message: 'Enter what the provider will do' });
    else if (values.text.length > ACTION_TEXT_MAX)
      errors.push({
        field: 'text',
        message: `The action must be ${ACTION_TEXT_MAX} characters or fewer`,
      });
  }
  if (asked('owner')) {
    if (!values.owner) errors.push({ field: 'owner', message: 'Enter who owns the action' });
    else if (values.owner.length > OWNER_MAX)
      errors.push({
        field: 'owner',
        message: `The owner must be ${OWNER_MAX} characters or fewer`,
      });
  }
  if (asked('due') && !isoDay.safeParse(values.due ?? '').success)
    errors.push({
      field: 'due',
      message: 'Enter the date the action is due as a real date, for example 2026-01-31',
    });
  if (
    values.status !== undefined &&
    values.status !== '' &&
    !(actionStatuses as readonly string[]).includes(values.status)
  )
    errors.push({ field: 'status', message: 'Choose open, done or dropped' });
  if (!isNew && !values.status)
    errors.push({ field: 'status', message: 'Choose open, done or dropped' });
  if ((values.notes ?? '').length > NOTES_MAX)
    errors.push({ field: 'notes', message: `The notes must be ${NOTES_MAX} characters or fewer` });
  if (errors.length > 0) return { ok: false, errors, values };
  const out: Extract<ActionCheck, { ok: true }>['values'] = {};
  if (values.text !== undefined) out.text = values.text;
  if (values.owner !== undefined) out.owner = values.owner;
  if (values.due !== undefined) out.due = values.due;
  if (values.status) out.status = values.status as ActionStatus;
  if (values.notes !== undefined) out.notes = values.notes;
  return { ok: true, values: out };
}

export class PlanRefusedError extends OutturnError {
  constructor(message: string) {
    super('not-found', message);
    this.name = 'PlanRefusedError';
  }
}

const stamp = (at: string) => at.replace(/[-:.]/g, '');
const actionsPrefix = (contractId: string) => `${PLANS_PREFIX}${contractId}/actions/`;
const commentaryPrefix = (contractId: string, quarter: string) =>
  `${PLANS_PREFIX}${contractId}/commentary/${quarter}/`;

async function putNew(
  store: ObjectStore,
  keyOf: (at: string) => string,
  make: (at: string) => object,
  now: Date,
): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const at = new Date(now.getTime() + attempt).toISOString();
    const value = make(at);
    if (
      await store.putIfAbsent(keyOf(at), JSON.stringify(value, null, 2) + '\n', {
        contentType: 'application/json',
      })
    )
      return;
  }
  throw new Error('Could not record the change: try again');
}

async function readAll<T>(store: ObjectStore, prefix: string, schema: z.ZodType<T>): Promise<T[]> {
  const keys = (await store.list(prefix)).filter((k) => k.endsWith('.json')).sort();
  const values = await Promise.all(keys.map((k) => getJson(store, k)));
  return values.map((v, i) => {
    const parsed = schema.safeParse(v);
    if (!parsed.success)
      throw new Error(`The plan record ${keys[i]} is damaged: ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  });
}

/** Every version of every action of a contract's plan, oldest first. */
export async function actionHistory(store: ObjectStore, contractId: string): Promise<PlanAction[]> {
  const all = await readAll(store, actionsPrefix(contractId), actionSchema);
  return all.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

/** The actions of a contract's plan as they stand (the newest version of each), by due date. */
export async function planActions(store: ObjectStore, contractId: string): Promise<PlanAction[]> {
  const newest = new Map<string, PlanAction>();
  for (const a of await actionHistory(store, contractId)) newest.set(a.id, a);
  return [...newest.values()].sort((a, b) =>
    a.due === b.due ? (a.at < b.at ? -1 : 1) : a.due < b.due ? -1 : 1,
  );
}

/** Adds an action to a contract's plan, open. Whether the caller may is the route's check. */
export async function addAction(
  store: ObjectStore,
  input: {
    contractId: string;
    text: string;
    owner: string;
    due: string;
    notes?: string;
    by: string;
  },
  now: Date,
): Promise<PlanAction> {
  const id = `a-${randomBytes(6).toString('hex')}`;
  let action: PlanAction | undefined;
  await putNew(
    store,
    (at) => `${actionsPrefix(input.contractId)}${id}/${stamp(at)}.json`,
    (at) =>
      (action = actionSchema.parse({
        id,
        contract_id: input.contractId,
        text: input.text,
        owner: input.owner,
        due: input.due,
        status: 'open',
        notes: input.notes ?? '',
        by: input.by,
        at,
      })),
    now,
  );
  return action!;
}

/**
 * Records a new version of an action with these changes.
 *
 * @throws PlanRefusedError when the contract's plan has no such action.
 */
export async function updateAction(
  store: ObjectStore,
  input: {
    contractId: string;
    id: string;
    changes: Partial<Pick<PlanAction, 'text' | 'owner' | 'due' | 'status' | 'notes'>>;
    by: string;
  },
  now: Date,
): Promise<{ before: PlanAction; after: PlanAction }> {
  const before = actionId.safeParse(input.id).success
    ? (await planActions(store, input.contractId)).find((a) => a.id === input.id)
    : undefined;
  if (!before)
    throw new PlanRefusedError(
      `Contract "${input.contractId}"'s improvement plan has no action "${input.id}". Check the address, or find the action on the plan's page.`,
    );
  let after: PlanAction | undefined;
  await putNew(
    store,
    (at) => `${actionsPrefix(input.contractId)}${before.id}/${stamp(at)}.json`,
    (at) => (after = actionSchema.parse({ ...before, ...input.changes, by: input.by, at })),
    now,
  );
  return { before, after: after! };
}

/** The manager's commentary on a quarter, as it stands (the newest), or null. */
export async function commentaryFor(
  store: ObjectStore,
  contractId: string,
  quarter: string,
): Promise<Commentary | null> {
  if (!quarterIdSchema.safeParse(quarter).success) return null;
  const all = await readAll(store, commentaryPrefix(contractId, quarter), commentarySchema);
  return all.sort((a, b) => (a.at < b.at ? -1 : 1)).at(-1) ?? null;
}

/** Records the commentary on a quarter's review (a new version; earlier ones are kept). */
export async function writeCommentary(
  store: ObjectStore,
  input: { contractId: string; quarter: string; text: unknown; by: string },
  now: Date,
): Promise<{ ok: true; commentary: Commentary } | { ok: false; error: string }> {
  const body = text(input.text);
  if (body.length > COMMENTARY_MAX)
    return { ok: false, error: `The commentary must be ${COMMENTARY_MAX} characters or fewer` };
  let commentary: Commentary | undefined;
  await putNew(
    store,
    (at) => `${commentaryPrefix(input.contractId, input.quarter)}${stamp(at)}.json`,
    (at) =>
      (commentary = commentarySchema.parse({
        contract_id: input.contractId,
        quarter: input.quarter,
        text: body,
        by: input.by,
        at,
      })),
    now,
  );
  return { ok: true, commentary: commentary! };
}
