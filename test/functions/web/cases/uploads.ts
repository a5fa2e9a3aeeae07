/**
 * Route × role cases for queued uploads (functions/web/routes/uploads.ts, and the upload routes
 * with the queued pipeline, as in AWS). The uploads watched are written here as the ingest
 * function would leave them: one still being checked, one accepted, one refused.
 */
import { listReceipts } from '../../../../pipelines/ingest/ingest.js';
import {
  outcomeKey,
  writeIntent,
  type UploadOutcome,
} from '../../../../pipelines/ingest/queued-upload.js';
import { NOW } from '../fixture.js';
import {
  seePlp,
  seeVrsSouth,
  signedIn,
  upload,
  type Case,
  type CasesFor,
  type Expect,
} from './common.js';

const submitPlp = (anonymous: number, ok: number): Expect => ({
  anonymous,
  'acme-user': ok,
  'north-user': 403,
  'partner-north': 403,
  'cm-north': 403,
  comm: 403,
  admin: ok,
});
const submitVrsSouth = (anonymous: number, ok: number): Expect => ({
  anonymous,
  'acme-user': 403,
  'north-user': ok,
  'partner-north': 403,
  'cm-north': 403,
  comm: 403,
  admin: ok,
});
/** Who may see plp-test get `ok` rather than 200. */
const seePlpGets = (anonymous: number, ok: number): Expect => ({
  anonymous,
  'acme-user': ok,
  'north-user': 403,
  'partner-north': 403,
  'cm-north': ok,
  comm: ok,
  admin: ok,
});

const ids = {
  checking: '20261126T110000000Z-00000000000a',
  accepted: '20261126T110000000Z-00000000000b',
  refused: '20261126T110000000Z-00000000000c',
};
const unknown = '20261126T110000000Z-0000000000ff';

function urlForm(fields: Record<string, string>) {
  return () => new URLSearchParams(fields);
}

export const cases: CasesFor = async (f): Promise<Case[]> => {
  const store = f.pipeline.store;
  const [plp] = await listReceipts(store, { contractId: 'plp-test' });
  const intent = (upload_id: string, contract_id: string) =>
    writeIntent(store, {
      upload_id,
      contract_id,
      period: '2025-01',
      file_name: 'january.csv',
      submitted_by: 'admin',
      requested_at: NOW.toISOString(),
      from: 'test',
    });
  await intent(ids.checking, 'plp-test');
  await intent(ids.accepted, 'plp-test');
  await intent(ids.refused, 'vrs-south');
  const outcome = async (o: UploadOutcome) =>
    void (await store.put(outcomeKey(o.upload_id), JSON.stringify(o)));
  const decided = { period: '2025-01', decided_at: NOW.toISOString() };
  await outcome({
    ...decided,
    upload_id: ids.accepted,
    contract_id: 'plp-test',
    status: 'accepted',
    receipt_id: plp!.id,
    version: 1,
    counts: plp!.counts,
    message: null,
  });
  await outcome({
    ...decided,
    upload_id: ids.refused,
    contract_id: 'vrs-south',
    status: 'refused',
    receipt_id: null,
    version: null,
    counts: null,
    message: 'The file is 120.0 MB; Outturn accepts returns of up to 100 MB.',
  });

  return [
    {
      route: 'GET /contracts/:id/uploads/:upload',
      url: `/contracts/plp-test/uploads/${ids.checking}`,
      expect: seePlp(302),
    },
    {
      route: 'GET /contracts/:id/uploads/:upload',
      url: `/contracts/plp-test/uploads/${ids.accepted}`,
      expect: seePlpGets(302, 303),
    },
    {
      route: 'GET /contracts/:id/uploads/:upload',
      url: `/contracts/vrs-south/uploads/${ids.refused}`,
      expect: seeVrsSouth(302),
    },
    // Found only under its own contract, and only by those who may see that contract.
    {
      route: 'GET /contracts/:id/uploads/:upload',
      url: `/contracts/plp-test/uploads/${ids.refused}`,
      expect: seePlpGets(302, 404),
    },
    {
      route: 'GET /contracts/:id/uploads/:upload',
      url: `/contracts/plp-test/uploads/${unknown}`,
      expect: seePlpGets(302, 404),
    },
    {
      route: 'GET /contracts/:id/uploads/:upload',
      url: '/contracts/plp-test/uploads/..%2F..%2Freference',
      expect: seePlpGets(302, 404),
    },
    {
      route: 'GET /contracts/:id/uploads/:upload',
      url: `/contracts/no-such-contract/uploads/${ids.checking}`,
      expect: signedIn(302, 404),
    },

    {
      route: 'GET /api/uploads/:contract/:upload',
      url: `/api/uploads/plp-test/${ids.checking}`,
      expect: seePlp(401),
    },
    {
      route: 'GET /api/uploads/:contract/:upload',
      url: `/api/uploads/plp-test/${ids.accepted}`,
      expect: seePlp(401),
    },
    {
      route: 'GET /api/uploads/:contract/:upload',
      url: `/api/uploads/vrs-south/${ids.refused}`,
      expect: seeVrsSouth(401),
    },
    {
      route: 'GET /api/uploads/:contract/:upload',
      url: `/api/uploads/plp-test/${ids.refused}`,
      expect: seePlpGets(401, 404),
    },

    // Upload URLs exist only with the queued pipeline; the inline app says where to send the file instead.
    {
      route: 'POST /api/returns/upload-url',
      url: '/api/returns/upload-url',
      app: 'queued',
      form: urlForm({
        contract: 'plp-test',
        period: '2025-06',
        file_name: 'june.csv',
        file_size: '2048',
      }),
      expect: submitPlp(401, 201),
    },
    {
      route: 'POST /api/returns/upload-url',
      url: '/api/returns/upload-url',
      app: 'queued',
      form: urlForm({
        contract: 'vrs-south',
        period: '2025-06',
        file_name: 'june.csv',
        file_size: '2048',
      }),
      expect: submitVrsSouth(401, 201),
    },
    {
      route: 'POST /api/returns/upload-url',
      url: '/api/returns/upload-url',
      app: 'queued',
      form: urlForm({
        contract: 'plp-test',
        period: 'June',
        file_name: 'june.csv',
        file_size: '2048',
      }),
      expect: submitPlp(401, 400),
    },
    {
      route: 'POST /api/returns/upload-url',
      url: '/api/returns/upload-url',
      app: 'queued',
      form: urlForm({ period: '2025-06', file_name: 'june.csv', file_size: '2048' }),
      expect: signedIn(401, 400),
    },
    {
      route: 'POST /api/returns/upload-url',
      url: '/api/returns/upload-url',
      form: urlForm({
        contract: 'plp-test',
        period: '2025-06',
        file_name: 'june.csv',
        file_size: '2048',
      }),
      expect: submitPlp(401, 404),
    },

    // The upload routes with the queued pipeline: taken (202, 303 to the page to watch), not ingested.
    {
      route: 'POST /api/returns',
      url: '/api/returns',
      app: 'queued',
      form: upload('plp-test', '2025-05'),
      expect: submitPlp(401, 202),
    },
    {
      route: 'POST /contracts/:id/returns/new',
      url: '/contracts/vrs-south/returns/new',
      app: 'queued',
      form: upload('vrs-south', '2025-05'),
      expect: submitVrsSouth(302, 303),
    },
  ];
};
