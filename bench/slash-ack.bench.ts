/**
 * Slash-command acknowledgement while the agent takes 10 s: the worst and the median
 * acknowledgement time the fake platforms see over five /panda-job commands each on Slack (Socket
 * Mode and HTTP), Mattermost and Discord.
 */
import type { ChatAdapterDriver } from '../test/contract/chat-adapter.js';

export const figures = ['slash-ack-ms', 'slash-ack-ms-median'];

export async function run(): Promise<void> {
  // Imported here, not at the top: the runner imports every bench module to read `figures`, and
  // discord.js must not load in a process where vega-lite has patched Set.prototype.toJSON.
  const { sendTimedSlash, startSlashBench } = await import('../test/contract/slash-ack.js');
  const { createSlackDriver } = await import('../test/fakes/slack/driver.js');
  const { createMattermostDriver } = await import('../test/fakes/mattermost/driver.js');
  const { createDiscordDriver } = await import('../test/fakes/discord/driver.js');
  const makers: Array<() => Promise<ChatAdapterDriver>> = [
    () => createSlackDriver('socket'),
    () => createSlackDriver('http'),
    createMattermostDriver,
    createDiscordDriver,
  ];
  const acks: number[] = [];
  for (const make of makers) {
    const bench = await startSlashBench(await make(), 10_000);
    for (let i = 0; i < 5; i += 1) acks.push((await sendTimedSlash(bench, String(6_715_819_700 + i))).ackMs);
    await bench.driver.stop();
  }
  acks.sort((a, b) => a - b);
  console.log(`BENCH slash-ack-ms ${Math.round(acks[acks.length - 1] ?? Number.NaN)} ms`);
  console.log(`BENCH slash-ack-ms-median ${Math.round(acks[Math.floor(acks.length / 2)] ?? Number.NaN)} ms`);
  // Agents still "thinking" would keep the process alive for 10 s more.
  process.exit(0);
}
