/**
 * cdk-nag (AWS Solutions) over the real app: nothing left unacknowledged, every acknowledgement
 * still needed (a synth without them reports exactly those findings), and the plugin wiring
 * really reports a finding when there is one.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { addNagChecks } from '../../infra/app.js';
import { nagAcknowledgements } from '../../infra/nag-suppressions.js';
import {
  synthOutturn,
  SYNTH_TIMEOUT_MS,
  type Synthesized,
  type ValidationReport,
} from './synth.js';

let withAcks: Synthesized;
let withoutAcks: Synthesized;

beforeAll(async () => {
  withAcks = await synthOutturn();
  withoutAcks = await synthOutturn({}, { nagSuppressions: false });
}, SYNTH_TIMEOUT_MS * 2);
afterAll(async () => {
  await withAcks?.cleanup();
  await withoutAcks?.cleanup();
});

const findings = (report: ValidationReport) =>
  report.pluginReports
    .filter((p) => p.pluginName === 'AwsSolutions')
    .flatMap((p) =>
      p.violations.flatMap((v) =>
        v.violatingConstructs.map((c) => ({
          rule: v.ruleName,
          severity: v.severity,
          path: c.constructPath,
        })),
      ),
    );

describe('cdk-nag', () => {
  it('leaves no AwsSolutions error or warning unacknowledged', () => {
    expect(findings(withAcks.validationReport)).toEqual([]);
    expect(withAcks.error).toBeNull();
    const annotations = Annotations.fromStack(withAcks.stack);
    expect(annotations.findError('*', Match.anyValue())).toEqual([]);
    expect(annotations.findWarning('*', Match.stringLikeRegexp('AwsSolutions'))).toEqual([]);
  });

  it('acknowledges only findings that occur, each with a reason', () => {
    const unacknowledged = findings(withoutAcks.validationReport);
    expect(withoutAcks.error).not.toBeNull();
    const acks = nagAcknowledgements(withoutAcks.stack);
    for (const a of acks) {
      expect(a.reason.length, a.id).toBeGreaterThan(40);
      const path = a.construct.node.path;
      const hit = unacknowledged.some(
        (f) => f.rule === a.id && (f.path === path || f.path.startsWith(`${path}/`)),
      );
      expect(hit, `${a.id} on ${path} is not needed`).toBe(true);
    }
    // ...and together they cover every finding.
    for (const f of unacknowledged)
      expect(
        acks.some(
          (a) =>
            a.id === f.rule &&
            (f.path === a.construct.node.path || f.path.startsWith(`${a.construct.node.path}/`)),
        ),
        `${f.rule} on ${f.path}`,
      ).toBe(true);
  });

  it('reports a finding through the same wiring when one exists', async () => {
    const outdir = await mkdtemp(join(tmpdir(), 'outturn-infra-nag-'));
    const app = new App({ outdir });
    new Bucket(new Stack(app, 'Canary'), 'Unlogged');
    addNagChecks(app);
    expect(() => app.synth()).toThrow();
    const report = JSON.parse(
      await readFile(join(outdir, 'validation-report.json'), 'utf8'),
    ) as ValidationReport;
    await rm(outdir, { recursive: true, force: true });
    expect(findings(report).map((f) => f.rule)).toEqual(
      expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']),
    );
  });
});
