import { configPathEntries } from '../../../action/src/preview/config-paths';

test('nested values become --path keys and stay strings or JSON scalars, never [object Object]', () => {
  expect(
    configPathEntries('slipway:services', {
      api: { imageTag: 'f3c9a1b', replicas: 3, env: { LOG_LEVEL: 'debug' } },
      'web.v2': { ingress: { hosts: ['a.example.com', 'b.example.com'] }, canary: false },
    }),
  ).toEqual([
    ['slipway:services.api.imageTag', 'f3c9a1b'],
    ['slipway:services.api.replicas', '3'],
    ['slipway:services.api.env.LOG_LEVEL', 'debug'],
    ['slipway:services["web.v2"].ingress.hosts[0]', 'a.example.com'],
    ['slipway:services["web.v2"].ingress.hosts[1]', 'b.example.com'],
    ['slipway:services["web.v2"].canary', 'false'],
  ]);
  for (const [, value] of configPathEntries('k', { a: { b: { c: {} } }, d: [{ e: null }] }))
    expect(value).not.toContain('[object');
});
