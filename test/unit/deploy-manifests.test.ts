/**
 * The multi-machine deployment files (manifests/kubernetes, compose.yaml) set only variables the bot
 * reads, and every credential comes from a Secret (Kubernetes) or from the caller's environment
 * (compose), never from a literal in a file that lives in git.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { API_KEY_VARIABLES, ENV_KEYS } from '../../src/config.js';

const root = new URL('../../', import.meta.url);
const read = (rel: string): string => readFileSync(new URL(rel, root), 'utf8');
const docs = (rel: string): Array<Record<string, unknown>> => parseAllDocuments(read(rel)).map((d) => d.toJS() as Record<string, unknown>);

const known = new Set<string>([...ENV_KEYS.map((k) => k.env), ...API_KEY_VARIABLES]);
const credentials = new Set<string>([...ENV_KEYS.filter((k) => k.secret).map((k) => k.env), ...API_KEY_VARIABLES]);
/** A URL with a password in it (`scheme://user:pass@host`). */
const urlWithPassword = /^[a-z][a-z0-9+.-]*:\/\/[^/@\s]*:[^/@\s]+@/i;

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } };
}
interface Container {
  name: string;
  env?: EnvVar[];
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  ports?: Array<{ name?: string; containerPort: number }>;
  livenessProbe?: { httpGet?: { path: string } };
  readinessProbe?: { httpGet?: { path: string } };
}
interface Workload {
  kind: string;
  metadata: { name: string };
  spec: { replicas?: number; template: { spec: { containers: Container[] } } };
}

const k8sFiles = (parseYaml(read('manifests/kubernetes/kustomization.yaml')) as { resources: string[] }).resources;
const k8s = k8sFiles.flatMap((f) => docs(`manifests/kubernetes/${f}`));
const configMap = k8s.find((d) => d.kind === 'ConfigMap') as { data: Record<string, string> };
const secret = docs('manifests/kubernetes/secret.example.yaml')[0] as { kind: string; metadata: { name: string }; stringData: Record<string, string> };
const workloads = k8s.filter((d) => d.kind === 'Deployment') as unknown as Workload[];
const bot = workloads.find((w) => w.metadata.name === 'askpanda') as Workload;

describe('Kubernetes manifests', () => {
  it('run two replicas of the bot with liveness and readiness on /healthz, environment from the ConfigMap and the Secret', () => {
    expect(bot.spec.replicas).toBe(2);
    const [container] = bot.spec.template.spec.containers;
    expect(container?.livenessProbe?.httpGet?.path).toBe('/healthz');
    expect(container?.readinessProbe?.httpGet?.path).toBe('/healthz');
    expect(container?.envFrom).toEqual([{ configMapRef: { name: 'askpanda-config' } }, { secretRef: { name: secret.metadata.name } }]);
    expect(container?.ports?.[0]?.containerPort).toBe(Number(configMap.data.ASKPANDA_HTTP_PORT));
    expect(secret.kind).toBe('Secret');
  });

  it('set only variables the config schema knows, and no credential in the ConfigMap', () => {
    expect(Object.keys(configMap.data).filter((k) => !known.has(k))).toEqual([]);
    expect(Object.keys(configMap.data).filter((k) => credentials.has(k) || urlWithPassword.test(configMap.data[k] ?? ''))).toEqual([]);
  });

  it('keep every credential in the Secret, which holds nothing the bot does not read', () => {
    const bundledRedis = new Set(['REDIS_PASSWORD']);
    expect(Object.keys(secret.stringData).filter((k) => !known.has(k) && !bundledRedis.has(k))).toEqual([]);
    for (const name of credentials) expect(Object.keys(secret.stringData), `${name} belongs in the Secret`).toContain(name);
    expect(Object.keys(secret.stringData)).toContain('ASKPANDA_REDIS_URL');
  });

  it('give containers credentials only through secretKeyRef, never as literal values', () => {
    for (const w of workloads)
      for (const c of w.spec.template.spec.containers)
        for (const e of c.env ?? []) {
          if (e.value !== undefined) {
            expect(credentials.has(e.name) || /PASSWORD|TOKEN|SECRET|KEY/.test(e.name), `${w.metadata.name}/${e.name}`).toBe(false);
            expect(urlWithPassword.test(e.value)).toBe(false);
          } else expect(e.valueFrom?.secretKeyRef?.name, `${w.metadata.name}/${e.name}`).toBe(secret.metadata.name);
        }
  });
});

describe('compose.yaml', () => {
  const compose = parseYaml(read('compose.yaml'), { merge: true }) as {
    services: Record<string, { environment?: Record<string, string>; depends_on?: string[]; volumes?: string[] }>;
  };
  const bots = Object.entries(compose.services).filter(([name]) => name.startsWith('askpanda'));

  it('runs two bot replicas on one Redis, sharing the index volume', () => {
    expect(bots).toHaveLength(2);
    expect(compose.services.redis).toBeDefined();
    for (const [, s] of bots) {
      expect(s.depends_on).toContain('redis');
      expect(s.environment?.ASKPANDA_REDIS_URL).toMatch(/^redis:\/\/redis:6379/);
      expect(s.volumes).toContain('index:/data/index');
    }
  });

  it('sets only known variables and takes every credential from the caller’s environment', () => {
    for (const [name, s] of bots) {
      const env = s.environment ?? {};
      expect(
        Object.keys(env).filter((k) => !known.has(k)),
        name,
      ).toEqual([]);
      for (const [k, v] of Object.entries(env)) {
        if (credentials.has(k)) expect(v, `${name}/${k}`).toBe(`\${${k}:-}`);
        expect(urlWithPassword.test(v), `${name}/${k}`).toBe(false);
      }
    }
  });
});
