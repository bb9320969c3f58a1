/**
 * Slack as it behaves (issue 20, mismatch 4), against strict fakes: per-method OAuth scopes, and
 * message events with a `subtype` (file_share, thread_broadcast) that carry real questions.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createSlackHistory } from '../../adapters/slack/history.js';
import { captureLogger, waitFor } from '../contract/wait.js';
import { createSlackDriver, type SlackDriver } from '../fakes/slack/driver.js';
import { createFakeSlackHistory, type FakeSlackHistory } from '../fakes/slack/history-routes.js';
import { ATTACHED_LOG, fileEchoDrivers } from '../support/file-echo.js';

const manifestScopes = (file: string): Set<string> =>
  new Set(
    (parse(readFileSync(new URL(`../../manifests/${file}`, import.meta.url), 'utf8')) as { oauth_config: { scopes: { bot: string[] } } }).oauth_config.scopes
      .bot,
  );

let history: FakeSlackHistory | undefined;
let driver: SlackDriver | undefined;
afterEach(async () => {
  await history?.close();
  await driver?.stop();
  history = undefined;
  driver = undefined;
});

describe('Slack scopes the manifests grant', () => {
  for (const file of ['slack-app.yaml', 'slack-app.dev.yaml']) {
    it(`${file}: ingestion reads a public and a private channel (conversations.info needs channels:read / groups:read)`, async () => {
      history = await createFakeSlackHistory('xoxb-test');
      history.scopes = manifestScopes(file);
      history.channels.set('CPUB', {
        name: 'dast-help',
        is_private: false,
        messages: [{ ts: '1760000000.000100', user: 'U1', text: 'job 42 failed with 1099?' }],
      });
      history.channels.set('GPRIV', { name: 'ops-private', is_private: true, messages: [{ ts: '1760000000.000200', user: 'U1', text: 'queue offline?' }] });
      const slack = createSlackHistory({ apiUrl: history.apiUrl, token: 'xoxb-test' });
      for (const [id, name] of [
        ['CPUB', 'dast-help'],
        ['GPRIV', 'ops-private'],
      ] as const) {
        expect((await slack.channelInfo(id)).name).toBe(name);
        expect((await slack.readThreads(id)).length).toBe(1);
      }
      expect(history.calls.filter((c) => c.method.startsWith('conversations.')).length).toBeGreaterThan(0);
    });
  }
});

/** An Events API envelope as Slack sends it (docs.slack.dev/apis/events-api#callback-field). */
function envelope(d: SlackDriver, event: Record<string, unknown>): Record<string, unknown> {
  return {
    token: 'verification-token',
    team_id: d.fake.teamId,
    api_app_id: 'A0FAKE',
    event: { event_ts: event.ts, ...event },
    type: 'event_callback',
    event_id: `Ev${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: d.fake.teamId, user_id: d.fake.botUserId, is_bot: true }],
  };
}

const LOG = ATTACHED_LOG;

describe('Slack message subtypes that carry a question', () => {
  const start = fileEchoDrivers(() => createSlackDriver('socket'));

  it('a DM with an attached log (message/file_share) is answered, and the adapter hands over the log text', async () => {
    const { d, seen } = await start();
    const file = d.fake.shareFile('pilotlog.txt', LOG);
    const ts = d.fake.nextTs();
    await d.deliver(
      'events_api',
      envelope(d, {
        type: 'message',
        subtype: 'file_share',
        user: 'UALICE',
        text: 'why did job 6715819744 fail? log attached',
        ts,
        channel: 'D0ALICE',
        channel_type: 'im',
        files: [file],
      }),
    );
    await waitFor(() => d.fake.posts.find((p) => p.channel === 'D0ALICE' && p.text.includes('answer to: why did job 6715819744 fail?')), 'the DM answer');
    expect(seen[0]?.files).toEqual([{ name: 'pilotlog.txt', mimeType: 'text/plain', size: LOG.length, text: LOG }]);
    expect(d.fake.downloads).toEqual([{ id: file.id, authorized: true }]);
  });

  it('an @mention posted with a file (only message/file_share, no app_mention) is answered in a thread on it', async () => {
    const { d, seen } = await start();
    const file = d.fake.shareFile('payload.stdout', LOG);
    const ts = d.fake.nextTs();
    await d.deliver(
      'events_api',
      envelope(d, {
        type: 'message',
        subtype: 'file_share',
        user: 'UALICE',
        text: `<@${d.fake.botUserId}> what went wrong here?`,
        ts,
        channel: 'C0GENERAL',
        channel_type: 'channel',
        files: [file],
      }),
    );
    const answer = await waitFor(() => d.fake.posts.find((p) => p.text.includes('answer to: what went wrong here?')), 'the threaded answer');
    expect(answer.thread_ts).toBe(ts);
    expect(seen[0]?.files?.[0]?.text).toBe(LOG);
  });

  it('a thread_broadcast reply in a thread the bot follows is answered as a follow-up in that thread', async () => {
    const { d } = await start();
    const sent = await d.sendMention('why did job 6715819744 fail?');
    const root = sent.conversation.split('/')[1] as string;
    await waitFor(() => d.fake.posts.find((p) => p.thread_ts === root && p.text.includes('answer to: why did job')), 'the first answer');
    await d.deliver(
      'events_api',
      envelope(d, {
        type: 'message',
        subtype: 'thread_broadcast',
        user: 'UALICE',
        text: 'and would a retry help?',
        ts: d.fake.nextTs(),
        thread_ts: root,
        channel: 'C0GENERAL',
        channel_type: 'channel',
        root: { ts: root },
      }),
    );
    const followUp = await waitFor(() => d.fake.posts.find((p) => p.text.includes('answer to: and would a retry help?')), 'the follow-up answer');
    expect(followUp.thread_ts).toBe(root);
  });
});

describe('Slack buttons against the strict fake (Block Kit limits)', () => {
  it('a reply with two buttons for the same job and a long label is accepted (unique action_ids, text ≤ 75)', async () => {
    const d = await createSlackDriver('socket');
    driver = d;
    await d.start(
      async () => ({
        blocks: [{ kind: 'markdown', text: 'Task 45500125: 12 failed jobs.' }],
        actions: [
          { id: 'analyse-job', label: `Analyse job 6715819744 (pilot:1305 ${'x'.repeat(90)})`, value: '6715819744' },
          { id: 'analyse-job', label: 'Analyse job 6715819744 (trf:65)', value: '6715819744' },
        ],
      }),
      captureLogger().logger,
    );
    await d.sendMention('how many jobs of task 45500125 failed?');
    const answer = await waitFor(() => d.posts().find((p) => p.text.includes('12 failed jobs')), 'the answer with its buttons');
    expect(answer.buttons.map((b) => b.id)).toEqual(['analyse-job', 'analyse-job']);
    expect(d.fake.calls.filter((c) => c.method.startsWith('chat.') && c.status !== 200)).toEqual([]);
  });
});
