import {
  BatchGetImageCommand,
  DescribeImagesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  PutImageCommand,
} from '@aws-sdk/client-ecr';

import { ecrFailure } from './ecr-errors';

/** Answers the callers handle themselves (no such image yet, the tag already on that image). */
const expected = new Set(['ImageNotFoundException', 'ImageAlreadyExistsException']);

export interface RegistryLogin {
  /** Registry host, `<account>.dkr.ecr.<region>.amazonaws.com`. */
  host: string;
  username: string;
  password: string;
}

/**
 * An ECR registry in the region, reached with the runner's AWS credentials: their own account's, or with a
 * `registryId` another account's (one account per environment), whose repository policy lets the role in.
 */
export class Registry {
  private readonly client: ECRClient;

  constructor(
    private readonly region: string,
    private readonly registryId?: string,
    client?: ECRClient,
  ) {
    this.client = client ?? new ECRClient({ region });
  }

  /** The registry of the account `registryId`, through the same client and credentials. */
  of(registryId: string): Registry {
    return new Registry(this.region, registryId, this.client);
  }

  /** One ECR call; a failure says which operation, on which repository, and what to check. */
  private async send<T>(
    operation: string,
    repository: string | undefined,
    call: () => Promise<T>,
  ): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (expected.has((error as Error).name)) throw error;
      throw new Error(ecrFailure(operation, repository, this.region, error));
    }
  }

  async login(): Promise<RegistryLogin> {
    const response = await this.send('GetAuthorizationToken', undefined, () =>
      this.client.send(new GetAuthorizationTokenCommand({})),
    );
    const data = response.authorizationData?.[0];
    if (!data?.authorizationToken || !data.proxyEndpoint)
      throw new Error('ECR returned no authorization token');
    const [username, ...rest] = Buffer.from(data.authorizationToken, 'base64').toString().split(':');
    return { host: new URL(data.proxyEndpoint).host, username: username ?? 'AWS', password: rest.join(':') };
  }

  /** The digest of `repository:tag`, or undefined when there is no such image. */
  async digestOf(repository: string, tag: string): Promise<string | undefined> {
    try {
      const response = await this.send('DescribeImages', repository, () =>
        this.client.send(
          new DescribeImagesCommand({
            registryId: this.registryId,
            repositoryName: repository,
            imageIds: [{ imageTag: tag }],
          }),
        ),
      );
      return response.imageDetails?.[0]?.imageDigest;
    } catch (error) {
      if ((error as Error).name === 'ImageNotFoundException') return undefined;
      throw error;
    }
  }

  /** Adds `toTag` to the image tagged `fromTag` without pulling or pushing it (same manifest, same digest). */
  async addTag(repository: string, fromTag: string, toTag: string): Promise<void> {
    const found = await this.send('BatchGetImage', repository, () =>
      this.client.send(
        new BatchGetImageCommand({
          registryId: this.registryId,
          repositoryName: repository,
          imageIds: [{ imageTag: fromTag }],
        }),
      ),
    );
    const image = found.images?.[0];
    if (!image?.imageManifest) throw new Error(`ECR has no manifest for ${repository}:${fromTag}`);
    try {
      await this.send('PutImage', repository, () =>
        this.client.send(
          new PutImageCommand({
            registryId: this.registryId,
            repositoryName: repository,
            imageManifest: image.imageManifest,
            imageManifestMediaType: image.imageManifestMediaType,
            imageTag: toTag,
          }),
        ),
      );
    } catch (error) {
      if ((error as Error).name !== 'ImageAlreadyExistsException') throw error;
    }
  }
}
