/**
 * Sign-in (ADR 015): a Cognito user pool with no self sign-up — an admin creates each user with
 * the Outturn user id as username — MFA required, a strong password policy, the four role
 * groups, and one public app client for the hosted UI's code flow with PKCE.
 */
import { Aws, Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPool,
  UserPoolClient,
  UserPoolClientIdentityProvider,
  UserPoolDomain,
  UserPoolGroup,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

/** The groups a token may carry; a user's role in `reference/users.json` must be among them. */
export const ROLE_GROUPS = [
  'provider',
  'partner',
  'contract_manager',
  'commissioner',
  'admin',
] as const;

/** Where the app receives the authorisation code. */
export const CALLBACK_PATH = '/auth/callback';

export interface AuthProps {
  /** The public origin, e.g. `https://d111.cloudfront.net` (no trailing slash). */
  publicUrl: string;
  /** The hosted UI's domain prefix; default `<stack name>-<account id>`. */
  domainPrefix?: string;
}

/** A Cognito domain prefix from the stack name: lower case letters, digits and hyphens. */
export function defaultDomainPrefix(stackName: string): string {
  return Fn.join('-', [
    stackName
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, ''),
    Aws.ACCOUNT_ID,
  ]);
}

export class Auth extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly domain: UserPoolDomain;

  constructor(scope: Construct, id: string, props: AuthProps) {
    super(scope, id);
    this.userPool = new UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    for (const group of ROLE_GROUPS)
      new UserPoolGroup(this, `Group_${group}`, {
        userPool: this.userPool,
        groupName: group,
        description: `Outturn role: ${group}`,
      });

    this.client = this.userPool.addClient('WebClient', {
      generateSecret: false, // a public client: the code flow is protected by PKCE
      authFlows: {},
      preventUserExistenceErrors: true,
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`${props.publicUrl}${CALLBACK_PATH}`],
        logoutUrls: [`${props.publicUrl}/`],
      },
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });

    this.domain = this.userPool.addDomain('HostedUi', {
      cognitoDomain: {
        domainPrefix: props.domainPrefix ?? defaultDomainPrefix(Stack.of(this).stackName),
      },
    });
  }
}
