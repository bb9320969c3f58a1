import { describe, expect, it } from 'vitest';
import { createFakeLlm } from '../doubles/fake-llm.js';

describe('createFakeLlm', () => {
  it('returns scripted results in order, logs calls and refuses unscripted calls', async () => {
    const llm = createFakeLlm({
      results: [{ text: 'first' }, (req) => ({ text: `echo ${req.messages.at(-1)?.content}` }), new Error('boom')],
    });
    expect((await llm.generate({ messages: [{ role: 'user', content: 'a' }] })).text).toBe('first');
    const second = await llm.generate({ messages: [{ role: 'user', content: 'b' }] });
    expect(second.text).toBe('echo b');
    expect(second.model).toBe('fake:model');
    await expect(llm.generate({ messages: [] })).rejects.toThrow('boom');
    await expect(llm.generate({ messages: [] })).rejects.toThrow(/not implemented/);
    expect(llm.calls.map((c) => c.messages[0]?.content)).toEqual(['a', 'b', undefined, undefined]);
  });

  it('streams the scripted text as deltas ending with done', async () => {
    const llm = createFakeLlm({ results: [{ text: 'two words', usage: { inputTokens: 3, outputTokens: 2 } }] });
    const deltas = [];
    for await (const d of llm.stream({ messages: [{ role: 'user', content: 'x' }] })) deltas.push(d);
    expect(
      deltas
        .filter((d) => d.type === 'text')
        .map((d) => (d.type === 'text' ? d.text : ''))
        .join(''),
    ).toBe('two words');
    expect(deltas.at(-1)).toMatchObject({ type: 'done', usage: { inputTokens: 3, outputTokens: 2 }, finishReason: 'stop' });
  });
});
