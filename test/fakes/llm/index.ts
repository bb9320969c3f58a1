/** Protocol-level LLM fakes on 127.0.0.1 for the real vendor SDKs. */
export { startFakeAnthropic } from './anthropic.js';
export { startFakeGemini } from './gemini.js';
export { startFakeMistral } from './mistral.js';
export { startFakeOllama } from './ollama.js';
export { startFakeOpenAI } from './openai.js';
export type { FakeReply, FakeScript, FakeServer, FakeServerOptions, RecordedRequest } from './server.js';
export { fakeEmbedding } from './server.js';
