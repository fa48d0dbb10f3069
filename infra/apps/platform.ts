import * as pulumi from '@pulumi/pulumi';
import {
  parsePlatformOutputs,
  platformOutputNames,
  platformStackName,
  type PlatformOutputs,
} from '../outputs';

/**
 * Reads the platform stack of the same name through a StackReference and parses its outputs once,
 * before the apps register anything. A platform stack that has not been deployed (no outputs) or that
 * predates an output fails here, naming the stack and the output, rather than deep in a resource.
 */
export async function readPlatformOutputs(): Promise<{ stack: string; outputs: PlatformOutputs }> {
  const stack = platformStackName(pulumi.getOrganization(), pulumi.getStack());
  const reference = new pulumi.StackReference('platform', { name: stack });
  const values: Record<string, unknown> = {};
  for (const name of platformOutputNames) {
    const details = await reference.getOutputDetails(name);
    values[name] = details.value ?? details.secretValue;
  }
  return { stack, outputs: parsePlatformOutputs(stack, values) };
}
