import { ecrFailure } from '../../../action/src/io/ecr-errors';

const awsError = (name: string, message: string) => Object.assign(new Error(message), { name });

test('an ECR failure names the operation, the repository, the region and what to check', () => {
  expect(
    ecrFailure(
      'DescribeImages',
      'slipway-dev/api',
      'eu-west-1',
      awsError('ServerException', 'Internal failure'),
    ),
  ).toBe(
    'ECR DescribeImages on repository slipway-dev/api in eu-west-1 failed (ServerException: Internal failure); ECR failed on its side after the SDK retried: check the AWS Health Dashboard for ECR in that region and run the job again',
  );
  expect(
    ecrFailure(
      'PutImage',
      'slipway-prod/api',
      'eu-west-1',
      awsError('AccessDeniedException', 'not authorized'),
    ),
  ).toContain("check that the job's AWS role allows ecr:PutImage on slipway-prod/api");
  expect(
    ecrFailure(
      'DescribeImages',
      'slipway-qa/api',
      'eu-west-1',
      awsError('RepositoryNotFoundException', 'no repo'),
    ),
  ).toContain('deploy the platform first (the platform workflow, or pulumi up at the repository root)');
  expect(
    ecrFailure('GetAuthorizationToken', undefined, 'eu-west-1', awsError('CredentialsProviderError', 'x')),
  ).toBe(
    'ECR GetAuthorizationToken in eu-west-1 failed (CredentialsProviderError: x); check the AWS credentials: the configure-aws-credentials step must run before this one in the same job',
  );
});
