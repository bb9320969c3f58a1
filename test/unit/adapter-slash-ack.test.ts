import { describe, expect, it } from 'vitest';
import { sendTimedSlash, startSlashBench } from '../contract/slash-ack.js';
import { createDiscordDriver } from '../fakes/discord/driver.js';
import { createMattermostDriver } from '../fakes/mattermost/driver.js';
import { createSlackDriver } from '../fakes/slack/driver.js';

const AGENT_MS = 10_000;

describe('slash command acknowledgement with a 10 s agent', () => {
  it('acknowledges in < 300 ms on every platform, then posts the analysis after the agent finished', async () => {
    const drivers = [await createSlackDriver('socket'), await createSlackDriver('http'), await createMattermostDriver(), await createDiscordDriver()];
    const benches = [];
    for (const driver of drivers) benches.push(await startSlashBench(driver, AGENT_MS));
    try {
      // Commands go out one after the other (each ack measured alone); the four slow agents then
      // run side by side so the test waits for them once.
      // One warm-up command each first (cold connection pools and JIT are not the adapter's ack
      // path); it must still be inside the platforms' 3 s budget.
      for (const [i, bench] of benches.entries()) expect((await sendTimedSlash(bench, String(6_715_819_700 + i))).ackMs).toBeLessThan(3000);
      const pending = [];
      for (const [i, bench] of benches.entries()) {
        pending.push(sendTimedSlash(bench, String(6_715_819_740 + i), AGENT_MS + 10_000));
        await new Promise((resolve) => setTimeout(resolve, 400));
      }
      const timelines = await Promise.all(pending);
      expect(timelines.map((t) => t.platform)).toEqual(['slack-socket', 'slack-http', 'mattermost', 'discord']);
      for (const t of timelines) {
        expect(t.ackMs, `${t.platform} ack`).toBeLessThan(300);
        // Order of events: command sent → acknowledged → agent finishes (10 s later) → analysis posted.
        expect(t.sentAt).toBeLessThan(t.ackAt);
        expect(t.ackAt).toBeLessThan(t.agentDoneAt);
        expect(t.agentDoneAt - t.agentStartedAt).toBeGreaterThanOrEqual(AGENT_MS - 20);
        expect(t.agentDoneAt).toBeLessThanOrEqual(t.analysisPostedAt);
      }
    } finally {
      for (const driver of drivers) await driver.stop();
    }
  }, 45_000);
});
