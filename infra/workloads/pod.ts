import type * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';
import type { ServiceSpec } from '../config/services';
import type { Tier } from '../config/tiers';
import { configMapName, httpPortName, priorityClassFor, secretsSecretName, selectorLabels } from './names';

/** The fixed non-root identity every service runs as; apps/sample's Dockerfile creates this user. */
export const runAsUser = 10001;
export const runAsGroup = 10001;

/** What Pod Security `restricted` asks of the pod, plus a fixed identity and file-system group. */
export const podSecurityContext: k8s.types.input.core.v1.PodSecurityContext = {
  runAsNonRoot: true,
  runAsUser,
  runAsGroup,
  fsGroup: runAsGroup,
  seccompProfile: { type: 'RuntimeDefault' },
};

/** What Pod Security `restricted` asks of each container, plus a read-only root file system. */
export const containerSecurityContext: k8s.types.input.core.v1.SecurityContext = {
  runAsNonRoot: true,
  runAsUser,
  runAsGroup,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  privileged: false,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

/** Seconds a stopping pod keeps serving while the load balancer and kube-proxy forget it. */
export const preStopDelaySeconds = 5;
export const terminationGracePeriodSeconds = 30;

/** Secrets an ExternalSecret materialises for the service, in the order envFrom reads them. */
export function secretNamesFor(service: ServiceSpec): string[] {
  return service.secrets.length > 0 ? [secretsSecretName(service.name)] : [];
}

/**
 * Spread across zones (a zone outage leaves the others serving) and nodes (a node drain takes one
 * replica at most). Dev has two AZs and spot nodes, so there the zone spread is a preference.
 */
export function topologySpread(
  service: string,
  tier: Tier,
): k8s.types.input.core.v1.TopologySpreadConstraint[] {
  const labelSelector = { matchLabels: selectorLabels(service) };
  return [
    {
      maxSkew: 1,
      topologyKey: 'topology.kubernetes.io/zone',
      whenUnsatisfiable: tier === 'dev' ? 'ScheduleAnyway' : 'DoNotSchedule',
      labelSelector,
    },
    { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector },
  ];
}

/** The pod of a service: one hardened container, probes on its health paths, config from envFrom. */
export function podSpec(
  service: ServiceSpec,
  image: pulumi.Input<string>,
  tier: Tier,
  /** Secrets of the variables composed from the service's data stores; read after its own. */
  dataSecretNames: pulumi.Input<string>[] = [],
): k8s.types.input.core.v1.PodSpec {
  const probe = (path: string) => ({ httpGet: { path, port: httpPortName }, timeoutSeconds: 2 });
  return {
    serviceAccountName: service.name,
    // Only a service that talks to the Kubernetes API gets a token; IRSA injects its own.
    automountServiceAccountToken: service.readsMetrics,
    priorityClassName: priorityClassFor(service),
    securityContext: podSecurityContext,
    terminationGracePeriodSeconds,
    topologySpreadConstraints: topologySpread(service.name, tier),
    containers: [
      {
        name: service.name,
        image,
        imagePullPolicy: 'IfNotPresent',
        ports: [{ name: httpPortName, containerPort: service.port, protocol: 'TCP' }],
        envFrom: [
          { configMapRef: { name: configMapName(service.name) } },
          ...[...secretNamesFor(service), ...dataSecretNames].map((name) => ({ secretRef: { name } })),
        ],
        resources: service.resources,
        securityContext: containerSecurityContext,
        startupProbe: {
          ...probe(service.health.startup ?? service.health.liveness),
          periodSeconds: 5,
          failureThreshold: 24,
        },
        livenessProbe: { ...probe(service.health.liveness), periodSeconds: 10, failureThreshold: 3 },
        readinessProbe: { ...probe(service.health.readiness), periodSeconds: 5, failureThreshold: 3 },
        lifecycle: { preStop: { sleep: { seconds: preStopDelaySeconds } } },
        volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
      },
    ],
    // The root file system is read-only; /tmp is the one writable place.
    volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
  };
}
