import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../../infra/config/errors';
import { loadPlatformConfig } from '../../../infra/config/load';
import type { ProjectName } from '../../../infra/config/projects';
import { readSettings } from '../../../infra/settings/load';
import { repoRoot } from '../../support/render';

// Each input below was accepted (or crashed, or said something unclear) when the configs were fuzzed:
// now each is refused with one line naming the file and the key.
const catalogText = readFileSync(join(repoRoot, 'services.yaml'), 'utf8');
const settings = readSettings(repoRoot);

interface Case {
  project?: ProjectName;
  stack?: string;
  values?: Record<string, unknown>;
  catalog?: (text: string) => string;
}

function problemsOf({
  project = 'platform',
  stack = 'dev',
  values = {},
  catalog = (t) => t,
}: Case): string[] {
  const stated: Record<string, unknown> = { 'aws:region': 'eu-west-1', 'slipway:tier': stack, ...values };
  const flat = Object.fromEntries(
    Object.entries(stated).map(([key, value]) => [
      key,
      typeof value === 'string' ? value : JSON.stringify(value),
    ]),
  );
  try {
    loadPlatformConfig({ stack, values: flat, catalogText: catalog(catalogText), settings, project });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('the config loaded, but it is invalid');
}

const nodeGroup = (changes: Record<string, unknown>) => ({
  name: 'general',
  instanceTypes: ['m6i.large'],
  capacityType: 'ON_DEMAND',
  minSize: 1,
  desiredSize: 1,
  maxSize: 3,
  diskSizeGiB: 50,
  ...changes,
});
const workerGrant = "actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes']";
const grant = (actions: string) => (text: string) =>
  text
    .replace(workerGrant, `actions: [${actions}]`)
    .replace("resources: ['arn:aws:sqs:*:*:slipway-jobs']", "resources: ['*']");

describe('config the fuzzing found accepted, crashing or unclear', () => {
  it.each<[string, Case, string]>([
    [
      'a service with no body',
      { catalog: (t) => t.replace(/^api:\n(?: .*\n|\n)*?(?=worker:)/m, 'api:\n\n') },
      'services.yaml: api: is empty: it needs build, probes, resources, replicas',
    ],
    [
      'a flow log retention CloudWatch refuses',
      { values: { 'slipway:network': { flowLogRetentionDays: 10 } } },
      'Pulumi.dev.yaml: slipway:network.flowLogRetentionDays: must be a retention CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653',
    ],
    [
      'an engine version RDS does not offer',
      { values: { 'slipway:dataStores': { 'app-db': { engineVersion: '99' } } } },
      'Pulumi.dev.yaml: slipway:dataStores.app-db.engineVersion: must be a version RDS for PostgreSQL offers: 13, 14, 15, 16, 17 (or a patch of one)',
    ],
    [
      'an ACM certificate in another region',
      {
        project: 'apps',
        values: {
          'slipway:ingress': {
            certificateArn:
              'arn:aws:acm:us-east-1:123456789012:certificate/0f3c9a52-7d1e-4b8a-9c55-2e6d1b7a4f10',
          },
        },
      },
      'infra/apps/Pulumi.dev.yaml: slipway:ingress.certificateArn: is a certificate in us-east-1; the load balancer in eu-west-1 can only use one from its own region',
    ],
    [
      'a region that does not exist',
      { values: { 'aws:region': 'zz-fake-9' } },
      'Pulumi.dev.yaml: aws:region: must be an AWS region that offers EKS, RDS and ECR, such as eu-west-1',
    ],
    [
      'a host with an empty label',
      { project: 'apps', values: { 'slipway:services': { web: { ingress: { host: 'a..b' } } } } },
      'infra/apps/Pulumi.dev.yaml: slipway:services.web.ingress.host: must be a lowercase DNS host name: labels of 1 to 63 letters, digits and inner dashes, joined by single dots',
    ],
    [
      'a node group over the EKS node quota',
      { values: { 'slipway:cluster': { nodeGroups: [nodeGroup({ maxSize: 1000 })] } } },
      'Pulumi.dev.yaml: slipway:cluster.nodeGroups[0].maxSize: must be at most 450, the EKS quota of nodes per managed node group',
    ],
    [
      'more node groups than a cluster may have',
      {
        values: {
          'slipway:cluster': {
            nodeGroups: Array.from({ length: 31 }, (_, index) => nodeGroup({ name: `group-${index}` })),
          },
        },
      },
      'Pulumi.dev.yaml: slipway:cluster.nodeGroups: must have at most 30 node groups, the EKS quota per cluster',
    ],
    [
      'variables that make a ConfigMap over 1 MiB',
      {
        project: 'apps',
        catalog: (t) => t.replace('QUEUE: jobs }', `QUEUE: jobs, BLOB: ${'x'.repeat(1024 * 1024)} }`),
      },
      "services.yaml: worker.env: 1,048,602 bytes of variables; their ConfigMap must stay under 1 MiB, Kubernetes' limit for one object",
    ],
    [
      'mounted files that make a ConfigMap over 1 MiB',
      {
        project: 'apps',
        catalog: (t) =>
          t.replace(
            'QUEUE: jobs }',
            `QUEUE: jobs }\n  files: { /etc/app/blob.txt: ${'x'.repeat(1024 * 1024)} }`,
          ),
      },
      "services.yaml: worker.files: 1,048,593 bytes of mounted files; their ConfigMap must stay under 1 MiB, Kubernetes' limit for one object",
    ],
    [
      "prod's API endpoint opened to the internet in two halves",
      {
        stack: 'prod',
        values: { 'slipway:cluster': { publicAccessCidrs: ['0.0.0.0/1', '128.0.0.0/1'] } },
      },
      'Pulumi.prod.yaml: slipway:cluster.publicAccessCidrs: prod must not open the API endpoint to more than a /8 in all; these blocks cover 4,294,967,296 addresses',
    ],
    [
      'iam:* on every resource in a service grant',
      { project: 'apps', catalog: grant("'iam:*'") },
      'services.yaml: worker.aws[0].actions[0]: iam:* lets the service change IAM, and so grant itself anything; a service may only read IAM (iam:Get*, iam:List*)',
    ],
    [
      'a service-wide wildcard on every resource',
      { project: 'apps', catalog: grant("'s3:*'") },
      'services.yaml: worker.aws[0].actions[0]: s3:* on every resource ("*") grants the whole service; name the actions or the resources',
    ],
    [
      'a __proto__ key in a stack value, which a merge drops silently',
      { values: { 'slipway:network': '{"__proto__": {"azCount": 1}}' } },
      'Pulumi.dev.yaml: slipway:network.__proto__: "__proto__" is a reserved name, not allowed as a key',
    ],
    [
      'a __proto__ key in the catalog',
      { catalog: (t) => `${t}\n__proto__:\n  replicas: 1\n` },
      'services.yaml: __proto__: "__proto__" is a reserved name, not allowed as a key',
    ],
    [
      'a missing key, which said "expected number, received undefined"',
      { catalog: (t) => t.replace(/^ {2}replicas: 2\n/m, '') },
      'services.yaml: web.replicas: is required',
    ],
    [
      'an invalid service name, which said "Invalid key in record"',
      { catalog: (t) => `${t}\nBilling_Service:\n  replicas: 1\n` },
      'services.yaml: Billing_Service: must be a DNS label of 3 to 32 characters',
    ],
    [
      'a YAML error, which ended in a dangling colon',
      { catalog: (t) => `${t}\nreports: [\n` },
      'services.yaml:75:1: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ],
    [
      'an unknown nested key, which did not list the valid ones',
      { values: { 'slipway:network': { azcount: 3 } } },
      'Pulumi.dev.yaml: slipway:network.azcount: unknown key (expected one of cidr, azCount, natGateways, interfaceEndpoints, flowLogRetentionDays, subnets)',
    ],
    [
      'a port that is neither a number nor a mapping, which said "Invalid input"',
      {
        project: 'apps',
        catalog: (t) =>
          t.replace('ports: { http: { port: 8080, servicePort: 80 } }', 'ports: { http: "8080/tcp" }'),
      },
      'services.yaml: web.ports.http: must be a number or a mapping, got "8080/tcp"',
    ],
    [
      'an empty build context, which said "must have at least 1 characters"',
      { catalog: (t) => t.replace('build: { context: apps/sample }', "build: { context: '' }") },
      'services.yaml: web.build.context: must not be empty',
    ],
    [
      'a catalog that is a list',
      { catalog: () => '- web\n- api\n' },
      'services.yaml:1:1: must map service names to their settings, got a list',
    ],
    [
      'a wrong type, which said "expected boolean, received string"',
      { values: { 'slipway:network': { interfaceEndpoints: 'yes' } } },
      'Pulumi.dev.yaml: slipway:network.interfaceEndpoints: must be true or false, got "yes"',
    ],
  ])('refuses %s', (_, input, line) => {
    expect(problemsOf(input)).toContain(line);
  });

  it('lists the keys a catalog service may have beside an unknown one', () => {
    const problems = problemsOf({
      catalog: (t) => t.replace('readsMetrics: true', 'readsMetrics: true\n  critcal: true'),
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /^services\.yaml: worker\.critcal: unknown key \(expected one of build, .*\bcritical\b.*\)$/,
      ),
    ]);
  });

  it('says where an ingress host would come from when a new stack has no environment in slipway.yaml', () => {
    expect(problemsOf({ project: 'apps', stack: 'qa', values: { 'slipway:tier': 'dev' } })).toContain(
      'services.yaml: web.ingress.host: is required (the catalog names none, and slipway.yaml gives no qa environment a domain)',
    );
  });
});
