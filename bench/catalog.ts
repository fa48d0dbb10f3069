import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

type Catalog = Record<string, Record<string, unknown>>;
type StackServices = Record<string, Record<string, unknown>>;

/**
 * A catalog of `count` services made from the sample catalog: group g holds a copy of each sample
 * service named `<name>-g`, calling the copies in its own group, each ingress on its own path; plus
 * the stack overrides prod requires for each (replicas) and a namespace budget they fit in.
 */
export function generateCatalog(
  projectDir: string,
  count: number,
): { catalog: Catalog; overrides: StackServices; quota: Record<string, unknown> } {
  // `dataStores` is the catalog's reserved key for shared stores, not a service: kept once, never copied.
  const { dataStores, ...sample } = parse(readFileSync(join(projectDir, 'services.yaml'), 'utf8')) as Catalog;
  const templates = Object.keys(sample);
  const names = Array.from(
    { length: count },
    (_, i) => `${templates[i % templates.length]}-${Math.floor(i / templates.length)}`,
  );
  const declared = new Set(names);
  const catalog: Catalog = dataStores ? { dataStores } : {};
  const overrides: StackServices = {};
  names.forEach((name, i) => {
    const group = Math.floor(i / templates.length);
    const template = sample[templates[i % templates.length] as string] as Record<string, unknown>;
    const calls = ((template.calls as string[] | undefined) ?? [])
      .map((callee) => `${callee}-${group}`)
      .filter((callee) => declared.has(callee));
    // The host comes from slipway.yaml's environment domain unless the catalog names one.
    const ingress = template.ingress as { host?: string; path: string } | undefined;
    catalog[name] = {
      ...template,
      calls,
      ...(ingress
        ? { ingress: { ...ingress, path: `/${name}${ingress.path === '/' ? '' : ingress.path}` } }
        : {}),
    };
    overrides[name] = { replicas: 2 };
  });
  // A namespace budget that grows with the catalog: no sample service peaks above 12 pods, 3 CPUs and
  // 3Gi of requests, 12 CPUs and 6Gi of limits.
  const quota = {
    pods: count * 12,
    requestsCpu: String(count * 3),
    requestsMemory: `${count * 3}Gi`,
    limitsCpu: String(count * 12),
    limitsMemory: `${count * 6}Gi`,
  };
  return { catalog, overrides, quota };
}
