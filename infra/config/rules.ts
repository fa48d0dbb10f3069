import { largestApiAccessAddresses } from './aws-limits';
import { addressesCovered, cidrContains, cidrsOverlap, parseCidr } from './cidr';
import type { PlatformSettings } from './schema';

/** A problem found by a rule: the key path inside the config (e.g. network.azCount) and the message. */
export interface RuleProblem {
  path: (string | number)[];
  message: string;
}

const minimumAzs = { dev: 2, staging: 3, prod: 3 } as const;
const smallestVpcPrefix = 20;
const smallestPrivateSubnetPrefix = 24;
const smallestSubnetPrefix = 28;

/** Rules that span fields or depend on the tier; run only on a config that passed the schema. */
export function checkPlatformRules(config: PlatformSettings): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const { tier, network, cluster } = config;
  const problem = (path: (string | number)[], message: string) => problems.push({ path, message });

  if (network.azCount < minimumAzs[tier]) {
    problem(['network', 'azCount'], `${tier} needs at least ${minimumAzs[tier]} AZs`);
  }
  if (tier !== 'dev' && network.natGateways !== 'perAz') {
    problem(['network', 'natGateways'], `${tier} needs one NAT gateway per AZ (perAz)`);
  }
  const vpc = parseCidr(network.cidr);
  if (vpc.prefix > smallestVpcPrefix || vpc.prefix < 16) {
    problem(['network', 'cidr'], `must be between /16 and /${smallestVpcPrefix}, got /${vpc.prefix}`);
  }
  if (network.subnets) {
    const all: { path: (string | number)[]; cidr: ReturnType<typeof parseCidr> }[] = [];
    const tierNames = ['public', 'private', 'database', 'controlPlane', 'endpoints'] as const;
    for (const tierName of tierNames) {
      const blocks = network.subnets[tierName];
      if (tierName === 'endpoints' && !network.interfaceEndpoints && blocks.length === 0) continue;
      if (blocks.length !== network.azCount) {
        problem(
          ['network', 'subnets', tierName],
          `needs one block per AZ (${network.azCount}), got ${blocks.length}`,
        );
      }
      blocks.forEach((text, index) => {
        const path = ['network', 'subnets', tierName, index];
        const cidr = parseCidr(text);
        const smallest = tierName === 'private' ? smallestPrivateSubnetPrefix : smallestSubnetPrefix;
        if (cidr.prefix > smallest) problem(path, `${text} is too small (at most /${smallest})`);
        if (!cidrContains(vpc, cidr)) problem(path, `${text} is outside the VPC block ${network.cidr}`);
        const clash = all.find((other) => cidrsOverlap(other.cidr, cidr));
        if (clash) problem(path, `${text} overlaps ${clash.path.slice(2).join('.')}`);
        all.push({ path, cidr });
      });
    }
  }
  if (tier === 'prod' && !config.edge.waf) {
    problem(['edge', 'waf'], 'prod needs AWS WAF in front of its internet-facing ALB');
  }
  if (tier === 'prod' && !config.edge.accessLogs) {
    problem(['edge', 'accessLogs'], "prod keeps its ALB's access logs");
  }
  if (tier === 'prod' && cluster.publicAccessCidrs.some((cidr) => parseCidr(cidr).prefix === 0)) {
    problem(['cluster', 'publicAccessCidrs'], 'prod must not open the API endpoint to 0.0.0.0/0');
  } else if (tier === 'prod') {
    // Several wide blocks open it as surely as 0.0.0.0/0 does (0.0.0.0/1 and 128.0.0.0/1).
    const covered = addressesCovered(cluster.publicAccessCidrs.map(parseCidr));
    if (covered > largestApiAccessAddresses) {
      problem(
        ['cluster', 'publicAccessCidrs'],
        `prod must not open the API endpoint to more than a /8 in all; these blocks cover ${covered.toLocaleString('en-US')} addresses`,
      );
    }
  }
  const certificateRegion = config.ingress?.certificateArn.split(':')[3];
  if (certificateRegion !== undefined && certificateRegion !== config.region) {
    problem(
      ['ingress', 'certificateArn'],
      `is a certificate in ${certificateRegion}; the load balancer in ${config.region} can only use one from its own region`,
    );
  }
  cluster.nodeGroups.forEach((group, index) => {
    const path = ['cluster', 'nodeGroups', index];
    if (group.minSize > group.maxSize) {
      problem([...path, 'minSize'], `minSize ${group.minSize} exceeds maxSize ${group.maxSize}`);
    }
    if (group.desiredSize < group.minSize || group.desiredSize > group.maxSize) {
      problem(
        [...path, 'desiredSize'],
        `desiredSize ${group.desiredSize} is outside minSize..maxSize (${group.minSize}..${group.maxSize})`,
      );
    }
    if (tier === 'prod' && group.minSize < network.azCount) {
      problem([...path, 'minSize'], `prod needs at least one node per AZ (${network.azCount})`);
    }
  });
  const names = cluster.nodeGroups.map((group) => group.name);
  names.forEach((name, index) => {
    if (names.indexOf(name) !== index)
      problem(['cluster', 'nodeGroups', index, 'name'], `duplicate "${name}"`);
  });
  return problems;
}
