import type { ResourceValidation, ResourceValidationArgs, ReportViolation } from '@pulumi/policy';

/**
 * A validation that only looks at the given Pulumi type tokens and tells the engine it does not apply
 * to anything else, as `validateResourceOfType` does. Matching on the token keeps the provider SDKs
 * (and their start-up cost) out of the analyzer process.
 */
export function forTypes(
  types: readonly string[],
  validate: (props: Record<string, unknown>, args: ResourceValidationArgs, report: ReportViolation) => void,
): ResourceValidation {
  return (args, report) => {
    if (!types.includes(args.type)) args.notApplicable(`applies only to ${types.join(', ')}`);
    validate(args.props, args, report);
  };
}
