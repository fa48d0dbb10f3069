import { offlineAccountId } from '../../offline/cloud';
import type { OfflineRun, RecordedResource } from '../../offline/engine';
import { readStackFiles } from '../../offline/stack-files';
import { repoRoot } from './render';

/** Every recorded resource of a type, such as `aws:ec2/subnet:Subnet`. */
export function ofType(run: OfflineRun, type: string): RecordedResource[] {
  return run.resources.filter((resource) => resource.type === type);
}

/** The one resource of a type and logical name; fails loudly when it is missing. */
export function named(run: OfflineRun, type: string, name: string): RecordedResource {
  const found = run.resources.find((resource) => resource.type === type && resource.name === name);
  if (!found) throw new Error(`no ${type} named ${name} in the ${run.stack} render`);
  return found;
}

/** The region the stack file sets (`aws:region`). */
export function regionOf(stack: string): string {
  const region = readStackFiles(repoRoot, stack).config['aws:region'];
  if (!region) throw new Error(`Pulumi.${stack}.yaml sets no aws:region`);
  return region;
}

/** The ARN the offline engine gives a recorded KMS key. */
export function kmsKeyArn(run: OfflineRun, logicalName: string): string {
  const key = named(run, 'aws:kms/key:Key', logicalName);
  return `arn:aws:kms:${regionOf(run.stack)}:${offlineAccountId}:key/${key.id}`;
}

/** Parses a JSON document (an IAM policy, a lifecycle policy) recorded as a string input. */
export function jsonInput(resource: RecordedResource, input: string): Record<string, unknown> {
  const text = resource.inputs[input];
  if (typeof text !== 'string') throw new Error(`${resource.name}.${input} is not a JSON string`);
  return JSON.parse(text) as Record<string, unknown>;
}
