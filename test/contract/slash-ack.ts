/**
 * Measures the slash-command acknowledgement against a slow agent: the platform must see the ack
 * long before the (fake) LLM finishes, and the analysis lands afterwards. Used by the unit test and
 * by bench/slash-ack.bench.ts.
 */
import type { ChatAdapterDriver } from './chat-adapter.js';
import { createScriptedCore, type ScriptedCore } from './scripted-core.js';
import { captureLogger, waitFor } from './wait.js';

export interface SlashTimeline {
  platform: string;
  sentAt: number;
  ackAt: number;
  ackMs: number;
  agentStartedAt: number;
  agentDoneAt: number;
  analysisPostedAt: number;
}

export interface SlashBench {
  driver: ChatAdapterDriver;
  core: ScriptedCore;
}

/** Starts the driver with a core whose `/panda-job` takes `agentMs`. */
export async function startSlashBench(driver: ChatAdapterDriver, agentMs: number): Promise<SlashBench> {
  const core = createScriptedCore({ commandDelayMs: agentMs });
  await driver.start(core.handle, captureLogger().logger);
  return { driver, core };
}

/** Sends one `/panda-job <id>` and records when each step happened. */
export async function sendTimedSlash(bench: SlashBench, id: string, waitForAnalysisMs?: number): Promise<SlashTimeline> {
  const { driver, core } = bench;
  const sentAt = performance.now();
  const result = await driver.sendSlashCommand('panda-job', id);
  const call = await waitFor(() => core.calls.find((c) => c.message.command?.args === id), 'the agent call');
  let analysisPostedAt = Number.NaN;
  if (waitForAnalysisMs !== undefined) {
    await waitFor(() => driver.posts().some((p) => p.text.includes(`Job ${id}`)), 'the analysis', waitForAnalysisMs);
    analysisPostedAt = performance.now();
  }
  return {
    platform: driver.name,
    sentAt,
    ackAt: result.ackAt,
    ackMs: result.ackMs,
    agentStartedAt: call.at,
    agentDoneAt: call.doneAt ?? Number.NaN,
    analysisPostedAt,
  };
}
