/** The published reader's credentials: assumed on first use, renewed before they lapse (a fake STS: there is no local one). */
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { assumedRole, type StsSender } from '../../../functions/lambda/assumed-role.js';

const ARN = 'arn:aws:iam::123456789012:role/outturn-published-reader';
const HOUR = 3_600_000;

function fakeSts(expiresAt: (n: number) => Date | undefined) {
  const asked: AssumeRoleCommand['input'][] = [];
  const sts: StsSender = {
    send: async (command) => {
      asked.push(command.input);
      const n = asked.length;
      return {
        Credentials: {
          AccessKeyId: `AKID${n}`,
          SecretAccessKey: `secret${n}`,
          SessionToken: `token${n}`,
          Expiration: expiresAt(n),
        },
      };
    },
  };
  return { sts, asked };
}

describe('assumedRole', () => {
  it('assumes the role once, on first use, and keeps the credentials while they are fresh', async () => {
    let t = 0;
    const { sts, asked } = fakeSts(() => new Date(HOUR));
    const credentials = assumedRole(ARN, { region: 'eu-west-2', sts, now: () => t });
    expect(asked).toEqual([]);
    const [a, b] = await Promise.all([credentials(), credentials()]);
    expect(a).toEqual({
      accessKeyId: 'AKID1',
      secretAccessKey: 'secret1',
      sessionToken: 'token1',
      expiration: new Date(HOUR),
    });
    expect(b).toBe(a);
    expect(asked).toEqual([
      { RoleArn: ARN, RoleSessionName: 'outturn-published-reader', DurationSeconds: 3600 },
    ]);
    t = HOUR - 10 * 60_000;
    expect((await credentials()).accessKeyId).toBe('AKID1');
    // Within five minutes of expiry: assumed again.
    t = HOUR - 4 * 60_000;
    expect((await credentials()).accessKeyId).toBe('AKID2');
    expect(asked).toHaveLength(2);
  });

  it('says which role gave no credentials', async () => {
    const sts: StsSender = { send: async () => ({}) };
    await expect(assumedRole(ARN, { region: 'eu-west-2', sts })()).rejects.toThrow(
      `Assuming the role ${ARN} gave no credentials.`,
    );
  });
});
