import type { Container, PodSpec } from '../../policy/kubernetes/workload';
import { renderEnvironment, type StackName } from '../support/render';
import { candidatesOf, copyOf, type Candidate } from './run-policies';

/**
 * A private copy of a real recorded resource of a stack (the first of its type, or the one with the
 * logical name), to break one property of.
 */
export async function realResource(stack: StackName, type: string, name?: string): Promise<Candidate> {
  const found = candidatesOf(await renderEnvironment(stack)).find(
    (candidate) => candidate.type === type && (name === undefined || candidate.name === name),
  );
  if (!found) throw new Error(`no ${type}${name ? ` named ${name}` : ''} in the ${stack} render`);
  return copyOf(found);
}

/** Every resource of a stack as the engine sees it, copied so a test may drop or change some. */
export async function realStack(stack: StackName): Promise<Candidate[]> {
  return candidatesOf(await renderEnvironment(stack)).map(copyOf);
}

type SecurityContext = NonNullable<Container['securityContext']>;
type Volume = NonNullable<PodSpec['volumes']>[number];

export interface DeploymentParts {
  pod: PodSpec;
  container: Container;
  /** The first container's own security context. */
  security: SecurityContext;
  requests: Record<string, string>;
  limits: Record<string, string>;
  volumes: Volume[];
}

function present<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the recorded Deployment has no ${what}`);
  return value;
}

/** The parts of a recorded Deployment a test breaks, edited in place; fails loudly when one is missing. */
export function partsOf(deployment: Candidate): DeploymentParts {
  const pod = (deployment.props.spec as { template: { spec: PodSpec } }).template.spec;
  const container = present(pod.containers[0], 'container');
  const resources = present(container.resources, 'container resources');
  return {
    pod,
    container,
    security: present(container.securityContext, 'container securityContext'),
    requests: present(resources.requests, 'resource requests') as Record<string, string>,
    limits: present(resources.limits, 'resource limits') as Record<string, string>,
    volumes: present(pod.volumes, 'volumes'),
  };
}

export const deploymentType = 'kubernetes:apps/v1:Deployment';
