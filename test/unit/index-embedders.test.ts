import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbedder, openLanceStore } from '../../src/index/index.js';
import { buildTinyModel } from '../fixtures/tiny-model/build-tiny-model.js';

let root: string;
let modelDir: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'askpanda-embed-'));
  modelDir = buildTinyModel(join(root, 'models', 'tiny-bert'), {
    concepts: [
      ['secret', 'secrets', 'token', 'credential', 'password'],
      ['queue', 'queues', 'site', 'sites'],
      ['delete', 'deletion', 'remove', 'purge'],
    ],
    filler: ['how', 'do', 'i', 'my', 'the', 'a', 'to', 'jobs', 'pass', 'are', 'files', 'data', 'old', 'is', 'used', 'by'],
  });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function fakeServer(handler: (path: string, body: Record<string, unknown>) => unknown): Promise<{ url: string; server: Server; calls: string[] }> {
  const calls: string[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => {
      raw += c;
    });
    req.on('end', () => {
      calls.push(req.url ?? '');
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(handler(req.url ?? '', JSON.parse(raw || '{}') as Record<string, unknown>)));
    });
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, calls })));
}

/** A deterministic 3-d embedding of a text, so both fakes return vectors with meaning. */
const vec = (text: string): number[] => [text.includes('secret') ? 1 : 0, text.includes('queue') ? 1 : 0, 0.1];

/** An OpenAI `/v1/embeddings` endpoint answering with `vec` of each input. */
const openAiEmbeddingsFake = () =>
  fakeServer((_path, body) => ({
    object: 'list',
    model: body.model,
    data: (body.input as string[]).map((t, index) => ({ object: 'embedding', index, embedding: vec(t) })),
    usage: { prompt_tokens: 1, total_tokens: 1 },
  }));

describe('transformers.js embedder (tiny ONNX model built by the test)', () => {
  it('loads the local model offline, mean-pools and L2-normalises', async () => {
    const embedder = await createEmbedder({ spec: `transformers:${modelDir}`, transformersAllowRemote: false });
    expect(embedder?.id).toBe(`transformers:${modelDir}`);
    expect(embedder?.dimension).toBe(4);
    const [a, b, c] = (await embedder?.embed(['my secret', 'the token', 'which queue'])) ?? [];
    const norm = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
    expect(norm(a as Float32Array)).toBeCloseTo(1, 5);
    const dot = (x: Float32Array, y: Float32Array) => x.reduce((s, v, i) => s + v * (y[i] ?? 0), 0);
    expect(dot(a as Float32Array, b as Float32Array)).toBeGreaterThan(0.95);
    expect(dot(a as Float32Array, c as Float32Array)).toBeLessThan(0.2);
  });

  it('refuses to download a hub model when remote loading is off', async () => {
    await expect(createEmbedder({ spec: 'transformers:Xenova/no-such-model', transformersCacheDir: join(root, 'empty-cache') })).rejects.toThrow(
      /remote downloads are off/,
    );
  });

  it('hybrid search (BM25 + vectors, RRF) finds a passage that shares no word with the question', async () => {
    const embedder = await createEmbedder({ spec: `transformers:${modelDir}` });
    const store = await openLanceStore({ dir: join(root, 'hybrid'), embedder });
    const lexical = await openLanceStore({ dir: join(root, 'lexical') });
    const chunks = [
      { text: 'Passwords and credential files are handed over with set_secret.', title: 'Secrets', source: 'secrets.md', kind: 'doc' as const },
      { text: 'Old data is purged by the reaper daemon.', title: 'Deletion', source: 'reaper.md', kind: 'doc' as const },
      { text: 'The brokerage picks the sites for the jobs.', title: 'Brokerage', source: 'brokerage.md', kind: 'doc' as const },
    ];
    for (const s of [store, lexical]) await s.replaceSources(chunks.map((c, i) => ({ origin: `o${i}`, chunks: [c] })));
    const question = 'how do I pass my token to jobs?';
    expect((await lexical.search(question)).map((p) => p.source)).not.toContain('secrets.md');
    const hybrid = await store.search(question, { limit: 2 });
    expect(hybrid[0]?.source).toBe('secrets.md');
    expect(store.embedderId).toBe(`transformers:${modelDir}`);
    await store.close();
    await lexical.close();
  });
});

describe('embedding endpoints (protocol fakes on 127.0.0.1)', () => {
  it('OpenAI-compatible /v1/embeddings through the openai SDK', async () => {
    const fake = await openAiEmbeddingsFake();
    const embedder = await createEmbedder({ spec: `openai-compatible:${fake.url}/v1#bge-small`, apiKeys: { OPENAI_API_KEY: 'test-key' } });
    // The server comes from the spec and the model is the part after `#`, as `config check` reads it.
    expect(embedder).toMatchObject({ id: 'openai:bge-small', dimension: 3 });
    const [v] = (await embedder?.embed(['a secret'])) ?? [];
    expect(Array.from(v ?? [])).toEqual([1, 0, expect.closeTo(0.1, 5)]);
    expect(fake.calls.every((c) => c === '/v1/embeddings')).toBe(true);
    fake.server.close();
  });

  it('Ollama /api/embed through the ollama SDK', async () => {
    const fake = await fakeServer((_path, body) => ({ model: body.model, embeddings: (body.input as string[]).map(vec) }));
    const embedder = await createEmbedder({ spec: 'ollama:nomic-embed-text', endpoints: { ollamaHost: fake.url } });
    expect(embedder).toMatchObject({ id: 'ollama:nomic-embed-text', dimension: 3 });
    const [v] = (await embedder?.embed(['which queue'])) ?? [];
    expect(Array.from(v ?? [])).toEqual([0, 1, expect.closeTo(0.1, 5)]);
    expect(fake.calls.every((c) => c === '/api/embed')).toBe(true);
    fake.server.close();
  });

  it('openai embeddings need OPENAI_API_KEY (the config rule); with it, OPENAI_BASE_URL is where they go', async () => {
    const fake = await openAiEmbeddingsFake();
    const spec = 'openai:text-embedding-3-small';
    await expect(createEmbedder({ spec, endpoints: { openaiBaseUrl: `${fake.url}/v1` } })).rejects.toThrow(
      'ASKPANDA_LLM_EMBEDDINGS: openai:text-embedding-3-small needs an API key: set OPENAI_API_KEY in the environment (or use openai-compatible:<url>#<model> for a server without keys).',
    );
    expect(fake.calls).toEqual([]);
    const embedder = await createEmbedder({ spec, endpoints: { openaiBaseUrl: `${fake.url}/v1` }, apiKeys: { OPENAI_API_KEY: 'sk-test' } });
    expect(embedder).toMatchObject({ id: 'openai:text-embedding-3-small', dimension: 3 });
    fake.server.close();
  });

  it('none means lexical only', async () => {
    expect(await createEmbedder({ spec: 'none' })).toBeNull();
  });
});
