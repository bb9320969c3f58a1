/**
 * Discord as it behaves (issue 20, mismatch 1), against the strict fake: the fake answers 400
 * COMPONENT_CUSTOM_ID_DUPLICATED like Discord when two buttons of one message share a custom_id.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/contracts/reply.js';
import { captureLogger, waitFor } from '../contract/chat-adapter.js';
import { createDiscordDriver, type DiscordDriver } from '../fakes/discord/driver.js';
import { PERMISSION } from '../fakes/discord/fake-discord.js';

/** The permission integer the setup page tells admins to invite the bot with. */
function documentedPermissions(): bigint {
  const page = readFileSync(new URL('../../manifests/discord/application.md', import.meta.url), 'utf8');
  const m = /permissions\*\* \(integer `(\d+)`\)/.exec(page);
  if (!m?.[1]) throw new Error('manifests/discord/application.md names no permission integer');
  return BigInt(m[1]);
}

const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

let driver: DiscordDriver | undefined;
afterEach(async () => {
  await driver?.stop();
  driver = undefined;
});

/** An error summary where one job carries both a pilot and a transform code: two buttons for the same job. */
const errorSummary: Reply = {
  blocks: [{ kind: 'markdown', text: 'Task 45500125: 12 failed jobs. Most common: pilot 1305 and trf 65 on job 6715819744.' }],
  actions: [
    { id: 'analyse-job', label: 'Analyse job 6715819744 (pilot:1305)', value: '6715819744' },
    { id: 'analyse-job', label: 'Analyse job 6715819744 (trf:65)', value: '6715819744' },
  ],
};

describe('Discord buttons against the strict fake', () => {
  it('a reply with two buttons for the same job is accepted (unique custom_ids) and each button still names the job', async () => {
    driver = await createDiscordDriver();
    await driver.start(async () => errorSummary, captureLogger().logger);
    await driver.sendMention('how many jobs of task 45500125 failed?');
    const answer = await waitFor(() => driver?.posts().find((p) => p.text.includes('12 failed jobs')), 'the answer with its buttons');
    expect(driver.fake.rejected).toEqual([]);
    expect(answer.buttons).toHaveLength(2);
    const ids = driver.fake.messages.find((m) => m.id === answer.id)?.components.flatMap((r) => r.components.map((b) => b.custom_id)) ?? [];
    expect(new Set(ids).size).toBe(2);
    expect(driver.posts().some((p) => p.text.includes('Working on it'))).toBe(false);
  });
});

describe('Discord permissions the setup page grants', () => {
  it('a bot invited with the documented integer can open the thread, answer in it and upload the chart (Attach Files, 1<<15)', async () => {
    driver = await createDiscordDriver();
    driver.fake.permissions = documentedPermissions();
    expect(driver.fake.permissions & PERMISSION.attachFiles).toBe(PERMISSION.attachFiles);
    const reply: Reply = {
      blocks: [{ kind: 'markdown', text: 'Task 4242: 17 jobs failed.' }],
      attachments: [{ kind: 'image', filename: 'failures.png', mimeType: 'image/png', data: new Uint8Array(PNG_1X1), alt: 'chart' }],
    };
    await driver.start(async () => reply, captureLogger().logger);
    const sent = await driver.sendMention('chart of task 4242 failures');
    const chart = await waitFor(() => driver?.fake.messages.find((m) => m.attachments?.some((a) => a.filename === 'failures.png')), 'the chart in the thread');
    expect(chart.channel_id).toBe(sent.conversation);
    expect(driver.fake.requests.filter((r) => r.status === 403)).toEqual([]);
  });
});
