/**
 * Synthesises the real app (real esbuild bundles, real DuckDB layer, cdk-nag on) into a temp
 * directory, with cdk.json's context, as `npx cdk synth` would. Shared by the infra suites.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { defineApp, type DefineAppOptions } from '../../infra/app.js';
import { REPO_ROOT } from '../../infra/bundling.js';
import type { OutturnStack } from '../../infra/stack.js';

/** Bundling, layer copy and synth: a minute or two on a slow machine. */
export const SYNTH_TIMEOUT_MS = 240_000;

export interface Synthesized {
  app: App;
  stack: OutturnStack;
  template: Template;
  outdir: string;
  /** The synth's error, if validation (cdk-nag) failed it; the template is then unavailable. */
  error: Error | null;
  validationReport: ValidationReport;
  /** Deletes the output directory (bundles, layer copy, staged assets: a few hundred MB). */
  cleanup: () => Promise<void>;
}

export interface ValidationReport {
  pluginReports: Array<{
    pluginName: string;
    conclusion: string;
    violations: Array<{
      ruleName: string;
      severity: string;
      violatingConstructs: Array<{ constructPath: string }>;
    }>;
  }>;
}

export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}

export async function synthOutturn(
  context: Record<string, unknown> = {},
  options: DefineAppOptions = {},
): Promise<Synthesized> {
  const outdir = await mkdtemp(join(tmpdir(), 'outturn-infra-cdk-'));
  const app = new App({ outdir, context: { ...cdkJsonContext(), ...context } });
  const stack = await defineApp(app, options);
  let error: Error | null = null;
  try {
    app.synth();
  } catch (e) {
    error = e as Error;
  }
  const validationReport = JSON.parse(
    await readFile(join(outdir, 'validation-report.json'), 'utf8'),
  ) as ValidationReport;
  const template = error
    ? (null as unknown as Template)
    : Template.fromJSON(
        JSON.parse(await readFile(join(outdir, `${stack.artifactId}.template.json`), 'utf8')),
      );
  return {
    app,
    stack,
    template,
    outdir,
    error,
    validationReport,
    cleanup: () => rm(outdir, { recursive: true, force: true }),
  };
}

/** The template's logical id of a construct (its default child for an L2). */
export function logicalId(construct: IConstruct): string {
  const stack = Stack.of(construct);
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return stack.resolve(stack.getLogicalId(element)) as string;
}
