import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import {
  ClusterRole,
  ClusterRoleBinding,
  Role,
  RoleBinding,
} from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { PriorityClass } from 'kubernetes-models/scheduling.k8s.io/v1';
import {
  ConfigMap,
  LimitRange,
  Namespace,
  ResourceQuota,
  Service,
  ServiceAccount,
} from 'kubernetes-models/v1';
import type { OfflineRun } from '../../../offline/engine';
import { externalSecretsSchemaFailures } from '../../support/external-secrets-schema';
import { renderEnvironment, stacks } from '../../support/render';
import { kubeObject, kubeObjects, type KubeObject } from './objects';

/** The OpenAPI model of every kind the platform renders, keyed by `apiVersion/kind`. */
const models: Record<string, new (data: never) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'rbac.authorization.k8s.io/v1/ClusterRole': ClusterRole,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': ClusterRoleBinding,
  'v1/ResourceQuota': ResourceQuota,
  'v1/LimitRange': LimitRange,
  'v1/ServiceAccount': ServiceAccount,
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  // The platform's user provisioning (infra/data/user-provisioner.ts).
  'batch/v1/Job': Job,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'networking.k8s.io/v1/Ingress': Ingress,
  'rbac.authorization.k8s.io/v1/Role': Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding,
  'scheduling.k8s.io/v1/PriorityClass': PriorityClass,
};

/** External Secrets kinds: validated against the operator's v1 schema in a child process. */
const externalSecretsKinds = ['external-secrets.io/v1/ExternalSecret', 'external-secrets.io/v1/SecretStore'];
const isExternalSecrets = (object: KubeObject) => object.apiVersion.startsWith('external-secrets.io/');

function validate(object: KubeObject): void {
  if (isExternalSecrets(object)) {
    const [failure] = externalSecretsSchemaFailures([object]);
    if (failure) throw new Error(failure);
    return;
  }
  const Model = models[`${object.apiVersion}/${object.kind}`];
  if (!Model) throw new Error(`no OpenAPI model for ${object.apiVersion} ${object.kind}`);
  new Model(object as never).validate();
}

describe.each(stacks)('the %s stack', (stack) => {
  let run: OfflineRun;
  beforeAll(async () => {
    run = await renderEnvironment(stack);
  });

  it('renders only objects that validate against the Kubernetes and External Secrets schemas', () => {
    const objects = kubeObjects(run);
    const failures = objects
      .filter((o) => !isExternalSecrets(o))
      .flatMap((object) => {
        try {
          validate(object);
          return [];
        } catch (error) {
          return [`${object.kind} ${object.metadata.name}: ${(error as Error).message}`];
        }
      });
    // One child process for all of the stack's External Secrets objects.
    failures.push(...externalSecretsSchemaFailures(objects.filter(isExternalSecrets)));
    expect(failures).toEqual([]);
    // Every kind the workloads and add-ons render took part, not just some of them.
    expect(new Set(objects.map((o) => `${o.apiVersion}/${o.kind}`))).toEqual(
      new Set([...Object.keys(models), ...externalSecretsKinds]),
    );
  });

  it('would catch an object that breaks its schema', () => {
    const deployment = kubeObject(run, 'Deployment', 'api');
    const broken = { ...deployment, spec: { ...deployment.spec, replicas: 'two' } };
    expect(() => validate(broken as KubeObject)).toThrow(/replicas/);
    const store = kubeObject(run, 'SecretStore', 'api');
    const badStore = { ...store, spec: { provider: { aws: { service: 'Vault' } } } };
    expect(() => validate(badStore as KubeObject)).toThrow(/service/);
    // The retired v1beta1 API is not one the schema knows.
    expect(() => validate({ ...store, apiVersion: 'external-secrets.io/v1beta1' })).toThrow(/no schema/);
  });
});
