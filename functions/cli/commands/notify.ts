/**
 * `outturn notify --as-of YYYY-MM-DD [--include-demo]`: sends the notices due on that day by
 * email (ADR 025), through the SMTP server in OUTTURN_SMTP_URL; none configured, nothing is
 * sent and it says so. Run it daily (cron locally; an EventBridge schedule in AWS): it never
 * sends a notice twice.
 */
import { notifyJob } from '../../../pipelines/notify/job.js';
import { mailerFromEnv } from '../../../pipelines/notify/mailer.js';
import { openStoreFor, parse, UsageError, type Io } from '../args.js';

export async function notifyCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parse(argv, {
    'as-of': { type: 'string' },
    'include-demo': { type: 'boolean' },
  });
  const asOf = values['as-of'];
  if (asOf === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(asOf))
    throw new UsageError('Give the day to send the notices of as --as-of YYYY-MM-DD');
  const store = openStoreFor(io);
  const mailer = mailerFromEnv();
  if (!mailer)
    io.err('No mail server configured (OUTTURN_SMTP_URL is not set): nothing will be sent.\n');
  const { deliveries, summary } = await notifyJob(store, mailer, asOf, {
    includeDemo: values['include-demo'] === true,
  });
  for (const d of deliveries)
    if (d.outcome === 'sent') io.out(`Sent ${d.notice.kind} to ${d.to}: ${d.notice.subject}\n`);
  io.out(`${summary}\n`);
  return deliveries.some((d) => d.outcome === 'failed') ? 1 : 0;
}
