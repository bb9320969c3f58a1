/**
 * Discord hands attached text files to the core as Slack does (issue 20): a message's
 * `attachments[].url` is downloaded from the CDN's signed URL (no bot token sent there), with the
 * adapters' size cap; a file too large is described, never fatal.
 */
import { describe, expect, it } from 'vitest';
import { MAX_TEXT_FILE_BYTES } from '../../adapters/shared/inbound-files.js';
import { waitFor } from '../contract/wait.js';
import { ATTACHED_LOG, fileEchoDrivers } from '../support/file-echo.js';
import { createDiscordDriver } from '../fakes/discord/driver.js';

const LOG = ATTACHED_LOG;
const start = fileEchoDrivers(() => createDiscordDriver());

describe('Discord: files attached to a message', () => {
  it('a DM that is only a log hands the log text to the core, read from the signed CDN URL without the bot token', async () => {
    const { d, seen } = await start();
    await d.sendDmWithFiles('', [{ name: 'pilotlog.txt', contentType: 'text/plain; charset=utf-8', text: LOG }]);
    await waitFor(() => d.fake.messages.find((m) => m.author.id === d.fake.bot.id && m.content.includes('answer to: (file only)')), 'the DM answer');
    expect(seen[0]?.files).toEqual([{ name: 'pilotlog.txt', mimeType: 'text/plain; charset=utf-8', size: LOG.length, text: LOG }]);
    expect(d.fake.cdnDownloads).toEqual([{ path: expect.stringMatching(/^\/attachments\/\d+\/\d+\/pilotlog\.txt$/), signed: true, authorization: false }]);
  });

  it('a file over the cap is not downloaded and is described; the question is still answered', async () => {
    const { d, seen } = await start();
    await d.sendDmWithFiles('what is in it?', [{ name: 'big.log', contentType: 'text/plain', text: 'x'.repeat(MAX_TEXT_FILE_BYTES + 1) }]);
    await waitFor(() => d.fake.messages.find((m) => m.author.id === d.fake.bot.id && m.content.includes('answer to: what is in it?')), 'the answer');
    expect(seen[0]?.files?.[0]).toMatchObject({ name: 'big.log', skipped: expect.stringMatching(/larger than/) });
    expect(d.fake.cdnDownloads).toEqual([]);
  });

  it('the fake CDN serves an attachment only at its signed URL, as Discord does', async () => {
    const { d } = await start();
    const m = await d.sendDmWithFiles('', [{ name: 'a.log', contentType: 'text/plain', text: 'x' }]);
    const url = String((d.fake.wire(m).attachments as Array<{ url: string }>)[0]?.url);
    expect(await (await fetch(url)).text()).toBe('x');
    expect((await fetch(url.replace(/hm=[0-9a-f]+/, 'hm=00'))).status).toBe(404);
    expect((await fetch(url.split('?')[0] ?? '')).status).toBe(404);
  });
});
