/**
 * Kubernetes resource quantities as numbers, so the catalog can compare requests with limits and the
 * namespace quota can add services up. Covers the forms the catalog schema admits.
 */
const memoryUnits: Record<string, number> = { Ki: 1 / 1024, Mi: 1, Gi: 1024 };

/** CPU in millicores: `250m` → 250, `1` → 1000, `0.5` → 500. */
export function millicores(quantity: string): number {
  return quantity.endsWith('m') ? Number(quantity.slice(0, -1)) : Number(quantity) * 1000;
}

/** Memory in MiB: `256Mi` → 256, `1Gi` → 1024. */
export function mebibytes(quantity: string): number {
  const match = /^(\d+)(Ki|Mi|Gi)$/.exec(quantity);
  const unit = match ? memoryUnits[match[2] as string] : undefined;
  if (!match || unit === undefined) throw new Error(`not a memory quantity: ${quantity}`);
  return Number(match[1]) * unit;
}
