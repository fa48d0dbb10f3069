import { diffPlans } from '../../plan/diff';
import { diffMarkdown } from '../../plan/format/markdown';
import { diffText, stackText } from '../../plan/format/text';
import type { PlanResource, StackPlan } from '../../plan/model';

const plan = (resources: PlanResource[]): StackPlan => ({
  formatVersion: 1,
  project: 'slipway',
  stack: 'prod',
  resources,
  outputs: { vpcId: 'vpc-1', kubeconfig: '[secret]' },
});
const network: PlanResource = {
  type: 'slipway:platform:Network',
  name: 'network',
  custom: false,
  inputs: {},
};
const subnet = (name: string, cidrBlock: string): PlanResource => ({
  type: 'aws:ec2/subnet:Subnet',
  name,
  parent: 'slipway:platform:Network::network',
  custom: true,
  inputs: { cidrBlock },
});
const workloads: PlanResource = {
  type: 'slipway:workloads:Workloads',
  name: 'workloads',
  custom: false,
  inputs: {},
};
const api: PlanResource = {
  type: 'slipway:workloads:Service',
  name: 'api',
  parent: 'slipway:workloads:Workloads::workloads',
  custom: false,
  inputs: {},
};
const deployment = (image: string): PlanResource => ({
  type: 'kubernetes:apps/v1:Deployment',
  name: 'api',
  parent: 'slipway:workloads:Service::api',
  custom: true,
  inputs: { spec: { template: { spec: { containers: [{ image }] } } } },
});

describe('stackText', () => {
  it('nests components under their parents and counts each one’s resources by type', () => {
    const text = stackText(
      plan([
        network,
        subnet('a', '10.0.0.0/19'),
        subnet('b', '10.0.32.0/19'),
        workloads,
        api,
        deployment('api:1'),
      ]),
    );
    expect(text).toBe(
      [
        'slipway/prod',
        '',
        'network  slipway:platform:Network',
        '    2 × aws:ec2/subnet:Subnet',
        'workloads  slipway:workloads:Workloads',
        '  api  slipway:workloads:Service',
        '      1 × kubernetes:apps/v1:Deployment',
        '',
        'Outputs',
        '  vpcId: "vpc-1"',
        '  kubeconfig: "[secret]"',
        '',
        '6 resources: 3 components, 2 aws, 1 kubernetes',
        '',
      ].join('\n'),
    );
  });
});

describe('diff renderers', () => {
  const diff = diffPlans(
    plan([network, subnet('a', '10.0.0.0/19'), subnet('gone', '10.0.64.0/19'), deployment('api:1')]),
    plan([network, subnet('a', '10.1.0.0/19'), deployment('api:2'), subnet('new', '10.0.96.0/19')]),
    'main',
  );

  it('prints one line per change with its symbol, the changed values under it, then the counts', () => {
    expect(diffText(diff)).toBe(
      [
        'slipway/prod against main',
        '',
        '+ create  aws:ec2/subnet:Subnet  new',
        '~ update  kubernetes:apps/v1:Deployment  api',
        '      spec.template.spec.containers[0].image: "api:1" → "api:2"',
        '± replace aws:ec2/subnet:Subnet  a',
        '      cidrBlock: "10.0.0.0/19" → "10.1.0.0/19"  (forces replacement)',
        '- delete  aws:ec2/subnet:Subnet  gone',
        '',
        'Plan: 1 to create, 1 to update, 1 to replace, 1 to delete.',
        '',
      ].join('\n'),
    );
  });

  it('renders a markdown table of changes with the values collapsed', () => {
    const markdown = diffMarkdown(diff);
    expect(markdown).toContain('**Plan: 1 to create, 1 to update, 1 to replace, 1 to delete.**');
    expect(markdown).toContain('| 🟠 | replace | `aws:ec2/subnet:Subnet` | a | `cidrBlock` ⚠ |');
    expect(markdown).toContain('- cidrBlock: "10.0.0.0/19"\n+ cidrBlock: "10.1.0.0/19"');
    expect(markdown).toMatch(/<details>[\s\S]*<\/details>/);
  });
  it('fences the changed values so that backticks in a value cannot end the block', () => {
    const configMap = (data: string): PlanResource => ({
      type: 'kubernetes:core/v1:ConfigMap',
      name: 'notes',
      custom: true,
      inputs: { data: { text: data } },
    });
    const markdown = diffMarkdown(diffPlans(plan([configMap('a')]), plan([configMap('```\n# x')]), 'main'));
    expect(markdown).toContain('````diff\nreplace kubernetes:core/v1:ConfigMap notes\n');
    expect(markdown).toMatch(/\n````\n\n<\/details>/);
  });

  it('says above the changes why every resource is a create when the stack is new at the base', () => {
    const note = 'Pulumi.qa.yaml does not exist at main: qa is a new stack, so every resource is a create';
    const created = { ...diffPlans(plan([]), plan([network]), 'main'), note };
    expect(diffText(created).split('\n').slice(0, 4)).toEqual([
      'slipway/prod against main',
      note,
      '',
      '+ create  slipway:platform:Network  network',
    ]);
    expect(diffMarkdown(created)).toContain(`against \`main\`\n\n${note}\n\n**Plan: 1 to create,`);
  });

  it('lists the stack outputs that change after the resources', () => {
    const withOutputs = {
      ...diff,
      outputs: [{ path: 'networkVpcId', old: 'vpc-1', new: '[known after network-vpc is replaced]' }],
    };
    expect(diffText(withOutputs)).toContain(
      '\nStack outputs that change:\n  ~ networkVpcId: "vpc-1" → "[known after network-vpc is replaced]"\n\nPlan: ',
    );
    const markdown = diffMarkdown(withOutputs);
    expect(markdown).toContain('Stack outputs that change: `networkVpcId`');
    expect(markdown).toContain(
      'outputs\n- networkVpcId: "vpc-1"\n+ networkVpcId: "[known after network-vpc is replaced]"',
    );
  });
});
