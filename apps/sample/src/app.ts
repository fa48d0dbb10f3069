import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { RequestMetrics } from './metrics';

/**
 * Liveness says the process is alive; readiness says it should get traffic. They differ while the
 * server drains: a stopping pod reports not ready (so the load balancer forgets it) yet stays live.
 */
export interface SampleApp {
  server: Server;
  /** Stops taking new traffic: readiness fails from now on. */
  drain(): void;
}

export function createApp(serviceName: string): SampleApp {
  const metrics = new RequestMetrics();
  let draining = false;

  const routes: Record<string, (res: ServerResponse) => number> = {
    '/healthz': (res) => send(res, 200, 'text/plain', 'ok\n'),
    '/readyz': (res) =>
      draining ? send(res, 503, 'text/plain', 'draining\n') : send(res, 200, 'text/plain', 'ready\n'),
    '/metrics': (res) => send(res, 200, 'text/plain; version=0.0.4', metrics.render()),
    '/': (res) => send(res, 200, 'application/json', `${JSON.stringify({ service: serviceName })}\n`),
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const handler = req.method === 'GET' ? routes[path] : undefined;
    const status = handler ? handler(res) : send(res, 404, 'text/plain', 'not found\n');
    // Unknown paths share one label, so a scanner cannot blow up the metric's cardinality.
    metrics.record(handler ? path : 'other', status);
  });
  return { server, drain: () => (draining = true) };
}

function send(res: ServerResponse, status: number, contentType: string, body: string): number {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(body);
  return status;
}
