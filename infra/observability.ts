/**
 * Alarms that page someone (through one encrypted SNS topic) when the pipeline stops: a message
 * in any dead-letter queue, a queue whose oldest message is getting old, or a function erroring.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface ObservabilityProps {
  /** Dead-letter queues by name: any visible message is an alarm. */
  deadLetterQueues: Record<string, IQueue>;
  /** Work queues by name, with how old their oldest message may get. */
  queues: Record<string, { queue: IQueue; maxAge: Duration }>;
  functions: Record<string, IFunction>;
}

export class Observability extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const key = new Key(this, 'TopicKey', {
      description: 'Outturn alarm topic encryption',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // CloudWatch publishes to the encrypted topic, so it must be able to use the key.
    key.grant(
      new ServicePrincipal('cloudwatch.amazonaws.com'),
      'kms:Decrypt',
      'kms:GenerateDataKey*',
    );
    this.topic = new Topic(this, 'Alarms', {
      displayName: 'Outturn alarms',
      masterKey: key,
      enforceSSL: true,
    });
    const action = new SnsAction(this.topic);

    const add = (alarm: Alarm): void => {
      alarm.addAlarmAction(action);
      this.alarms.push(alarm);
    };

    for (const [name, dlq] of Object.entries(props.deadLetterQueues))
      add(
        new Alarm(this, `${name}DlqMessages`, {
          alarmDescription: `A message reached the ${name} dead-letter queue: it failed three times and needs a person.`,
          metric: dlq.metricApproximateNumberOfMessagesVisible({
            period: Duration.minutes(1),
            statistic: 'Maximum',
          }),
          threshold: 0,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );

    for (const [name, { queue, maxAge }] of Object.entries(props.queues))
      add(
        new Alarm(this, `${name}QueueAge`, {
          alarmDescription: `The oldest message on the ${name} queue is older than ${maxAge.toHumanString()}: its function is not keeping up or not running.`,
          metric: queue.metricApproximateAgeOfOldestMessage({
            period: Duration.minutes(5),
            statistic: 'Maximum',
          }),
          threshold: maxAge.toSeconds(),
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );

    for (const [name, fn] of Object.entries(props.functions))
      add(
        new Alarm(this, `${name}Errors`, {
          alarmDescription: `The ${name} function threw errors.`,
          metric: fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
          threshold: 0,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
  }
}
