/**
 * The API's three secrets: the session secret (signs cookies and API tokens; generated, never
 * seen by anyone), the CloudFront signing key (written by the key-pair custom resource), and
 * the origin secret, which CloudFront adds to every request it forwards to the API so the API
 * can tell a request that came through the distribution (functions/lambda/client-address.ts).
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

export class Secrets extends Construct {
  readonly session: Secret;
  readonly siteKey: Secret;
  readonly origin: Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.session = new Secret(this, 'Session', {
      description:
        'Outturn session secret: signs session cookies and API tokens (changing it signs everyone out)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.siteKey = new Secret(this, 'SiteKey', {
      description:
        'Outturn CloudFront signing key (PKCS#8 PEM) for the /site/* signed cookies; written by the SiteKeyPair custom resource',
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.origin = new Secret(this, 'Origin', {
      description:
        'Outturn origin secret: CloudFront sends it to the API with every request, so the API trusts the viewer address CloudFront gives',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }
}
