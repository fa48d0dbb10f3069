import { catalogPeak } from '../../../infra/config/capacity';
import type { OfflineRun } from '../../../offline/engine';
import { renderEnvironment, stacks } from '../../support/render';
import { configOf, kubeObject, objectsOfKind, provisioningNamespace, workloadNamespace } from './objects';

/** Each tier's default namespace budget; the stack files state none of their own. */
const tierBudget = {
  dev: {
    pods: '40',
    'requests.cpu': '8',
    'requests.memory': '16Gi',
    'limits.cpu': '16',
    'limits.memory': '32Gi',
  },
  staging: {
    pods: '80',
    'requests.cpu': '16',
    'requests.memory': '32Gi',
    'limits.cpu': '32',
    'limits.memory': '64Gi',
  },
  prod: {
    pods: '200',
    'requests.cpu': '48',
    'requests.memory': '96Gi',
    'limits.cpu': '96',
    'limits.memory': '192Gi',
  },
};

describe.each(stacks)('the %s environment namespace', (stack) => {
  let run: OfflineRun;
  const namespace = workloadNamespace(stack);
  const config = configOf(stack);
  beforeAll(async () => {
    run = await renderEnvironment(stack);
  });

  it('enforces, audits and warns on Pod Security restricted, pinned to the cluster version', () => {
    const labels = kubeObject(run, 'Namespace', namespace).metadata.labels;
    for (const mode of ['enforce', 'audit', 'warn']) {
      expect(labels?.[`pod-security.kubernetes.io/${mode}`]).toBe('restricted');
      expect(labels?.[`pod-security.kubernetes.io/${mode}-version`]).toBe(`v${config.cluster.version}`);
    }
  });

  it("puts every namespaced workload object in that namespace, and the platform's provisioning in its own", () => {
    const serviceNames = new Set(config.services.map((s) => s.name));
    const workloadKinds = ['Deployment', 'Service', 'ConfigMap', 'ServiceAccount', 'ExternalSecret', 'Job'];
    const provisioning = (labels?: Record<string, string>) =>
      labels?.['app.kubernetes.io/component'] === 'data-provisioning';
    for (const kind of workloadKinds) {
      const objects = objectsOfKind(run, kind);
      expect(objects.length).toBeGreaterThan(0);
      for (const object of objects) {
        const where = provisioning(object.metadata.labels) ? provisioningNamespace(stack) : namespace;
        expect([kind, object.metadata.name, object.metadata.namespace]).toEqual([
          kind,
          object.metadata.name,
          where,
        ]);
      }
    }
    expect(new Set(objectsOfKind(run, 'Deployment').map((d) => d.metadata.name))).toEqual(serviceNames);
    // The sample has no Job of its own: the one Job is app-db's user provisioning, in the platform's namespace.
    expect(
      objectsOfKind(run, 'Job').map((j) => [j.metadata.namespace, provisioning(j.metadata.labels)]),
    ).toEqual([[provisioningNamespace(stack), true]]);
  });

  it("caps the namespace at the stack's budget, which fits the catalog at its peak, and forbids other entry points", () => {
    const hard = kubeObject(run, 'ResourceQuota', 'workloads').spec?.hard as Record<string, string>;
    expect(hard).toEqual({ ...tierBudget[stack], 'services.loadbalancers': '0', 'services.nodeports': '0' });
    // web 6+1, api 10+1, worker replicas+1 (dev and staging 1, prod 2): the peak stays inside the budget.
    const workerPeak = stack === 'prod' ? 3 : 2;
    expect(catalogPeak(config.services)).toMatchObject({
      pods: 7 + 11 + workerPeak,
      requestsCpu: 7 * 100 + 11 * 250 + workerPeak * 100,
    });
    expect(7 + 11 + workerPeak).toBeLessThanOrEqual(config.quota.pods);
    expect(kubeObject(run, 'ResourceQuota', 'workloads').metadata.namespace).toBe(namespace);
  });

  it('gives containers default requests and limits and caps them at the largest container of the budget', () => {
    const limitRange = kubeObject(run, 'LimitRange', 'container-defaults');
    expect(limitRange.metadata.namespace).toBe(namespace);
    expect(limitRange.spec?.limits).toEqual([
      {
        type: 'Container',
        defaultRequest: { cpu: '100m', memory: '128Mi' },
        default: { cpu: '500m', memory: '256Mi' },
        max: { cpu: config.quota.containerMaxCpu, memory: config.quota.containerMaxMemory },
      },
    ]);
  });

  it('has a critical priority that may preempt and a normal one that never does', () => {
    const critical = kubeObject(run, 'PriorityClass', 'slipway-critical');
    const normal = kubeObject(run, 'PriorityClass', 'slipway-normal');
    expect(critical).toMatchObject({
      value: 100000,
      preemptionPolicy: 'PreemptLowerPriority',
      globalDefault: false,
    });
    expect(normal).toMatchObject({ value: 10000, preemptionPolicy: 'Never', globalDefault: false });
    const classOf = (name: string) =>
      (kubeObject(run, 'Deployment', name).spec as { template: { spec: { priorityClassName: string } } })
        .template.spec.priorityClassName;
    expect(classOf('web')).toBe('slipway-critical');
    expect(classOf('api')).toBe('slipway-critical');
    expect(classOf('worker')).toBe('slipway-normal');
  });

  it('renders no Kubernetes Secret with literal data: secrets come from ExternalSecrets only', () => {
    expect(objectsOfKind(run, 'Secret')).toEqual([]);
    expect(run.resources.filter((r) => r.type === 'kubernetes:core/v1:Secret')).toEqual([]);
  });

  it("grants no cluster-wide RBAC but the platform's to the apps role: its namespace and priority classes", () => {
    const roles = objectsOfKind(run, 'ClusterRole');
    expect(roles.map((r) => r.metadata.name)).toEqual(['slipway-apps-deployers']);
    expect(roles[0]?.rules).toEqual([
      { apiGroups: [''], resources: ['namespaces'], verbs: ['create'] },
      {
        apiGroups: [''],
        resources: ['namespaces'],
        resourceNames: [namespace],
        verbs: ['get', 'patch', 'update', 'delete'],
      },
      {
        apiGroups: ['scheduling.k8s.io'],
        resources: ['priorityclasses'],
        verbs: ['get', 'list', 'watch', 'create', 'patch', 'update', 'delete'],
      },
    ]);
    const bindings = objectsOfKind(run, 'ClusterRoleBinding');
    expect(bindings.map((b) => [b.roleRef, b.subjects])).toEqual([
      [
        { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'slipway-apps-deployers' },
        [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'slipway:apps-deployers' }],
      ],
    ]);
  });
});
