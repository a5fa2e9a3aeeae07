/** Context settings, and the constructs whose shape depends on them (no bundling needed). */
import { describe, expect, it } from 'vitest';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Storage } from '../../infra/storage.js';
import { readSettings } from '../../infra/stack.js';

const settingsFor = (context: Record<string, unknown>) =>
  readSettings(new Stack(new App({ context }), 'S'));

describe('readSettings', () => {
  it('has defaults: no object lock, 1 GiB scan limit, 30-day results', () => {
    expect(settingsFor({})).toMatchObject({
      objectLock: false,
      bytesScannedCutoffPerQuery: 1024 ** 3,
      athenaResultsDays: 30,
    });
  });

  it('reads -c values, which arrive as strings', () => {
    const s = settingsFor({
      objectLock: 'true',
      bytesScannedCutoffPerQuery: '200000000',
      cognitoDomainPrefix: 'outturn-test',
      webAclArn: 'arn:aws:wafv2:us-east-1:1:global/webacl/x/y',
    });
    expect(s).toMatchObject({
      objectLock: true,
      bytesScannedCutoffPerQuery: 200_000_000,
      cognitoDomainPrefix: 'outturn-test',
      webAclArn: 'arn:aws:wafv2:us-east-1:1:global/webacl/x/y',
    });
  });

  it('refuses a scan limit that is not a positive number', () => {
    expect(() => settingsFor({ bytesScannedCutoffPerQuery: 'lots' })).toThrow(
      /bytesScannedCutoffPerQuery/,
    );
  });
});

describe('Storage', () => {
  const raw = (objectLock: boolean) => {
    const stack = new Stack(new App(), 'S');
    const storage = new Storage(stack, 'Storage', { objectLock, athenaResultsDays: 30 });
    const id = stack.resolve(stack.getLogicalId(storage.raw.node.defaultChild as never)) as string;
    return Template.fromStack(stack).toJSON().Resources[id].Properties;
  };

  it('turns on Object Lock (governance, with a default retention) on the raw bucket only when asked', () => {
    expect(raw(false).ObjectLockEnabled).toBeUndefined();
    const locked = raw(true);
    expect(locked.ObjectLockEnabled).toBe(true);
    expect(locked.ObjectLockConfiguration.Rule.DefaultRetention.Mode).toBe('GOVERNANCE');
  });
});
