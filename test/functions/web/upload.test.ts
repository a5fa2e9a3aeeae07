/** Uploading returns through POST /api/returns, and what the rest of the API shows afterwards. */
import { beforeAll, describe, expect, it } from 'vitest';
import { csvOf, participant, participants, type RowValues } from '../../fixtures/returns.js';
import { webFixture, type WebFixture } from './fixture.js';

let f: WebFixture;
beforeAll(async () => {
  f = await webFixture();
});

function form(fields: {
  rows?: RowValues[];
  contract?: string;
  period?: string;
  name?: string;
}): FormData {
  const body = new FormData();
  if (fields.rows)
    body.append(
      'file',
      new File([csvOf(fields.rows)], fields.name ?? 'return.csv', { type: 'text/csv' }),
    );
  if (fields.contract !== undefined) body.append('contract', fields.contract);
  if (fields.period !== undefined) body.append('period', fields.period);
  return body;
}

async function post(who: string, body: FormData) {
  const res = await f.app.request('/api/returns', {
    method: 'POST',
    body,
    headers: { authorization: `Bearer ${await f.token(who)}` },
  });
  return { res, body: (await res.json()) as Record<string, any> };
}

async function referrals(who: string, period: string) {
  const res = await f.app.request('/api/contracts/plp-test/performance', {
    headers: { authorization: `Bearer ${await f.token(who)}` },
  });
  const { rows } = (await res.json()) as { rows: Record<string, unknown>[] };
  return rows.find((r) => r['measure_id'] === 'referrals' && r['period'] === period);
}

/** February's return: January's six participants and four referred on 3 February. */
const february = [
  ...participants(6),
  ...participants(4).map((p, i) => ({
    ...p,
    participant_id: `P-0000${10 + i}`,
    referral_date: '2025-02-03',
    first_contact_date: '2025-02-05',
    start_date: '',
  })),
];

describe('POST /api/returns', () => {
  it('accepts a good return (201), rebuilds the marts, and the performance API shows it', async () => {
    // The marts run to the newest return's month, so before February's there is no February.
    expect(await referrals('acme-user', '2025-01')).toMatchObject({
      actual: 6,
      cumulative_actual: 6,
    });
    expect(await referrals('acme-user', '2025-02')).toBeUndefined();

    const { res, body } = await post(
      'acme-user',
      form({ rows: february, contract: 'plp-test', period: '2025-02', name: 'february.csv' }),
    );
    expect(res.status).toBe(201);
    expect(body['receipt']).toMatchObject({
      status: 'accepted',
      contract_id: 'plp-test',
      period: '2025-02',
      version: 1,
      submitted_by: 'acme-user',
      counts: { rows: 10, errors: 0 },
    });
    expect(body['receipt'].file.name).toBe('february.csv');
    expect(body['marts']).toMatchObject({ rebuilt: true });
    expect(res.headers.get('location')).toBe(`/api/returns/plp-test/2025-02/${body['receipt'].id}`);

    expect(await referrals('acme-user', '2025-02')).toMatchObject({
      actual: 4,
      cumulative_actual: 10,
    });

    // And the receipt can be read back, and is listed.
    const one = await f.app.request(res.headers.get('location')!, {
      headers: { authorization: `Bearer ${await f.token('acme-user')}` },
    });
    expect(((await one.json()) as { receipt: { id: string } }).receipt.id).toBe(body['receipt'].id);
    const list = await f.app.request('/api/returns?contract=plp-test', {
      headers: { authorization: `Bearer ${await f.token('cm-north')}` },
    });
    expect(
      ((await list.json()) as { receipts: { period: string }[] }).receipts.map((r) => r.period),
    ).toEqual(['2025-01', '2025-02']);
  });

  it('the same file again is the earlier receipt (200, duplicate), not a new version', async () => {
    const { res, body } = await post(
      'acme-user',
      form({ rows: february, contract: 'plp-test', period: '2025-02', name: 'february.csv' }),
    );
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ duplicate: true, receipt: { version: 1 } });
  });

  it('rejects a bad return (422) with the problems, stages nothing and leaves the marts alone', async () => {
    const staged = await f.pipeline.store.list('staged/');
    const rows = [
      participant({ participant_id: 'P-000001', referral_date: '31/13/2025' }),
      participant({ participant_id: 'P-000002', sex: 'unknown-code' }),
    ];
    const { res, body } = await post(
      'acme-user',
      form({ rows, contract: 'plp-test', period: '2025-03' }),
    );
    expect(res.status).toBe(422);
    expect(body['receipt']).toMatchObject({ status: 'rejected', version: null, staged_key: null });
    const problems = body['receipt'].report.problems as {
      row: number;
      column: string;
      severity: string;
    }[];
    expect(problems.filter((p) => p.severity === 'error').map((p) => [p.row, p.column])).toEqual(
      expect.arrayContaining([
        [2, 'referral_date'],
        [3, 'sex'],
      ]),
    );
    expect(await f.pipeline.store.list('staged/')).toEqual(staged);
    expect(await referrals('acme-user', '2025-02')).toMatchObject({ actual: 4 });

    // The contract manager sees the problems; the commissioner sees the counts but no cell values.
    const url = `/api/returns/plp-test/2025-03/${body['receipt'].id}`;
    const read = async (who: string) =>
      (
        (await (
          await f.app.request(url, { headers: { authorization: `Bearer ${await f.token(who)}` } })
        ).json()) as { receipt: any }
      ).receipt;
    expect((await read('cm-north')).report.problems.length).toBe(problems.length);
    const seenByCommissioner = await read('comm');
    expect(seenByCommissioner.report.problems).toEqual([]);
    expect(seenByCommissioner.counts.errors).toBe(body['receipt'].counts.errors);
  });

  it('refuses a provider uploading for another provider’s contract (403) and stores nothing', async () => {
    const before = await f.pipeline.store.list('');
    const { res, body } = await post(
      'acme-user',
      form({ rows: participants(2), contract: 'vrs-test', period: '2025-02' }),
    );
    expect(res.status).toBe(403);
    expect(body['error']).toMatch(/a provider may only submit returns for its own contracts/);
    expect(await f.pipeline.store.list('')).toEqual(before);
  });

  it('refuses a contract manager (403), a subcontractor (403) and an unknown contract (404), storing nothing', async () => {
    const before = await f.pipeline.store.list('');
    expect(
      (
        await post(
          'cm-north',
          form({ rows: participants(2), contract: 'plp-test', period: '2025-02' }),
        )
      ).res.status,
    ).toBe(403);
    expect(
      (
        await post(
          'north-user',
          form({ rows: participants(2), contract: 'plp-test', period: '2025-02' }),
        )
      ).res.status,
    ).toBe(403);
    expect(
      (
        await post(
          'admin',
          form({ rows: participants(2), contract: 'no-such-contract', period: '2025-02' }),
        )
      ).res.status,
    ).toBe(404);
    expect(await f.pipeline.store.list('')).toEqual(before);
  });

  it('says what is missing: the file, the period, a period that is not a month, the contract (400)', async () => {
    const before = await f.pipeline.store.list('');
    const cases: [FormData, RegExp][] = [
      [form({ contract: 'plp-test', period: '2025-02' }), /Choose the file/],
      [form({ rows: participants(1), contract: 'plp-test' }), /which month/],
      [form({ rows: participants(1), contract: 'plp-test', period: 'April' }), /not a month/],
      [form({ rows: participants(1), period: '2025-02' }), /which contract/],
    ];
    for (const [body, message] of cases) {
      const { res, body: answer } = await post('acme-user', body);
      expect(res.status).toBe(400);
      expect(answer['error']).toMatch(message);
    }
    expect(await f.pipeline.store.list('')).toEqual(before);
  });
});
