/**
 * Whether a resource belongs to production: its stack (the URN's first segment,
 * `urn:pulumi:<stack>::<project>::…`) is `prod`, or the program tagged it `tier: prod`. The tag covers
 * production stacks with another name, such as a second region.
 */
export function isProduction(urn: string, props: Record<string, unknown>): boolean {
  const stack = /^urn:pulumi:([^:]+)::/.exec(urn)?.[1];
  const tags = props.tags as Record<string, unknown> | undefined;
  return stack === 'prod' || tags?.tier === 'prod';
}
