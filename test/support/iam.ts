import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';

/** The account the offline engine answers `getCallerIdentity` with. */
export const accountId = '123456789012';

/**
 * What AWS would decide for one request made by a principal holding `policy` as its only identity
 * policy: `Allowed`, `ImplicitlyDenied` or `ExplicitlyDenied`. The evaluator is @cloud-copilot/iam-simulate,
 * which also refuses (throws here) an action, resource type or condition key that AWS does not have.
 */
export async function decide(
  policy: unknown,
  action: string,
  resource: string,
  context: Record<string, string | string[]> = {},
): Promise<string> {
  const simulation: Simulation = {
    identityPolicies: [{ name: 'under-test', policy }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    request: {
      action,
      principal: `arn:aws:sts::${accountId}:assumed-role/under-test/session`,
      resource: { accountId, resource },
      contextVariables: context,
    },
  } as Simulation;
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') {
    throw new Error(`IAM simulation of ${action} on ${resource} refused: ${JSON.stringify(result.errors)}`);
  }
  return result.overallResult;
}
