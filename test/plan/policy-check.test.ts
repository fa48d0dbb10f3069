import type { ResourceValidationPolicy } from '@pulumi/policy';
import { runPlan } from '../../plan/command';
import { checkPolicies, violationLines } from '../../plan/policy-check';
import { Progress } from '../../plan/progress';
import { planOf } from '../../plan/render';
import { policies } from '../../policy/policies';
import { repoRoot, renderStack } from '../support/render';

const advisoryOwnerTag: ResourceValidationPolicy = {
  name: 'vpc-owner-tag',
  description: 'VPCs say who owns them',
  enforcementLevel: 'advisory',
  validateResource: (args, report) => {
    if (args.type === 'aws:ec2/vpc:Vpc' && !(args.props.tags as Record<string, string>)?.owner)
      report('the VPC has no owner tag');
  },
};

test('every stack passes the pack as rendered', async () => {
  for (const stack of ['dev', 'staging', 'prod']) {
    expect(await checkPolicies(planOf(await renderStack(stack)), policies)).toEqual([]);
  }
});

test('the plan runs every policy of the pack: a mutable registry is a mandatory violation, one line each', async () => {
  const plan = planOf(await renderStack('dev'));
  const repository = plan.resources.find((r) => r.type === 'aws:ecr/repository:Repository');
  if (!repository) throw new Error('dev has no repository');
  repository.inputs.imageTagMutability = 'MUTABLE';
  const violations = await checkPolicies(plan, [...policies, advisoryOwnerTag]);
  expect(violations.map((v) => [v.policy, v.level, v.resource])).toEqual([
    ['ecr-immutable-tags', 'mandatory', `aws:ecr/repository:Repository::${repository.name}`],
    ['vpc-owner-tag', 'advisory', 'aws:ec2/vpc:Vpc::network-vpc'],
  ]);
  const lines = violationLines(violations);
  expect(lines[1]).toBe(
    'policy vpc-owner-tag (advisory): aws:ec2/vpc:Vpc::network-vpc: the VPC has no owner tag',
  );
  expect(lines.every((line) => !line.includes('\n'))).toBe(true);
});

test('a mandatory violation makes the plan exit 1 with its line; an advisory one is listed and passes', async () => {
  const run = async (pack: ResourceValidationPolicy[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runPlan(
      { stack: 'dev', project: 'platform', format: 'text', projectDir: repoRoot, help: false },
      { write: (text: string) => (stdout += text) },
      new Progress({ write: (text: string) => ((stderr += text), true) }),
      pack,
    );
    return { code, stdout, stderr };
  };
  const mandatory = {
    ...advisoryOwnerTag,
    name: 'vpc-owner-tag-required',
    enforcementLevel: 'mandatory' as const,
  };
  const [advised, refused] = [await run([advisoryOwnerTag]), await run([mandatory])];
  expect(advised.code).toBe(0);
  expect(advised.stderr).toContain(
    'note: policy vpc-owner-tag (advisory): aws:ec2/vpc:Vpc::network-vpc: the VPC has no owner tag',
  );
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain(
    'error: policy vpc-owner-tag-required (mandatory): aws:ec2/vpc:Vpc::network-vpc: the VPC has no owner tag',
  );
  expect(refused.stdout).toContain('slipway/dev'); // the plan is still printed
}, 120_000);
