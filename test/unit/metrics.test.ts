import { afterEach, describe, expect, it } from 'vitest';
import { createMetricsRegistry, metricsHandler } from '../../src/http/metrics.js';
import { createHttpServer, type HttpServer } from '../../src/http/server.js';
import { createLogger } from '../../src/log.js';

let server: HttpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('Prometheus metrics', () => {
  it('renders counters, gauges and cumulative histograms in the text format', () => {
    const m = createMetricsRegistry();
    const messages = m.counter('askpanda_messages_total', 'Messages handled.');
    messages.inc({ platform: 'slack', intent: 'job', outcome: 'ok' });
    messages.inc({ outcome: 'ok', intent: 'job', platform: 'slack' }, 2);
    messages.inc({ platform: 'discord', intent: 'docs', outcome: 'error' });
    m.gauge('askpanda_adapter_up', 'Adapter connected.').set({ adapter: 'mat"ter\nmost' }, 1);
    const h = m.histogram('askpanda_message_duration_seconds', 'Latency.', [0.1, 1, 10]);
    h.observe({ platform: 'slack' }, 0.05);
    h.observe({ platform: 'slack' }, 0.5);
    h.observe({ platform: 'slack' }, 20);
    const text = m.render();
    expect(text).toContain('# HELP askpanda_messages_total Messages handled.\n# TYPE askpanda_messages_total counter\n');
    expect(text).toContain('askpanda_messages_total{intent="job",outcome="ok",platform="slack"} 3\n');
    expect(text).toContain('askpanda_messages_total{intent="docs",outcome="error",platform="discord"} 1\n');
    expect(text).toContain('askpanda_adapter_up{adapter="mat\\"ter\\nmost"} 1\n');
    expect(text).toContain('askpanda_message_duration_seconds_bucket{platform="slack",le="0.1"} 1\n');
    expect(text).toContain('askpanda_message_duration_seconds_bucket{platform="slack",le="1"} 2\n');
    expect(text).toContain('askpanda_message_duration_seconds_bucket{platform="slack",le="10"} 2\n');
    expect(text).toContain('askpanda_message_duration_seconds_bucket{platform="slack",le="+Inf"} 3\n');
    expect(text).toContain('askpanda_message_duration_seconds_sum{platform="slack"} 20.55\n');
    expect(text).toContain('askpanda_message_duration_seconds_count{platform="slack"} 3\n');
    expect(() => m.counter('bad-name', 'x')).toThrow(/invalid metric name/);
  });

  it('serves /metrics on the HTTP server, refreshing gauges first', async () => {
    const m = createMetricsRegistry();
    const up = m.gauge('askpanda_redis_up', 'Redis answered.');
    let calls = 0;
    server = createHttpServer({ host: '127.0.0.1', port: 0, logger: createLogger({ level: 'silent' }) });
    server.route(
      'GET',
      '/metrics',
      metricsHandler(m, async () => {
        calls += 1;
        up.set({}, calls);
      }),
    );
    const { port } = await server.listen();
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    expect(await res.text()).toContain('askpanda_redis_up 1\n');
    expect(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()).toContain('askpanda_redis_up 2\n');
  });
});
