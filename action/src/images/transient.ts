/**
 * Failures a registry push can recover from by trying again: the network, the registry's own 5xx and
 * throttling. Taken from docker's and ECR's own error texts.
 */
const transient = [
  /TLS handshake timeout/i,
  /i\/o timeout/i,
  /connection reset by peer/i,
  /connection refused/i,
  /broken pipe/i,
  /unexpected EOF/i,
  /Client\.Timeout exceeded/i,
  /net\/http: request canceled/i,
  /temporary failure in name resolution/i,
  /\b(500 Internal Server Error|502 Bad Gateway|503 Service Unavailable|504 Gateway Time-?out)\b/i,
  /toomanyrequests|TooManyRequests|ThrottlingException|Rate exceeded/,
  /ServiceUnavailable|InternalFailure|ServerException/,
];

/**
 * Failures that come back the same however often the push is tried: the role may not push (`denied:`,
 * `unauthorized`), the tag is taken in an immutable repository, the repository or local image does not
 * exist, the manifest is refused. Retrying them only delays the error (an access denial used to wait
 * 14 s, an overlapping run's tag conflict four attempts).
 */
const permanent = [
  /\bdenied:/i,
  /\bunauthorized\b/i,
  /no basic auth credentials/i,
  /not authorized to perform/i,
  /cannot be overwritten because the repository is immutable/i,
  /ImageTagAlreadyExistsException/,
  /name unknown|RepositoryNotFoundException|does not exist in the registry/i,
  /An image does not exist locally/i,
  /manifest invalid|manifest unknown/i,
];

/** Whether a failed docker push or copy may succeed on retry; an unknown failure is not retried. */
export function isTransientPushFailure(message: string): boolean {
  if (permanent.some((pattern) => pattern.test(message))) return false;
  return transient.some((pattern) => pattern.test(message));
}
