import type { ServiceSpec } from '../../../infra/config/services';
import { ingressOrder } from '../../../infra/workloads/ingress';
import type { OfflineRun } from '../../../offline/engine';
import { readSettings } from '../../../infra/settings/load';
import { renderEnvironment, repoRoot, stacks } from '../../support/render';
import { configOf, kubeObject, objectsOfKind, workloadNamespace } from './objects';

describe.each(stacks)('the %s ingress', (stack) => {
  let run: OfflineRun;
  // The certificate and the host are the environment's in slipway.yaml; the stack file names neither.
  const environment = readSettings(repoRoot).environments[stack];
  const certificateArn = environment?.certificateArn;
  const host = environment?.domain;
  beforeAll(async () => {
    run = await renderEnvironment(stack);
  });
  const annotations = (name: string) => kubeObject(run, 'Ingress', name).metadata.annotations ?? {};

  it('exposes exactly the services with an ingress, through the ALB class', () => {
    expect(
      objectsOfKind(run, 'Ingress')
        .map((i) => i.metadata.name)
        .sort(),
    ).toEqual(['api', 'web']);
    for (const [name, path] of [
      ['web', '/'],
      ['api', '/api'],
    ] as const) {
      const ingress = kubeObject(run, 'Ingress', name);
      expect(ingress.metadata.namespace).toBe(workloadNamespace(stack));
      expect(ingress.spec).toEqual({
        ingressClassName: 'alb',
        rules: [
          {
            host,
            http: {
              paths: [{ path, pathType: 'Prefix', backend: { service: { name, port: { name: 'http' } } } }],
            },
          },
        ],
      });
    }
  });

  it.each(['web', 'api'])('serves %s over HTTPS with the stack certificate and redirects HTTP', (name) => {
    expect(certificateArn).toMatch(/^arn:aws:acm:eu-west-1:123456789012:certificate\//);
    expect(annotations(name)).toMatchObject({
      'alb.ingress.kubernetes.io/scheme': 'internet-facing',
      'alb.ingress.kubernetes.io/target-type': 'ip',
      'alb.ingress.kubernetes.io/certificate-arn': certificateArn,
      'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP":80},{"HTTPS":443}]',
      'alb.ingress.kubernetes.io/ssl-redirect': '443',
      'alb.ingress.kubernetes.io/healthcheck-path': '/readyz',
    });
  });

  it.each(['web', 'api'])(
    'serves %s with TLS 1.3 only in prod, TLS 1.3 with a 1.2 fallback below it',
    (name) => {
      expect(annotations(name)['alb.ingress.kubernetes.io/ssl-policy']).toBe(
        stack === 'prod' ? 'ELBSecurityPolicy-TLS13-1-3-2021-06' : 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      );
    },
  );

  it('names the shared ALB after the environment, the name its controller may change listeners of', () => {
    for (const name of ['web', 'api']) {
      expect(annotations(name)['alb.ingress.kubernetes.io/load-balancer-name']).toBe(`slipway-${stack}`);
    }
  });

  it('puts every service behind one ALB group, the specific path before the catch-all', () => {
    expect(annotations('web')['alb.ingress.kubernetes.io/group.name']).toBe(workloadNamespace(stack));
    expect(annotations('api')['alb.ingress.kubernetes.io/group.name']).toBe(workloadNamespace(stack));
    const order = (name: string) => Number(annotations(name)['alb.ingress.kubernetes.io/group.order']);
    expect(order('api')).toBeLessThan(order('web'));
  });
});

describe('ingressOrder', () => {
  const catalog = configOf('dev').services;
  const at = (name: string, path: string) => {
    const base = catalog[0] as ServiceSpec;
    return { ...base, name, ingress: { host: 'app.example.com', path } };
  };

  it('orders deeper paths first and the catch-all last, whatever the catalog order', () => {
    const order = ingressOrder([
      at('site', '/'),
      at('api', '/api'),
      at('v2', '/api/v2'),
      at('docs', '/docs'),
    ]);
    const ranked = [...order.entries()].sort((a, b) => a[1] - b[1]).map(([name]) => name);
    expect(ranked).toEqual(['v2', 'api', 'docs', 'site']);
  });

  it('leaves services without an ingress out', () => {
    const worker = { ...(catalog[0] as ServiceSpec), name: 'worker', ingress: undefined };
    expect([...ingressOrder([worker, at('site', '/')]).keys()]).toEqual(['site']);
  });
});

describe.each(stacks)('the %s ALB edge, as the Ingresses attach it', (stack) => {
  let run: OfflineRun;
  beforeAll(async () => {
    run = await renderEnvironment(stack);
  });
  const annotations = (name: string) => kubeObject(run, 'Ingress', name).metadata.annotations ?? {};

  it("names the platform's web ACL on every Ingress of the group where the stack runs WAF, `none` in dev", () => {
    const acl = String(run.outputs.edgeWebAclArn);
    if (stack === 'dev') expect(acl).toBe('');
    else expect(acl).toMatch(/^arn:aws:wafv2:eu-west-1:123456789012:regional\/webacl\/slipway-\w+-edge\//);
    for (const name of ['web', 'api']) {
      expect(annotations(name)['alb.ingress.kubernetes.io/wafv2-acl-arn']).toBe(acl || 'none');
    }
  });

  it("sends the ALB's access logs to the platform's bucket, under the environment's prefix", () => {
    const bucket = `slipway-${stack}-alb-logs-123456789012`;
    expect(run.outputs.edgeAccessLogBucketName).toBe(bucket);
    for (const name of ['web', 'api']) {
      expect(annotations(name)['alb.ingress.kubernetes.io/load-balancer-attributes']).toBe(
        'routing.http.drop_invalid_header_fields.enabled=true,access_logs.s3.enabled=true,' +
          `access_logs.s3.bucket=${bucket},access_logs.s3.prefix=alb/slipway-${stack}`,
      );
    }
  });
});
