import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { githubIssuerHost, stsAudience } from './trust';

export interface GitHubOidcArgs {
  tags: Record<string, string>;
}

/**
 * The account's trust in GitHub Actions' OIDC tokens. AWS checks GitHub's certificate against its own
 * trusted roots, so no thumbprint is pinned here (one would only break when GitHub rotates it).
 */
export class GitHubOidc extends pulumi.ComponentResource {
  readonly providerArn: pulumi.Output<string>;

  constructor(name: string, args: GitHubOidcArgs, opts?: pulumi.ComponentResourceOptions) {
    super('slipway:bootstrap:GitHubOidc', name, {}, opts);
    const provider = new aws.iam.OpenIdConnectProvider(
      `${name}-provider`,
      { url: `https://${githubIssuerHost}`, clientIdLists: [stsAudience], tags: args.tags },
      { parent: this },
    );
    this.providerArn = provider.arn;
    this.registerOutputs({ providerArn: this.providerArn });
  }
}
