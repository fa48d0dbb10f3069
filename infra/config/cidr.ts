/** IPv4 CIDR arithmetic for validating and carving the VPC's address space. */
export interface Cidr {
  base: number;
  prefix: number;
}

export function parseCidr(text: string): Cidr {
  const [address, prefixText] = text.split('/');
  const octets = (address ?? '').split('.').map(Number);
  const prefix = Number(prefixText);
  const valid =
    octets.length === 4 &&
    octets.every((o) => Number.isInteger(o) && o >= 0 && o <= 255) &&
    Number.isInteger(prefix) &&
    prefix >= 0 &&
    prefix <= 32;
  if (!valid) throw new Error(`"${text}" is not an IPv4 CIDR block`);
  const base = octets.reduce((acc, o) => acc * 256 + o, 0);
  if (base % 2 ** (32 - prefix) !== 0) throw new Error(`"${text}" has host bits set`);
  return { base, prefix };
}

export function formatCidr({ base, prefix }: Cidr): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256);
  return `${octets.join('.')}/${prefix}`;
}

const size = (c: Cidr) => 2 ** (32 - c.prefix);

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.base < b.base + size(b) && b.base < a.base + size(a);
}

export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return inner.base >= outer.base && inner.base + size(inner) <= outer.base + size(outer);
}

/** The index-th block of the given prefix inside parent. */
export function subnetOf(parent: Cidr, prefix: number, index: number): Cidr {
  const cidr = { base: parent.base + index * 2 ** (32 - prefix), prefix };
  if (prefix < parent.prefix || !cidrContains(parent, cidr)) {
    throw new Error(`block ${index} of /${prefix} does not fit in ${formatCidr(parent)}`);
  }
  return cidr;
}

/** How many addresses the blocks cover together, overlaps counted once. */
export function addressesCovered(blocks: Cidr[]): number {
  const ranges = blocks.map((c) => [c.base, c.base + size(c)] as const).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -1;
  for (const [start, stop] of ranges) {
    if (stop <= end) continue;
    total += stop - Math.max(start, end);
    end = stop;
  }
  return total;
}
