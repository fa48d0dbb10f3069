import { messageOf } from '../errors';

/** What to look at for each kind of ECR failure, by the AWS error name. */
function hint(name: string, operation: string, repository: string | undefined, region: string): string {
  const where = repository ? ` on ${repository}` : '';
  switch (name) {
    case 'AccessDeniedException':
      return `check that the job's AWS role allows ecr:${operation}${where} (bootstrap's pipeline role) and that configure-aws-credentials assumed that role`;
    case 'UnrecognizedClientException':
    case 'ExpiredTokenException':
    case 'InvalidSignatureException':
    case 'CredentialsProviderError':
      return 'check the AWS credentials: the configure-aws-credentials step must run before this one in the same job';
    case 'RepositoryNotFoundException':
      return `the platform creates each service's repository: deploy the platform first (the platform workflow, or pulumi up at the repository root), and check that pipeline.yaml's project and environment names match it in ${region}`;
    case 'ImageTagAlreadyExistsException':
      return 'the repository is immutable and the tag names another image: run again with a new image-tag';
    case 'ServerException':
    case 'InternalFailure':
    case 'ServiceUnavailableException':
    case 'ThrottlingException':
      return 'ECR failed on its side after the SDK retried: check the AWS Health Dashboard for ECR in that region and run the job again';
    default:
      return `check pipeline.yaml's registry.region (${region}) and the job's AWS credentials`;
  }
}

/** One line for a failed ECR call: operation, repository, region, AWS's own words and what to check. */
export function ecrFailure(
  operation: string,
  repository: string | undefined,
  region: string,
  error: unknown,
): string {
  const name = (error as { name?: unknown } | null)?.name;
  const kind = typeof name === 'string' && name !== 'Error' ? name : 'Error';
  const where = repository ? ` on repository ${repository}` : '';
  return `ECR ${operation}${where} in ${region} failed (${kind}: ${messageOf(error)}); ${hint(kind, operation, repository, region)}`;
}
