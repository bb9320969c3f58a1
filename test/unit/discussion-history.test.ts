import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDiscordHistory } from '../../adapters/discord/history.js';
import { createMattermostHistory } from '../../adapters/mattermost/history.js';
import { createSlackHistory } from '../../adapters/slack/history.js';
import { createDiscussionIngester, syncChannels } from '../../agents/ingest/index.js';
import { createDiscussionIndex } from '../../src/index/discussions.js';
import { type IndexedDocumentStore, openLanceStore } from '../../src/index/index.js';
import { createFakeDiscordHistory, type FakeDcMessage } from '../fakes/discord/history-routes.js';
import { createFakeMattermostHistory, type FakeMmPost } from '../fakes/mattermost/history-routes.js';
import { waitFor } from '../contract/wait.js';
import { createFakeSlackHistory, type FakeSlackHistory, type FakeSlackMessage } from '../fakes/slack/history-routes.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function index() {
  const dir = mkdtempSync(join(tmpdir(), 'askpanda-history-'));
  const store: IndexedDocumentStore = await openLanceStore({ dir: join(dir, 'index') });
  cleanups.push(
    () => rmSync(dir, { recursive: true, force: true }),
    () => store.close(),
  );
  const ingester = createDiscussionIngester({ index: createDiscussionIndex({ store, stateFile: join(dir, 'd.json') }) });
  return { store, ingester };
}

/** `threads` support threads of `size` messages: question, answer, confirmation, then chatter. */
function slackChannel(threads: number, size: number): FakeSlackMessage[] {
  const out: FakeSlackMessage[] = [];
  for (let t = 0; t < threads; t++) {
    const root = `${1_760_000_000 + t * 100}.000100`;
    out.push({ ts: root, user: `UASK${t}`, text: `Task ${44_000_000 + t} fails with pilot error ${1000 + t} at SITE_${t}, why?` });
    for (let r = 1; r < size; r++) {
      const ts = `${1_760_000_000 + t * 100 + r}.000100`;
      const text =
        r === 1
          ? `Error ${1000 + t} at SITE_${t} means the queue QUEUE_${t} ran out of scratch space; retry with --site OTHER_${t}.`
          : r === 2
            ? 'thanks, that fixed it'
            : `note ${r} on ${t}`;
      out.push({ ts, user: r === 2 ? `UASK${t}` : 'UEXPERT', text, thread_ts: root });
    }
  }
  return out;
}

async function slackFake(): Promise<FakeSlackHistory> {
  const fake = await createFakeSlackHistory('xoxb-test');
  cleanups.push(() => fake.close());
  return fake;
}

describe('Slack history backfill and sync', () => {
  it('backfills a channel of 1,000 messages within the rate limit (waits Retry-After, never calls early)', async () => {
    const fake = await slackFake();
    fake.channels.set('CHELP', { name: 'dast-help', is_private: false, messages: slackChannel(100, 10) });
    fake.budget = 40;
    const { store, ingester } = await index();
    const slack = createSlackHistory({ apiUrl: fake.apiUrl, token: 'xoxb-test', pageSize: 60 });
    const [result] = await syncChannels({ channels: [{ platform: 'slack', channelId: 'CHELP' }], sources: { slack }, ingester });
    expect(result?.error).toBeUndefined();
    expect(result).toMatchObject({ threads: 100, ingested: 100, written: 100 });
    expect(result?.decisions.reduce((n, d) => n + (d.prepared ? 1 : 0), 0)).toBe(100);
    expect(fake.calls.filter((c) => c.status === 429).length).toBeGreaterThan(0);
    expect(fake.earlyCalls).toBe(0);
    expect(fake.calls.filter((c) => c.method === 'conversations.history' && c.status === 200).length).toBe(2);
    const hit = await store.search('pilot error 1042 at SITE_42', { kinds: ['discussion'] });
    expect(hit[0]).toMatchObject({ threadId: '1760004200.000100', url: 'https://fake-ws.slack.com/archives/CHELP/p1760004200000100', channel: 'dast-help' });
  });

  it('an edit and a delete on the platform are reflected after one sync; an unchanged re-run writes nothing', async () => {
    const fake = await slackFake();
    const messages = slackChannel(5, 3);
    fake.channels.set('CHELP', { name: 'dast-help', is_private: false, messages });
    const { store, ingester } = await index();
    const slack = createSlackHistory({ apiUrl: fake.apiUrl, token: 'xoxb-test' });
    const channels = [{ platform: 'slack' as const, channelId: 'CHELP' }];
    expect((await syncChannels({ channels, sources: { slack }, ingester }))[0]).toMatchObject({ written: 5, removed: 0 });
    expect((await syncChannels({ channels, sources: { slack }, ingester }))[0]).toMatchObject({ written: 0, unchanged: 5, removed: 0 });
    const answer = messages.find((m) => m.text.startsWith('Error 1002')) as FakeSlackMessage;
    answer.text = 'Error 1002 at SITE_2: the squid proxy FRONTIER_SQUID_77 was misconfigured and has been fixed.';
    answer.edited = { ts: '1760009999.000100', user: 'UEXPERT' };
    const root3 = messages.findIndex((m) => m.text.startsWith('Task 44000003'));
    messages.splice(root3, 1);
    const after = (await syncChannels({ channels, sources: { slack }, ingester }))[0];
    expect(after).toMatchObject({ written: 1, removed: 1 });
    expect((await store.search('FRONTIER_SQUID_77 misconfigured', { kinds: ['discussion'] }))[0]?.text).toContain('FRONTIER_SQUID_77');
    expect((await store.search('pilot error 1003 SITE_3', { kinds: ['discussion'] })).map((p) => p.threadId)).not.toContain('1760000300.000100');
  });
});

describe('Slack history through the WebClient: what is read, and how failures read', () => {
  it('keeps questions, bot messages and thread broadcasts, drops join notices, and flags a private channel', async () => {
    const fake = await slackFake();
    fake.channels.set('GOPS', {
      name: 'ops-private',
      is_private: true,
      messages: [
        { ts: '1760000000.000100', subtype: 'channel_join', user: 'UNEW', text: '<@UNEW> has joined the channel' },
        { ts: '1760000100.000100', user: 'UASK', text: 'Is queue ANALY_X offline?' },
        {
          ts: '1760000101.000100',
          user: 'UEXP',
          text: 'Yes, downtime until noon.',
          thread_ts: '1760000100.000100',
          edited: { ts: '1760000102.000100', user: 'UEXP' },
        },
        { ts: '1760000200.000100', subtype: 'bot_message', bot_id: 'BALERT', username: 'alertbot', text: 'Site BNL draining' },
      ],
    });
    const slack = createSlackHistory({ apiUrl: fake.apiUrl, token: 'xoxb-test', pageSize: 1 });
    const threads = await slack.readThreads('GOPS');
    expect(threads.map((t) => t.threadId)).toEqual(['1760000100.000100', '1760000200.000100']);
    expect(threads[0]?.channel).toEqual({ platform: 'slack', id: 'GOPS', name: 'ops-private', private: true });
    expect(threads[0]?.messages.map((m) => [m.user, m.text, m.edited ?? false])).toEqual([
      ['UASK', 'Is queue ANALY_X offline?', false],
      ['UEXP', 'Yes, downtime until noon.', true],
    ]);
    expect(threads[1]?.messages[0]).toMatchObject({ user: 'BALERT', userDisplay: 'alertbot', text: 'Site BNL draining' });
    expect(threads[1]?.permalink).toBe('https://fake-ws.slack.com/archives/GOPS/p1760000200000100');
  });

  it('a wrong token, an unknown channel, an unreachable API and a rate limit that does not lift are UpstreamErrors naming the method', async () => {
    const fake = await slackFake();
    fake.channels.set('CHELP', { name: 'dast-help', is_private: false, messages: slackChannel(1, 2) });
    await expect(createSlackHistory({ apiUrl: fake.apiUrl, token: 'xoxb-wrong' }).channelInfo('CHELP')).rejects.toMatchObject({
      name: 'UpstreamError',
      code: 'upstream_error',
      message: 'Slack conversations.info failed (invalid_auth).',
    });
    await expect(createSlackHistory({ apiUrl: fake.apiUrl, token: 'xoxb-test' }).readThreads('CNOPE')).rejects.toMatchObject({
      code: 'upstream_error',
      message: 'Slack conversations.info failed (channel_not_found).',
    });
    const closed = await slackFake();
    const closedUrl = closed.apiUrl;
    await closed.close();
    await expect(createSlackHistory({ apiUrl: closedUrl, token: 'xoxb-test', maxRetries: 0 }).channelInfo('CHELP')).rejects.toMatchObject({
      code: 'upstream_unreachable',
      message: expect.stringMatching(/^Slack conversations\.info could not be reached at 127\.0\.0\.1:\d+ \(ECONNREFUSED\)\.$/),
    });
    fake.budget = 0;
    await expect(createSlackHistory({ apiUrl: fake.apiUrl, token: 'xoxb-test', maxRetries: 0 }).channelInfo('CHELP')).rejects.toMatchObject({
      code: 'rate_limited',
      status: 429,
    });
    expect(fake.earlyCalls).toBe(0);
  });

  it('a sync cancelled while the WebClient waits out a Retry-After stops at once with the reason', async () => {
    const fake = await slackFake();
    fake.channels.set('CHELP', { name: 'dast-help', is_private: false, messages: slackChannel(1, 2) });
    fake.budget = 0;
    fake.windowMs = 30_000;
    const controller = new AbortController();
    const reading = createSlackHistory({ apiUrl: fake.apiUrl, token: 'xoxb-test' }).readThreads('CHELP', { signal: controller.signal });
    await waitFor(() => fake.calls.some((c) => c.status === 429), 'a 429 from the fake');
    controller.abort(new Error('ingestion stopped'));
    await expect(reading).rejects.toThrow('ingestion stopped');
    expect(fake.earlyCalls).toBe(0);
  });
});

describe('Mattermost history backfill and sync', () => {
  function mmPosts(threads: number, size: number, channel: string): FakeMmPost[] {
    const out: FakeMmPost[] = [];
    const id = (t: number, r: number) => `p${String(t).padStart(4, '0')}${String(r).padStart(2, '0')}${'x'.repeat(19)}`;
    for (let t = 0; t < threads; t++) {
      for (let r = 0; r < size; r++) {
        const user = r === 0 || r === 2 ? `asker${String(t).padStart(4, '0')}${'a'.repeat(17)}` : `expert${'e'.repeat(20)}`;
        const message =
          r === 0
            ? `Rule for dataset DS_${t} is STUCK at RSE_${t}, what now?`
            : r === 1
              ? `The source replica of DS_${t} at RSE_${t} is lost; declare it bad and the rule re-replicates from TAPE_${t}.`
              : r === 2
                ? 'declared it bad, works now, thanks'
                : `follow-up ${r}`;
        out.push({
          id: id(t, r),
          create_at: 1_760_000_000_000 + t * 100_000 + r * 1000,
          edit_at: 0,
          delete_at: 0,
          user_id: user,
          channel_id: channel,
          root_id: r === 0 ? '' : id(t, 0),
          message,
        });
      }
    }
    return out;
  }

  it('backfills 1,000 posts page by page, honouring X-Ratelimit headers, with the channel privacy', async () => {
    const fake = await createFakeMattermostHistory('mm-token');
    cleanups.push(() => fake.close());
    const channelId = 'privchannel0000000000000000';
    fake.channels.set(channelId, { name: 'adc-shifters-internal', type: 'P', team_id: 'team1' });
    fake.posts.push(...mmPosts(100, 10, channelId));
    fake.budget = 4;
    const { store, ingester } = await index();
    const mattermost = createMattermostHistory({ url: fake.url, token: 'mm-token', perPage: 100 });
    const [result] = await syncChannels({ channels: [{ platform: 'mattermost', channelId }], sources: { mattermost }, ingester });
    expect(result?.error).toBeUndefined();
    expect(result).toMatchObject({ threads: 100, ingested: 100, written: 100 });
    expect(fake.calls.filter((c) => c.path.endsWith('/posts')).length).toBe(11);
    expect(fake.calls.filter((c) => c.status === 429)).toEqual([]);
    expect(fake.earlyCalls).toBe(0);
    const q = 'rule STUCK dataset DS_17 at RSE_17';
    expect(await store.search(q, { kinds: ['discussion'], askedInChannel: { platform: 'mattermost', id: 'otherchannel' } })).toEqual([]);
    const own = await store.search(q, { kinds: ['discussion'], askedInChannel: { platform: 'mattermost', id: channelId } });
    expect(own[0]).toMatchObject({ private: true, url: `${fake.url}/team-team1/pl/p001700xxxxxxxxxxxxxxxxxxx` });
  });

  it('reflects an edited answer and a deleted thread after one sync', async () => {
    const fake = await createFakeMattermostHistory('mm-token');
    cleanups.push(() => fake.close());
    const channelId = 'pubchannel00000000000000000';
    fake.channels.set(channelId, { name: 'adc-rucio-help', type: 'O', team_id: 'team1' });
    fake.posts.push(...mmPosts(4, 3, channelId));
    const { store, ingester } = await index();
    const mattermost = createMattermostHistory({ url: fake.url, token: 'mm-token' });
    const channels = [{ platform: 'mattermost' as const, channelId }];
    expect((await syncChannels({ channels, sources: { mattermost }, ingester }))[0]).toMatchObject({ written: 4 });
    const answer = fake.posts.find((p) => p.message.startsWith('The source replica of DS_1 ')) as FakeMmPost;
    answer.message = 'DS_1: the RSE_1 endpoint had an expired host certificate (HOSTCERT_EXPIRED_99); renewed.';
    answer.edit_at = Date.now();
    for (const p of fake.posts) if (p.id.startsWith('p000200')) p.delete_at = Date.now();
    const after = (await syncChannels({ channels, sources: { mattermost }, ingester }))[0];
    expect(after).toMatchObject({ written: 1, removed: 1, unchanged: 2 });
    expect((await store.search('HOSTCERT_EXPIRED_99', { kinds: ['discussion'] }))[0]?.text).toContain('renewed');
    expect((await store.search('rule STUCK DS_2 RSE_2', { kinds: ['discussion'] })).map((p) => p.threadId)).not.toContain('p000200xxxxxxxxxxxxxxxxxxx');
  });
});

describe('Mattermost history through the SDK client: 429s and errors', () => {
  async function fakeWithChannel() {
    const fake = await createFakeMattermostHistory('mm-token');
    cleanups.push(() => fake.close());
    fake.channels.set('privchannel0000000000000000', { name: 'adc-shifters-internal', type: 'P', team_id: 'team1' });
    fake.posts.push(
      {
        id: 'root0000000000000000000000',
        create_at: 1_760_000_000_000,
        edit_at: 0,
        delete_at: 0,
        user_id: 'asker00000000000000000000a',
        channel_id: 'privchannel0000000000000000',
        root_id: '',
        message: 'Why is my rule stuck?',
      },
      {
        id: 'reply000000000000000000000',
        create_at: 1_760_000_001_000,
        edit_at: 0,
        delete_at: 0,
        user_id: 'expert0000000000000000000e',
        channel_id: 'privchannel0000000000000000',
        root_id: 'root0000000000000000000000',
        message: 'The source replica is lost.',
      },
    );
    return fake;
  }

  it('a 429 is retried after the Retry-After the server sent, never earlier, and the thread comes back whole', async () => {
    const fake = await fakeWithChannel();
    fake.throttleNext = 2;
    const mattermost = createMattermostHistory({ url: fake.url, token: 'mm-token' });
    const threads = await mattermost.readThreads('privchannel0000000000000000');
    expect(fake.calls.filter((c) => c.status === 429).length).toBe(2);
    expect(fake.earlyCalls).toBe(0);
    expect(threads).toHaveLength(1);
    expect(threads[0]).toMatchObject({
      threadId: 'root0000000000000000000000',
      channel: { platform: 'mattermost', id: 'privchannel0000000000000000', name: 'adc-shifters-internal', private: true },
      permalink: `${fake.url}/team-team1/pl/root0000000000000000000000`,
    });
    expect(threads[0]?.messages.map((m) => [m.userDisplay, m.text])).toEqual([
      ['user_asker0', 'Why is my rule stuck?'],
      ['user_expert', 'The source replica is lost.'],
    ]);
  });

  it('server errors become UpstreamError with the HTTP status; a 429 past the retries is rate_limited', async () => {
    const fake = await fakeWithChannel();
    const mattermost = createMattermostHistory({ url: fake.url, token: 'mm-token', maxRetries: 0 });
    await expect(mattermost.channelInfo('nosuchchannel00000000000000')).rejects.toMatchObject({
      name: 'UpstreamError',
      code: 'upstream_error',
      status: 404,
      message: expect.stringContaining('Unable to find the existing channel.'),
    });
    const wrongToken = createMattermostHistory({ url: fake.url, token: 'stale-token' });
    await expect(wrongToken.readThreads('privchannel0000000000000000')).rejects.toMatchObject({ code: 'upstream_error', status: 401 });
    fake.throttleNext = 1;
    await expect(mattermost.channelInfo('privchannel0000000000000000')).rejects.toMatchObject({ code: 'rate_limited', status: 429 });
    const closed = createMattermostHistory({ url: 'http://127.0.0.1:9', token: 'mm-token' });
    await expect(closed.channelInfo('privchannel0000000000000000')).rejects.toMatchObject({ code: 'upstream_unreachable' });
  });
});

describe('Discord history backfill and sync', () => {
  function dcMessages(threads: number, size: number, channel: string): FakeDcMessage[] {
    const out: FakeDcMessage[] = [];
    for (let t = 0; t < threads; t++) {
      const rootId = String(1_300_000_000_000_000_000n + BigInt(t * 100));
      for (let r = 0; r < size; r++) {
        const id = String(1_300_000_000_000_000_000n + BigInt(t * 100 + r));
        const asker = { id: `9000${t}`, username: `asker${t}`, global_name: `Asker Number${t}` };
        const expert = { id: '8000', username: 'expert', global_name: 'Helpful Expert' };
        const content =
          r === 0
            ? `Container image IMG_${t} not found at GPUQUEUE_${t}, why?`
            : r === 1
              ? `IMG_${t} must be on unpacked.cern.ch; GPUQUEUE_${t} cannot pull from private registries.`
              : `chat ${r}`;
        out.push({
          id,
          channel_id: channel,
          author: r === 0 ? asker : expert,
          content,
          timestamp: new Date(1_760_000_000_000 + t * 100_000 + r * 1000).toISOString(),
          edited_timestamp: null,
          ...(r === 0 ? {} : { message_reference: { message_id: r === 1 ? rootId : String(BigInt(id) - 1n) } }),
          ...(r === 1 ? { reactions: [{ emoji: '✅', users: [asker.id] }] } : {}),
        });
      }
    }
    return out;
  }

  it('backfills 1,000 messages with before-pagination inside the bucket limits, then reflects an edit and a delete', async () => {
    const fake = await createFakeDiscordHistory('dc-token');
    cleanups.push(() => fake.close());
    fake.channels.set('4242', { name: 'panda-help', guild_id: '777', private: false });
    fake.messages.push(...dcMessages(100, 10, '4242'));
    fake.budget = 50;
    const { store, ingester } = await index();
    const discord = createDiscordHistory({ apiUrl: fake.apiUrl, token: 'dc-token' });
    const channels = [{ platform: 'discord' as const, channelId: '4242' }];
    const [result] = await syncChannels({ channels, sources: { discord }, ingester });
    expect(result?.error).toBeUndefined();
    expect(result).toMatchObject({ threads: 100, ingested: 100, written: 100 });
    expect(fake.calls.filter((c) => c.path.endsWith('/messages')).length).toBe(11);
    expect(fake.calls.filter((c) => c.status === 429)).toEqual([]);
    expect(fake.earlyCalls).toBe(0);
    const rootId = String(1_300_000_000_000_000_000n + 4200n);
    expect((await store.search('image IMG_42 not found GPUQUEUE_42', { kinds: ['discussion'] }))[0]).toMatchObject({
      threadId: rootId,
      url: `https://discord.com/channels/777/4242/${rootId}`,
    });
    const answer = fake.messages.find((m) => m.content.startsWith('IMG_7 must')) as FakeDcMessage;
    answer.content = 'IMG_7 is fine now: the UNPACKED_SYNC_LAG_31 delay is over.';
    answer.edited_timestamp = new Date().toISOString();
    fake.messages.splice(0, fake.messages.length, ...fake.messages.filter((m) => !m.id.startsWith(String(1_300_000_000_000_000_000n + 900n).slice(0, -2))));
    fake.budget = Number.POSITIVE_INFINITY;
    const after = (await syncChannels({ channels, sources: { discord }, ingester }))[0];
    expect(after).toMatchObject({ written: 1, removed: 1 });
    expect((await store.search('UNPACKED_SYNC_LAG_31', { kinds: ['discussion'] }))[0]?.text).toContain('delay is over');
  });
});
