import {
  BatchGetImageCommand,
  DescribeImagesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  PutImageCommand,
} from '@aws-sdk/client-ecr';

export interface RegistryLogin {
  /** Registry host, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com. */
  host: string;
  username: string;
  password: string;
}

/** The ECR registry of the account and region the runner's AWS credentials point at. */
export class Registry {
  private readonly client: ECRClient;

  constructor(region: string) {
    this.client = new ECRClient({ region });
  }

  async login(): Promise<RegistryLogin> {
    const response = await this.client.send(new GetAuthorizationTokenCommand({}));
    const data = response.authorizationData?.[0];
    if (!data?.authorizationToken || !data.proxyEndpoint)
      throw new Error('ECR returned no authorization token');
    const [username, ...rest] = Buffer.from(data.authorizationToken, 'base64').toString().split(':');
    return { host: new URL(data.proxyEndpoint).host, username: username ?? 'AWS', password: rest.join(':') };
  }

  /** The digest of `repository:tag`, or undefined when there is no such image. */
  async digestOf(repository: string, tag: string): Promise<string | undefined> {
    try {
      const response = await this.client.send(
        new DescribeImagesCommand({ repositoryName: repository, imageIds: [{ imageTag: tag }] }),
      );
      return response.imageDetails?.[0]?.imageDigest;
    } catch (error) {
      if ((error as Error).name === 'ImageNotFoundException') return undefined;
      throw error;
    }
  }

  /** Adds `toTag` to the image tagged `fromTag` without pulling or pushing it (same manifest, same digest). */
  async addTag(repository: string, fromTag: string, toTag: string): Promise<void> {
    const found = await this.client.send(
      new BatchGetImageCommand({ repositoryName: repository, imageIds: [{ imageTag: fromTag }] }),
    );
    const image = found.images?.[0];
    if (!image?.imageManifest) throw new Error(`ECR has no manifest for ${repository}:${fromTag}`);
    try {
      await this.client.send(
        new PutImageCommand({
          repositoryName: repository,
          imageManifest: image.imageManifest,
          imageManifestMediaType: image.imageManifestMediaType,
          imageTag: toTag,
        }),
      );
    } catch (error) {
      if ((error as Error).name !== 'ImageAlreadyExistsException') throw error;
    }
  }
}
