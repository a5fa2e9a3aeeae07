/**
 * The CDK app: builds the Lambda bundles and the DuckDB layer (esbuild, locally), defines
 * OutturnStack, and checks it with cdk-nag's AWS Solutions rules. `npx cdk synth` runs this.
 */
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import cdkNag from 'cdk-nag';
import { prepareAssets } from './assets.js';
import { OutturnStack } from './stack.js';

export interface DefineAppOptions {
  stackId?: string;
  /** Apply infra/nag-suppressions.ts (default true); off only to prove each one is still needed. */
  nagSuppressions?: boolean;
}

/** Builds the assets into `<outdir>/outturn-build` and defines the stack on `app`, with cdk-nag. */
export async function defineApp(app: App, options: DefineAppOptions = {}): Promise<OutturnStack> {
  const assets = await prepareAssets(join(app.outdir, 'outturn-build'));
  const stack = new OutturnStack(app, options.stackId ?? 'OutturnStack', {
    assets,
    nagSuppressions: options.nagSuppressions ?? true,
    description: 'Outturn: monthly returns in, outcome and performance dashboards out (ADR 015)',
  });
  addNagChecks(app);
  return stack;
}

/**
 * cdk-nag's AWS Solutions rules over the whole app. cdk-nag v3 is a CDK policy-validation
 * plugin (not an Aspect): findings fail the synth and are listed in `validation-report.json`.
 */
export function addNagChecks(app: App): void {
  Validations.of(app).addPlugins(new cdkNag.AwsSolutionsChecks(app, { verbose: true }));
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'));
if (invokedDirectly) {
  const app = new App();
  await defineApp(app);
  app.synth();
}
