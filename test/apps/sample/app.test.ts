import type { AddressInfo } from 'node:net';
import { createApp, type SampleApp } from '../../../apps/sample/src/app';

let app: SampleApp;
let base: string;

beforeAll(async () => {
  app = createApp('api');
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => app.server.close(resolve));
});

const get = async (path: string) => {
  const response = await fetch(`${base}${path}`);
  return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
};

describe('the sample service', () => {
  it('answers liveness and readiness while serving', async () => {
    expect(await get('/healthz')).toMatchObject({ status: 200, body: 'ok\n' });
    expect(await get('/readyz')).toMatchObject({ status: 200, body: 'ready\n' });
    expect(JSON.parse((await get('/')).body)).toEqual({ service: 'api' });
  });

  it('exposes request counts by route and status in the Prometheus text format', async () => {
    await get('/healthz');
    await get('/no/such/path');
    const metrics = await get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.type).toBe('text/plain; version=0.0.4');
    expect(metrics.body).toContain('# TYPE http_requests_total counter');
    expect(metrics.body).toMatch(/^http_requests_total\{route="\/healthz",status="200"\} [2-9]\d*$/m);
    expect(metrics.body).toMatch(/^http_requests_total\{route="other",status="404"\} 1$/m);
    expect(metrics.body).not.toContain('/no/such/path');
  });

  it('refuses other methods', async () => {
    const response = await fetch(`${base}/healthz`, { method: 'POST' });
    expect(response.status).toBe(404);
  });

  it('stops being ready but stays live once draining', async () => {
    app.drain();
    expect(await get('/readyz')).toMatchObject({ status: 503, body: 'draining\n' });
    expect((await get('/healthz')).status).toBe(200);
  });
});
