/**
 * Request counters in the Prometheus text exposition format: enough for a scrape to see traffic and
 * errors by route, with no client library.
 */
export class RequestMetrics {
  private readonly counts = new Map<string, number>();
  private readonly startedAt = Date.now();

  record(route: string, status: number): void {
    const key = `route="${route}",status="${status}"`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  render(): string {
    const lines = [
      '# HELP http_requests_total HTTP requests served, by route and status.',
      '# TYPE http_requests_total counter',
      ...[...this.counts.entries()]
        .sort()
        .map(([labels, count]) => `http_requests_total{${labels}} ${count}`),
      '# HELP process_uptime_seconds Seconds since the server started.',
      '# TYPE process_uptime_seconds gauge',
      `process_uptime_seconds ${Math.floor((Date.now() - this.startedAt) / 1000)}`,
    ];
    return `${lines.join('\n')}\n`;
  }
}
