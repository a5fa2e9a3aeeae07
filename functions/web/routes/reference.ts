/**
 * Managing reference data: the contracts and monthly profiles in force, and replacing either by
 * uploading a file, checked like a provider's return. Commissioners and administrators only.
 */
import { referenceCsv, referenceXlsx } from '../../../pipelines/reference/upload/export.js';
import { uploadKinds, type UploadKind } from '../../../pipelines/reference/upload/parse.js';
import {
  applyReferenceUpload,
  listReferenceVersions,
} from '../../../pipelines/reference/upload/versions.js';
import { manageableProgrammes } from '../../../pipelines/access/index.js';
import { route, type Route } from '../auth/guard.js';
import {
  referencePage,
  referencePaths,
  rejectedPage,
  uploadPage,
  type UploadForm,
} from '../../../reports/pages/reference/index.js';
import { clientAddress } from './audit-hooks.js';

const isKind = (v: unknown): v is UploadKind =>
  typeof v === 'string' && (uploadKinds as readonly string[]).includes(v);

export const referenceRoutes: Route[] = [
  route('GET', referencePaths.view, { access: 'reference-data' }, async (c, { deps, caller }) => {
    const uploaded = c.req.query('uploaded');
    const versions = await listReferenceVersions(deps.store);
    return c.html(
      referencePage(caller.reference, versions, {
        uploaded: isKind(uploaded) ? uploaded : undefined,
        rebuildFailed: isKind(uploaded) && c.req.query('rebuild') === 'failed',
        rebuildQueued: isKind(uploaded) && c.req.query('rebuild') === 'queued',
      }).toString(),
    );
  }),

  // The files in force, to edit and upload back: one each for contracts and monthly profiles.
  ...uploadKinds.map((kind) =>
    route('GET', referencePaths.download[kind], { access: 'reference-data' }, (c, { caller }) =>
      c.body(referenceCsv(kind, caller.reference), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${kind}.csv"`,
      }),
    ),
  ),
  ...uploadKinds.map((kind) =>
    route('GET', referencePaths.xlsx[kind], { access: 'reference-data' }, (c, { caller }) =>
      c.body(referenceXlsx(kind, caller.reference) as Uint8Array<ArrayBuffer>, 200, {
        'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'content-disposition': `attachment; filename="${kind}.xlsx"`,
      }),
    ),
  ),

  route('GET', referencePaths.upload, { access: 'reference-data' }, (c) => {
    return c.html(uploadPage().toString());
  }),

  route(
    'POST',
    referencePaths.upload,
    { access: 'reference-data' },
    async (c, { deps, caller }) => {
      const manageable = manageableProgrammes(caller.user);
      const body = await c.req.parseBody();
      const kind = body['kind'];
      const file = body['file'];
      const errors: NonNullable<UploadForm['errors']> = {};
      if (!isKind(kind))
        errors.kind = 'Select which file you are uploading: contracts or monthly profiles';
      // A browser sends an empty, nameless file when none was chosen.
      if (!(file instanceof File) || (file.size === 0 && file.name === ''))
        errors.file = 'Select the file to upload';
      else if (file.size === 0) errors.file = 'The selected file is empty';
      if (errors.kind || errors.file || !isKind(kind) || !(file instanceof File))
        return c.html(
          uploadPage({ kind: typeof kind === 'string' ? kind : undefined, errors }).toString(),
          400,
        );

      const result = await applyReferenceUpload({
        store: deps.store,
        kind,
        bytes: new Uint8Array(await file.arrayBuffer()),
        fileName: file.name,
        who: caller.user.id,
        programmeIds: manageable === 'all' ? null : (manageable ?? []),
        from: clientAddress(c),
        now: deps.now(),
        rebuild: () =>
          deps.intake.rebuildAll(
            deps.store,
            `reference ${kind} changed by ${caller.user.id}`,
            deps.now(),
          ),
      });
      if (result.version.status === 'rejected')
        return c.html(rejectedPage(kind, result.report).toString(), 422);
      return c.redirect(
        `${referencePaths.view}?uploaded=${kind}${result.rebuildFailed ? '&rebuild=failed' : result.rebuildQueued ? '&rebuild=queued' : ''}`,
        303,
      );
    },
  ),
];
