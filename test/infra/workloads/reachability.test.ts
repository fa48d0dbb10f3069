import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OfflineRun } from '../../../offline/engine';
import type { NetworkPolicyObject } from '../../../policy/kubernetes/reachability';
import { allowedEdges, compareMatrix, declaredEdges, matrixWorld } from '../../support/reachability-matrix';
import { renderEnvironment, repoRoot, stacks } from '../../support/render';
import { configOf } from './objects';

/** The NetworkPolicies the program rendered before issue 14, recorded by the offline plan. */
const policiesBefore = (stack: string) =>
  JSON.parse(
    readFileSync(join(repoRoot, 'test/fixtures/network-policies', `before-issue-14-${stack}.json`), 'utf8'),
  ) as NetworkPolicyObject[];

describe.each(stacks)('the %s reachability matrix', (stack) => {
  let run: OfflineRun;
  const services = configOf(stack).services;
  beforeAll(async () => {
    run = await renderEnvironment(stack);
  });

  it('allows every edge the catalog declares and nothing else', () => {
    const world = matrixWorld(run, services);
    const allowed = allowedEdges(world);
    const declared = declaredEdges(world, services, 5432);
    expect(compareMatrix(allowed, declared)).toEqual({ blocked: [], undeclared: [] });
    // The matrix is not empty by accident: every service resolves names and the sample's calls hold.
    expect(allowed).toEqual(
      expect.arrayContaining([
        'web → api:8080/TCP',
        'worker → api:8080/TCP',
        'alb → web:8080/TCP',
        'api → database:5432/TCP',
        'worker → api-server:443/TCP',
        'web → kube-dns:53/UDP',
      ]),
    );
  });

  it('gives the worker, the one service with an AWS role, its way to STS and SQS', () => {
    const allowed = allowedEdges(matrixWorld(run, services));
    const toAws = stack === 'dev' ? 'worker → internet:443/TCP' : 'worker → aws-endpoints:443/TCP';
    expect(allowed).toContain(toAws);
    if (stack !== 'dev') expect(allowed).not.toContain('worker → internet:443/TCP');
  });

  it('lets no pod reach instance metadata, the Pod Identity agent, a node or another pod it does not call', () => {
    const allowed = allowedEdges(matrixWorld(run, services));
    expect(allowed.filter((e) => /→ (imds|pod-identity-agent|node|other-pod):/.test(e))).toEqual([]);
  });

  it('failed on the policies rendered before issue 14: the worker was cut off from AWS', () => {
    const world = matrixWorld(run, services, policiesBefore(stack));
    const { blocked, undeclared } = compareMatrix(allowedEdges(world), declaredEdges(world, services, 5432));
    expect(blocked).toContain(
      stack === 'dev' ? 'worker → internet:443/TCP' : 'worker → aws-endpoints:443/TCP',
    );
    // The API server rule named the pods' subnets, so a metrics reader reached any pod and node on 443,
    // and the internet rule left the Pod Identity agent's link-local address open.
    expect(undeclared).toEqual(
      expect.arrayContaining([
        'worker → other-pod:443/TCP',
        'worker → node:443/TCP',
        'api → pod-identity-agent:443/TCP',
      ]),
    );
  });
});
