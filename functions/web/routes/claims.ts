/**
 * Claims verification routes (ADR 040): a contract's claims verification and one month's sample
 * (its provider and contract manager), the provider recording the evidence for a sample, and a
 * programme's pooled, suppressed view (commissioners). Logic lives in pipelines/claims and
 * reports/pages/claims.
 */
import type { Context } from 'hono';
import { canRecordClaimEvidence } from '../../../pipelines/access/index.js';
import { audit } from '../../../pipelines/audit/audit-log.js';
import {
  EvidenceRefusedError,
  outcomeKindLabels,
  recordEvidence,
  type OutcomeKind,
} from '../../../pipelines/claims/evidence.js';
import type { Contract } from '../../../pipelines/reference/schema.js';
import { periodSchema } from '../../../pipelines/reference/schema.js';
import { withMarts } from '../../../pipelines/transform/query.js';
import {
  claimsPaths,
  contractClaimsPage,
  isOutcomeKind,
  programmeClaimsPage,
  sampleOf,
  samplePage,
  type SampleClaim,
} from '../../../reports/pages/claims/index.js';
import { route, type Route } from '../auth/guard.js';
import type { Deps } from '../deps.js';
import { WebError } from '../errors.js';
import { openMartsForPages, openPublishedForPages } from '../published.js';
import { requestFields } from '../request-fields.js';
import { clientAddress } from './audit-hooks.js';
import { downloadHref } from './downloads.js';
import { pageOrDownload } from './manager.js';

const navigation = [
  { text: 'Your contracts', href: '/' },
  { text: 'Portfolio', href: '/portfolio' },
];

function sampleAddress(c: Context): { period: string; kind: OutcomeKind } {
  const period = c.req.param('period') ?? '';
  const kind = c.req.param('kind') ?? '';
  if (!periodSchema.safeParse(period).success)
    throw new WebError(400, `"${period}" is not a month: give it as YYYY-MM, like 2025-04.`);
  if (!isOutcomeKind(kind))
    throw new WebError(400, `"${kind}" is not an outcome: use job_entry or sustained_job.`);
  return { period, kind };
}

async function sampleFor(
  deps: Deps,
  contract: Contract,
  period: string,
  kind: OutcomeKind,
): Promise<SampleClaim[]> {
  const claims = await withMarts(
    () => openMartsForPages(deps),
    (db) => sampleOf(db, contract.id, period, kind),
  );
  if (!claims.length)
    throw new WebError(
      404,
      `There is no sample of ${outcomeKindLabels[kind].toLowerCase()} for contract "${contract.id}" in ${period}: a month is sampled once outcomes are claimed in it.`,
    );
  return claims;
}

export const claimsRoutes: Route[] = [
  route(
    'GET',
    '/contracts/:id/claims',
    { access: 'read-contract-figures', from: { param: 'id' } },
    async (c, { deps, contract }) =>
      withMarts(
        () => openMartsForPages(deps),
        (db) =>
          pageOrDownload(
            c,
            contractClaimsPage,
            db,
            {
              params: { contract: contract.id },
              navigation,
              downloadHref: downloadHref(claimsPaths.contract(contract.id)),
            },
            `${contract.id}-claims-verification`,
          ),
      ),
  ),

  route(
    'GET',
    '/contracts/:id/claims/:period/:kind',
    { access: 'read-contract-figures', from: { param: 'id' } },
    async (c, { deps, caller, contract }) => {
      const { period, kind } = sampleAddress(c);
      const claims = await sampleFor(deps, contract, period, kind);
      const page = samplePage({
        contract: contract.id,
        period,
        kind,
        claims,
        navigation,
        mayRecord: canRecordClaimEvidence(caller.user, contract),
      });
      return c.html(page.toString());
    },
  ),

  // The provider records the evidence for a whole sample at once: one form, one rebuild.
  route(
    'POST',
    '/contracts/:id/claims/:period/:kind',
    { access: 'record-claim-evidence', from: { param: 'id' } },
    async (c, { deps, caller, contract }) => {
      const { period, kind } = sampleAddress(c);
      // The body first: a malformed one is a 400 whether or not the month has a sample.
      const body = await requestFields(c);
      const claims = await sampleFor(deps, contract, period, kind);
      const field = (name: string) => (typeof body[name] === 'string' ? body[name] : undefined);
      const sent = Object.fromEntries(
        claims.map((claim, i) => [
          claim.participant_id,
          { evidence: field(`evidence-${i + 1}`), note: field(`note-${i + 1}`) },
        ]),
      );
      const now = deps.now();
      const form = {
        contractId: contract.id,
        period,
        outcomeKind: kind,
        sample: claims.map((x) => x.participant_id),
        answers: sent,
      };
      try {
        const record = await recordEvidence(deps.store, form, caller.user.id, now);
        const notHeld = record.answers.filter((a) => a.evidence === 'not_held').length;
        await audit(
          deps.store,
          {
            who: caller.user.id,
            action: 'record_claim_evidence',
            target: `${contract.id}/${period}/${kind}`,
            detail: `recorded evidence for ${record.answers.length} sampled ${kind} claims of ${contract.id} ${period}: ${notHeld} not held`,
            from: clientAddress(c),
          },
          now,
        );
      } catch (e) {
        if (!(e instanceof EvidenceRefusedError)) throw e;
        const page = samplePage({
          contract: contract.id,
          period,
          kind,
          claims,
          navigation,
          mayRecord: true,
          refused: { problems: e.problems, sent },
        });
        return c.html(page.toString(), 400);
      }
      const rebuilt = await deps.intake.rebuildContract(
        deps.store,
        contract.id,
        `claims evidence ${contract.id} ${period} ${kind}`,
        now,
      );
      // A failed rebuild loses nothing: the answers are stored, and the next build reads them.
      const failed = 'rebuilt' in rebuilt && !rebuilt.rebuilt;
      return c.redirect(
        `${claimsPaths.contract(contract.id)}${failed ? '?rebuild=failed' : ''}`,
        303,
      );
    },
  ),

  route(
    'GET',
    '/programmes/:programme/claims-verification',
    { access: 'read-programme', from: { param: 'programme' } },
    async (c, { deps, caller, programme }) => {
      const names = Object.fromEntries(caller.reference.providers.map((p) => [p.id, p.name]));
      const db = await openPublishedForPages(deps, caller);
      try {
        return await pageOrDownload(
          c,
          programmeClaimsPage(names),
          db,
          {
            params: { programme: programme.id, title: programme.name },
            navigation: [{ text: 'Your contracts', href: '/' }],
            downloadHref: downloadHref(claimsPaths.programme(programme.id)),
          },
          `${programme.id}-claims-verification`,
        );
      } finally {
        db.close();
      }
    },
  ),
];
