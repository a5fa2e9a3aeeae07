/**
 * One Lambda function as Outturn deploys them all: the newest Node runtime aws-cdk-lib offers
 * (cdk-nag L1), x86_64 (the DuckDB binding in the layer is linux-x64), JSON logs to a log group
 * with retention, and a role of its own with no managed policy — only the log group and what
 * the caller grants.
 */
import { Duration, RemovalPolicy, Size } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  Code,
  Function as LambdaFunction,
  LoggingFormat,
  Runtime,
  type ILayerVersion,
} from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** The newest Node.js runtime in this aws-cdk-lib (cdk-nag L1 compares against the same list). */
export const NODE_RUNTIME: Runtime = Runtime.NODEJS_24_X;

export interface OutturnFunctionProps {
  /** A directory holding `index.js` (see ./bundling.ts). */
  codeDirectory: string;
  description: string;
  memoryMb: number;
  timeout: Duration;
  ephemeralStorageMb?: number;
  environment: Record<string, string>;
  layers?: ILayerVersion[];
  reservedConcurrentExecutions?: number;
  logRetention: RetentionDays;
}

export class OutturnFunction extends Construct {
  readonly fn: LambdaFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: OutturnFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.description} (no managed policies: log group and explicit grants only)`,
    });
    this.logGroup.grantWrite(this.role);
    this.fn = new LambdaFunction(this, 'Function', {
      runtime: NODE_RUNTIME,
      architecture: Architecture.X86_64,
      handler: 'index.handler',
      code: Code.fromAsset(props.codeDirectory),
      description: props.description,
      memorySize: props.memoryMb,
      timeout: props.timeout,
      ...(props.ephemeralStorageMb
        ? { ephemeralStorageSize: Size.mebibytes(props.ephemeralStorageMb) }
        : {}),
      environment: props.environment,
      layers: props.layers ?? [],
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      ...(props.reservedConcurrentExecutions !== undefined
        ? { reservedConcurrentExecutions: props.reservedConcurrentExecutions }
        : {}),
    });
  }
}
