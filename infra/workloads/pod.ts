import type * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';
import type { ServiceSpec } from '../config/services';
import type { Tier } from '../config/tiers';
import { bindsPrivilegedPort, portsOf } from '../config/ports';
import type { ProbeSpec } from '../config/services';
import {
  configMapName,
  filesConfigMapName,
  priorityClassFor,
  secretFilesSecretName,
  secretsSecretName,
  selectorLabels,
} from './names';
import { secretEnvNames, secretFiles } from '../config/secret-uses';

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

/**
 * A container binding a port below 1024 adds back NET_BIND_SERVICE, the one capability the restricted
 * standard lets a container add; everything else stays dropped. The process runs as a non-root user,
 * so the binary needs the capability in its file attributes too (`setcap cap_net_bind_service=+ep`),
 * as the unprivileged nginx images ship it.
 */
export function containerSecurityContextFor(
  service: Pick<ServiceSpec, 'ports'>,
): k8s.types.input.core.v1.SecurityContext {
  if (!bindsPrivilegedPort(service)) return containerSecurityContext;
  return { ...containerSecurityContext, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } };
}

/** Seconds a stopping pod keeps serving while the load balancer and kube-proxy forget it. */
export const preStopDelaySeconds = 5;
export const terminationGracePeriodSeconds = 30;

/** Secrets an ExternalSecret materialises for the service as variables, in the order envFrom reads them. */
export function secretNamesFor(service: ServiceSpec): string[] {
  return secretEnvNames(service).length > 0 ? [secretsSecretName(service.name)] : [];
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

/** Timings of each probe kind the catalog does not state. */
export const probeDefaults = {
  startup: { periodSeconds: 5, failureThreshold: 24, timeoutSeconds: 2 },
  liveness: { periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 2 },
  readiness: { periodSeconds: 5, failureThreshold: 3, timeoutSeconds: 2 },
} as const;

/** A catalog probe as Kubernetes states it, on the named port it checks. */
export function probeManifest(
  probe: ProbeSpec,
  kind: keyof typeof probeDefaults,
  ports: Record<string, number>,
): k8s.types.input.core.v1.Probe {
  const check = probe.http
    ? { httpGet: { path: probe.http.path, port: probe.http.port } }
    : probe.tcp
      ? { tcpSocket: { port: probe.tcp.port } }
      : probe.grpc
        ? // A gRPC probe takes a port number, not a name.
          { grpc: { port: ports[probe.grpc.port] as number, service: probe.grpc.service } }
        : { exec: { command: probe.exec?.command } };
  const timings = {
    initialDelaySeconds: probe.initialDelaySeconds,
    periodSeconds: probe.periodSeconds ?? probeDefaults[kind].periodSeconds,
    timeoutSeconds: probe.timeoutSeconds ?? probeDefaults[kind].timeoutSeconds,
    failureThreshold: probe.failureThreshold ?? probeDefaults[kind].failureThreshold,
  };
  return Object.fromEntries(
    Object.entries({ ...check, ...timings }).filter(([, value]) => value !== undefined),
  ) as k8s.types.input.core.v1.Probe;
}

/** How each file the catalog or a secret mounts reaches the container: a read-only single file. */
function fileMounts(service: ServiceSpec) {
  const files = Object.keys(service.files).map((path) => ({
    name: 'files',
    mountPath: path,
    subPath: fileKey(path),
    readOnly: true,
  }));
  const secrets = secretFiles(service).map(({ file, secretKey }) => ({
    name: 'secret-files',
    mountPath: file,
    subPath: secretKey,
    readOnly: true,
  }));
  return [...files, ...secrets];
}

/** The ConfigMap key of a mounted file: its path, with `/` (not allowed in a key) as `_`. */
export const fileKey = (path: string) => path.slice(1).replaceAll('/', '_');

/**
 * The pod every run of a service's image gets, whether a Deployment's, a Job's or a CronJob's: the
 * restricted security contexts, its service account and config, a writable /tmp, its mounted files.
 */
export function hardenedPod(
  service: ServiceSpec,
  container: Partial<k8s.types.input.core.v1.Container> & { name: string },
  image: pulumi.Input<string>,
  /** Secrets of the variables composed from the service's data stores; read after its own. */
  dataSecretNames: pulumi.Input<string>[] = [],
): k8s.types.input.core.v1.PodSpec {
  const hasFiles = Object.keys(service.files).length > 0;
  const hasSecretFiles = secretFiles(service).length > 0;
  return {
    serviceAccountName: service.name,
    // Only a service that talks to the Kubernetes API gets a token; IRSA injects its own.
    automountServiceAccountToken: service.readsMetrics,
    priorityClassName: priorityClassFor(service),
    securityContext: podSecurityContext,
    terminationGracePeriodSeconds,
    containers: [
      {
        image,
        imagePullPolicy: 'IfNotPresent',
        envFrom: [
          { configMapRef: { name: configMapName(service.name) } },
          ...[...secretNamesFor(service), ...dataSecretNames].map((name) => ({ secretRef: { name } })),
        ],
        resources: service.resources,
        securityContext: containerSecurityContextFor(service),
        volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }, ...fileMounts(service)],
        ...container,
      },
    ],
    // The root file system is read-only; /tmp is the one writable place.
    volumes: [
      { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
      ...(hasFiles ? [{ name: 'files', configMap: { name: filesConfigMapName(service.name) } }] : []),
      ...(hasSecretFiles
        ? [{ name: 'secret-files', secret: { secretName: secretFilesSecretName(service.name) } }]
        : []),
    ],
  };
}

/** The pod of a service: one hardened container, its named ports, its probes, config from envFrom. */
export function podSpec(
  service: ServiceSpec,
  image: pulumi.Input<string>,
  tier: Tier,
  /** Secrets of the variables composed from the service's data stores. */
  dataSecretNames: pulumi.Input<string>[] = [],
): k8s.types.input.core.v1.PodSpec {
  const ports = portsOf(service);
  const numbers = Object.fromEntries(ports.map((p) => [p.name, p.port]));
  const { liveness, readiness, startup } = service.probes;
  const pod = hardenedPod(
    service,
    {
      name: service.name,
      ...(ports.length > 0
        ? { ports: ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: 'TCP' })) }
        : {}),
      startupProbe: probeManifest(startup ?? liveness, 'startup', numbers),
      livenessProbe: probeManifest(liveness, 'liveness', numbers),
      readinessProbe: probeManifest(readiness, 'readiness', numbers),
      lifecycle: { preStop: { sleep: { seconds: preStopDelaySeconds } } },
    },
    image,
    dataSecretNames,
  );
  return { ...pod, topologySpreadConstraints: topologySpread(service.name, tier) };
}
