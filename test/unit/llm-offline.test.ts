import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createOfflineProvider } from '../../src/llm/index.js';
import { llmProviderContract } from '../contract/llm-provider.js';

llmProviderContract({
  name: 'offline',
  scripted: false,
  async setup() {
    return { provider: createOfflineProvider(), requests: () => [], close: async () => {} };
  },
});

describe('offline provider behaviour', () => {
  const offline = createOfflineProvider();

  it('quotes the context sentences that best match the question, in order, deterministically', async () => {
    const request = {
      messages: [
        {
          role: 'user' as const,
          content: [
            'Pilot log: stage-in of file EVNT.123 failed after 3 attempts.',
            'The site storage endpoint returned "connection refused".',
            'Weather in Geneva was sunny.',
            'Why did the stage-in fail?',
          ].join('\n'),
        },
      ],
    };
    const first = await offline.generate(request);
    expect(first.text).toBe('Pilot log: stage-in of file EVNT.123 failed after 3 attempts.');
    expect((await offline.generate(request)).text).toBe(first.text);
  });

  it('says so in one line when nothing matches', async () => {
    const result = await offline.generate({ messages: [{ role: 'user', content: 'What is the capital of Peru?' }] });
    expect(result.text).toBe('Nothing in the information available offline matches this question.');
    expect(result.finishReason).toBe('stop');
  });

  it('answers in text once a tool result is present, and when no tool matches', async () => {
    const tools = [
      {
        name: 'get_job',
        description: 'Look up a PanDA job',
        parameters: { type: 'object', properties: { pandaid: { type: 'integer' } }, required: ['pandaid'] },
      },
    ];
    const afterTool = await offline.generate({
      tools,
      messages: [
        { role: 'user', content: 'status of job 42?' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'get_job', arguments: { pandaid: 42 } }] },
        { role: 'tool', toolCallId: 'c1', content: 'Job 42 status: finished.' },
      ],
    });
    expect(afterTool.toolCalls).toBeUndefined();
    expect(afterTool.text).toBe('Job 42 status: finished.');
    const noMatch = await offline.generate({ tools, messages: [{ role: 'user', content: 'tell me a joke' }] });
    expect(noMatch.toolCalls).toBeUndefined();
    // A matching tool whose required argument is absent is not called either.
    const noId = await offline.generate({ tools, messages: [{ role: 'user', content: 'look up my job' }] });
    expect(noId.toolCalls).toBeUndefined();
  });

  it('reports finishReason error, naming the fields, when it cannot build the object', async () => {
    const result = await offline.generate({
      messages: [{ role: 'user', content: 'summarise the failure' }],
      schema: { name: 'summary', schema: z.object({ headline: z.string(), severity: z.enum(['low', 'high']) }) },
    });
    expect(result.finishReason).toBe('error');
    expect(result.object).toBeUndefined();
    expect(result.text).toBe('The offline provider cannot build summary from this request (no value for headline, severity).');
  });
});
