import { isTransientPushFailure } from '../../../action/src/images/transient';

test.each([
  'docker push x exited with 1: net/http: TLS handshake timeout',
  'dial tcp 52.1.2.3:443: i/o timeout',
  'read tcp 10.0.0.1:5555->52.1.2.3:443: read: connection reset by peer',
  'received unexpected HTTP status: 503 Service Unavailable',
  'toomanyrequests: Rate exceeded',
  'unexpected EOF',
])('retried: %s', (message) => {
  expect(isTransientPushFailure(message)).toBe(true);
});

test.each([
  'denied: User: arn:aws:sts::123456789012:assumed-role/slipway-deploy/gh is not authorized to perform: ecr:InitiateLayerUpload',
  "tag invalid: The image tag 'abc' already exists in the 'slipway-dev/api' repository and cannot be overwritten because the repository is immutable.",
  "name unknown: The repository with name 'slipway-dev/api' does not exist in the registry with id '123456789012'",
  'no basic auth credentials',
  'An image does not exist locally with the tag: 1234.dkr.ecr.eu-west-1.amazonaws.com/x:y',
  // A denial that also mentions a timeout is still a denial.
  'denied: requested access to the resource is denied (i/o timeout while reporting)',
  'something nobody has seen before',
])('not retried: %s', (message) => {
  expect(isTransientPushFailure(message)).toBe(false);
});
