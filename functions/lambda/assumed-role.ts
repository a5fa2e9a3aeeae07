/**
 * Credentials of another role, for the API function's restricted engine to copy the published
 * tables under the published-reader role (ADR 020), which may read only the published prefix.
 * Assumed on first use and again shortly before they expire; a failure is an error naming the role.
 */
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';

/** Credentials as the SDK's clients take them (`credentials: () => Promise<…>`). */
export interface RoleCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** What the provider needs of an STS client: an `STSClient`, or a fake in tests (there is no local STS). */
export interface StsSender {
  send(command: AssumeRoleCommand): Promise<{
    Credentials?: {
      AccessKeyId?: string;
      SecretAccessKey?: string;
      SessionToken?: string;
      Expiration?: Date;
    };
  }>;
}

/** Renewed this long before they expire, so no request starts with credentials about to lapse. */
const RENEW_BEFORE_MS = 5 * 60 * 1000;

/**
 * @example new S3Store({ bucket, cacheDir, credentials: assumedRole('arn:aws:iam::1:role/reader', { region: 'eu-west-2' }) })
 */
export function assumedRole(
  roleArn: string,
  options: { region: string; sts?: StsSender; now?: () => number; sessionName?: string },
): () => Promise<RoleCredentials> {
  const sts: StsSender = options.sts ?? new STSClient({ region: options.region });
  const now = options.now ?? (() => Date.now());
  let held: RoleCredentials | null = null;
  let pending: Promise<RoleCredentials> | null = null;
  const assume = async (): Promise<RoleCredentials> => {
    const { Credentials: c } = await sts.send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        RoleSessionName: options.sessionName ?? 'outturn-published-reader',
        DurationSeconds: 3600,
      }),
    );
    if (!c?.AccessKeyId || !c.SecretAccessKey)
      throw new Error(`Assuming the role ${roleArn} gave no credentials.`);
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
      ...(c.Expiration ? { expiration: c.Expiration } : {}),
    };
  };
  return async () => {
    const fresh = held && (!held.expiration || held.expiration.getTime() - RENEW_BEFORE_MS > now());
    if (fresh) return held!;
    pending ??= assume().finally(() => (pending = null));
    held = await pending;
    return held;
  };
}
