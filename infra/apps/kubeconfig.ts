import type { PlatformOutputs } from '../outputs';

/**
 * A kubeconfig for the platform's cluster, built from its endpoint and CA. It holds no credential: the
 * client runs `aws eks get-token` as whichever role runs the deploy (the apps deploy role in the
 * pipeline), so the cluster sees that role, and the platform's outputs carry nothing secret.
 */
export function kubeconfigFor(
  platform: Pick<PlatformOutputs, 'clusterName' | 'clusterEndpoint' | 'clusterCertificateAuthorityData'>,
  region: string,
): string {
  const name = platform.clusterName;
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name,
        cluster: {
          server: platform.clusterEndpoint,
          'certificate-authority-data': platform.clusterCertificateAuthorityData,
        },
      },
    ],
    contexts: [{ name, context: { cluster: name, user: name } }],
    'current-context': name,
    users: [
      {
        name,
        user: {
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1beta1',
            command: 'aws',
            args: ['eks', 'get-token', '--cluster-name', name, '--region', region],
          },
        },
      },
    ],
  });
}
