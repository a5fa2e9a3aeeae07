/**
 * CloudFormation custom resource: the RSA key pair that signs CloudFront cookies for `/site/*`.
 *
 * On Create it generates an RSA-2048 pair with node:crypto, stores the private key (PKCS#8 PEM)
 * in the stack's Secrets Manager secret, and returns the public key (SPKI PEM) as
 * `PublicKeyPem` for `cloudfront.PublicKey`. On Update it returns the public key of the stored
 * private key, so redeploying never rotates the key by accident (a new secret does). The
 * private key never leaves Secrets Manager and this function.
 *
 * Invoked by CloudFormation directly (no provider framework), so it answers through the
 * pre-signed `ResponseURL` itself.
 */
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { request } from 'node:https';
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type {
  CloudFormationCustomResourceEvent,
  CloudFormationCustomResourceResponse,
  Context,
} from 'aws-lambda';

export interface SiteKeyPair {
  publicKeyPem: string;
  privateKeyPem: string;
}

/** A fresh RSA-2048 pair, in the encodings CloudFront (SPKI) and the signer (PKCS#8) take. */
export function generateSiteKeyPair(): SiteKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { publicKeyPem: publicKey, privateKeyPem: privateKey };
}

/** The public key (SPKI PEM) of a private key PEM, or null when the text is not one. */
export function publicKeyOf(privateKeyPem: string): string | null {
  if (!privateKeyPem.includes('PRIVATE KEY-----')) return null;
  try {
    return createPublicKey(privateKeyPem).export({ type: 'spki', format: 'pem' }).toString();
  } catch {
    return null;
  }
}

const secrets = new SecretsManagerClient({});

async function createKey(secretArn: string): Promise<string> {
  const pair = generateSiteKeyPair();
  await secrets.send(
    new PutSecretValueCommand({ SecretId: secretArn, SecretString: pair.privateKeyPem }),
  );
  return pair.publicKeyPem;
}

async function existingOrNewKey(secretArn: string): Promise<string> {
  const current = await secrets.send(new GetSecretValueCommand({ SecretId: secretArn }));
  return publicKeyOf(current.SecretString ?? '') ?? (await createKey(secretArn));
}

export async function handler(
  event: CloudFormationCustomResourceEvent,
  context: Context,
): Promise<void> {
  const secretArn = String(event.ResourceProperties['SecretArn'] ?? '');
  const physicalId =
    event.RequestType === 'Create' ? `site-key-pair:${secretArn}` : event.PhysicalResourceId;
  try {
    if (!secretArn) throw new Error('SecretArn is required');
    let data: Record<string, string> = {};
    if (event.RequestType === 'Create') data = { PublicKeyPem: await createKey(secretArn) };
    if (event.RequestType === 'Update') {
      const moved = event.OldResourceProperties['SecretArn'] !== secretArn;
      data = {
        PublicKeyPem: moved ? await createKey(secretArn) : await existingOrNewKey(secretArn),
      };
    }
    // Delete: the secret is the stack's own resource and goes with it; nothing to undo here.
    await respond(
      event,
      { Status: 'SUCCESS', PhysicalResourceId: physicalId, Data: data },
      context,
    );
  } catch (err) {
    console.error('site key pair failed', err);
    await respond(
      event,
      {
        Status: 'FAILED',
        PhysicalResourceId: physicalId,
        Reason: `${(err as Error).message} (log stream ${context.logStreamName})`,
      },
      context,
    );
  }
}

type Outcome = Pick<CloudFormationCustomResourceResponse, 'Status' | 'PhysicalResourceId'> & {
  Data?: Record<string, string>;
  Reason?: string;
};

function respond(
  event: CloudFormationCustomResourceEvent,
  outcome: Outcome,
  context: Context,
): Promise<void> {
  const body = JSON.stringify({
    ...outcome,
    Reason: outcome.Reason ?? `See ${context.logStreamName}`,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    NoEcho: false,
  });
  return new Promise((resolve, reject) => {
    const req = request(
      event.ResponseURL,
      { method: 'PUT', headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve());
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
