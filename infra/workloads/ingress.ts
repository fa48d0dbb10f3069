import type * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';
import type { AlbTlsPolicy } from '../config/schema';
import type { ServiceSpec } from '../config/services';
import { healthCheckPortOf, ingressPortOf } from '../config/ports';
import { serviceLabels } from './names';

/** The longest name ELB gives a load balancer. */
const maxLoadBalancerName = 32;

/**
 * The name of the environment's shared ALB. Named rather than generated so that the load balancer
 * controller's IAM policy can scope listeners and rules (whose ARNs embed the name) to this ALB alone.
 */
export function loadBalancerNameOf(groupName: string): string {
  if (
    groupName.length > maxLoadBalancerName ||
    !/^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/.test(groupName)
  ) {
    throw new Error(
      `ALB name "${groupName}" must be at most ${maxLoadBalancerName} letters, digits and inner dashes`,
    );
  }
  return groupName;
}

/**
 * The order the ALB evaluates each service's rules in: deeper paths first, the catch-all `/` last,
 * so `/api` is never swallowed by `/`. Prefixes of equal depth cannot overlap (a Prefix path matches
 * whole segments), so ties break on the name, which keeps the order stable.
 */
export function ingressOrder(services: ServiceSpec[]): Map<string, number> {
  const depth = (path: string) => path.split('/').filter(Boolean).length;
  const exposed = services.filter((s) => s.ingress);
  exposed.sort((a, b) => {
    const [pa, pb] = [a.ingress?.path ?? '/', b.ingress?.path ?? '/'];
    return depth(pb) - depth(pa) || a.name.localeCompare(b.name);
  });
  return new Map(exposed.map((service, index) => [service.name, (index + 1) * 10]));
}

/** What the platform puts in front of the environment's ALB (its outputs `edge…`). */
export interface LoadBalancerEdge {
  /** The AWS WAF web ACL the ALB runs behind; none when the stack runs no WAF. */
  webAclArn?: string;
  /** Where the ALB writes its access logs; none when the stack keeps none. */
  accessLogs?: { bucket: string; prefix: string };
}

/**
 * The ALB's attributes: invalid header fields dropped, and access logs on when the platform keeps them.
 * Every Ingress of the group states the same, as the controller requires of a group-wide attribute.
 */
export function loadBalancerAttributes(edge: LoadBalancerEdge): string {
  const logs = edge.accessLogs
    ? [
        'access_logs.s3.enabled=true',
        `access_logs.s3.bucket=${edge.accessLogs.bucket}`,
        `access_logs.s3.prefix=${edge.accessLogs.prefix}`,
      ]
    : ['access_logs.s3.enabled=false'];
  return ['routing.http.drop_invalid_header_fields.enabled=true', ...logs].join(',');
}

export interface IngressInputs {
  service: ServiceSpec;
  namespace: string;
  environment: string;
  /** All the environment's Ingresses share one ALB: this group. */
  groupName: string;
  groupOrder: number;
  certificateArn: pulumi.Input<string>;
  /** The listener's TLS policy (the stack's, or its tier's default). */
  sslPolicy: AlbTlsPolicy;
  /** The platform's WAF web ACL and access-log bucket for the ALB. */
  edge: LoadBalancerEdge;
}

/**
 * An ALB Ingress: HTTPS only (HTTP answers with a redirect), to the ingress port, health-checked on
 * the readiness probe's path and port (the pod's port: the ALB targets pod IPs).
 */
export function ingressManifest(inputs: IngressInputs): k8s.types.input.networking.v1.Ingress | undefined {
  const { service } = inputs;
  const port = ingressPortOf(service);
  const readiness = service.probes.readiness.http;
  if (!service.ingress || !port || !readiness) return undefined;
  const probed = healthCheckPortOf(service);
  const healthPort = !probed || probed.name === port.name ? 'traffic-port' : String(probed.port);
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: service.name,
      namespace: inputs.namespace,
      labels: serviceLabels(service.name, inputs.environment),
      annotations: {
        'alb.ingress.kubernetes.io/scheme': 'internet-facing',
        'alb.ingress.kubernetes.io/target-type': 'ip',
        'alb.ingress.kubernetes.io/group.name': inputs.groupName,
        'alb.ingress.kubernetes.io/load-balancer-name': loadBalancerNameOf(inputs.groupName),
        'alb.ingress.kubernetes.io/group.order': String(inputs.groupOrder),
        'alb.ingress.kubernetes.io/listen-ports': JSON.stringify([{ HTTP: 80 }, { HTTPS: 443 }]),
        'alb.ingress.kubernetes.io/ssl-redirect': '443',
        'alb.ingress.kubernetes.io/certificate-arn': inputs.certificateArn,
        'alb.ingress.kubernetes.io/ssl-policy': inputs.sslPolicy,
        'alb.ingress.kubernetes.io/healthcheck-path': readiness.path,
        'alb.ingress.kubernetes.io/healthcheck-port': healthPort,
        'alb.ingress.kubernetes.io/success-codes': '200',
        'alb.ingress.kubernetes.io/load-balancer-attributes': loadBalancerAttributes(inputs.edge),
        // `none` detaches a web ACL the ALB had, so turning WAF off is visible here too.
        'alb.ingress.kubernetes.io/wafv2-acl-arn': inputs.edge.webAclArn ?? 'none',
      },
    },
    spec: {
      ingressClassName: 'alb',
      rules: [
        {
          host: service.ingress.host,
          http: {
            paths: [
              {
                path: service.ingress.path,
                pathType: 'Prefix',
                backend: { service: { name: service.name, port: { name: port.name } } },
              },
            ],
          },
        },
      ],
    },
  };
}
