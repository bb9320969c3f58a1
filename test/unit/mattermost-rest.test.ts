/**
 * The Mattermost adapter's REST calls go through the SDK client (Client4) and one rate-limit wrapper,
 * and the fake refuses what a Mattermost server refuses: a thread reply to a post that is not a root
 * of the channel, a message over 16,383 runes, editing another user's post, a channel without
 * permission, a wrong token; a 429 is waited out for the Retry-After it carries.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMattermostRest, type MattermostRest } from '../../adapters/mattermost/rest.js';
import { UpstreamError } from '../../src/errors.js';
import { captureLogger } from '../contract/wait.js';
import { createFakeMattermost, type FakeMattermost, MAX_POST_RUNES } from '../fakes/mattermost/fake-mattermost.js';

const TOKEN = 'rest-test-token';
const CHANNEL = 'chan0000000000000000general';
const OTHER = 'chan00000000000000000000other';

let fake: FakeMattermost;
let rest: MattermostRest;
beforeEach(async () => {
  fake = await createFakeMattermost(TOKEN);
  fake.addChannel({ id: CHANNEL, type: 'O', name: 'panda-help', team_id: 'team' });
  fake.addChannel({ id: OTHER, type: 'O', name: 'elsewhere', team_id: 'team' });
  rest = createMattermostRest({ url: fake.url, token: TOKEN, logger: captureLogger().logger, maxRetries: 2 });
});
afterEach(async () => {
  await fake.close();
});

/** The UpstreamError a call rejects with (fails the test when it resolves). */
async function refusal(call: Promise<unknown>): Promise<UpstreamError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UpstreamError);
  return error as UpstreamError;
}

describe('Mattermost REST through Client4 against a strict fake', () => {
  it('posts a root and a reply in its thread, edits and deletes its own post', async () => {
    const root = await rest.createPost({ channel_id: CHANNEL, message: 'root' });
    const reply = await rest.createPost({ channel_id: CHANNEL, root_id: root.id, message: 'in the thread' });
    expect(reply.root_id).toBe(root.id);
    await rest.patchPost(reply.id, { message: 'edited' });
    expect(fake.posts.find((p) => p.id === reply.id)?.message).toBe('edited');
    await rest.deletePost(reply.id);
    expect(fake.posts.map((p) => p.id)).toEqual([root.id]);
    expect((await rest.me()).username).toBe('askpanda');
  });

  it('a reply to a reply, to an unknown post or to a root of another channel is a 400', async () => {
    const root = await rest.createPost({ channel_id: CHANNEL, message: 'root' });
    const reply = await rest.createPost({ channel_id: CHANNEL, root_id: root.id, message: 'reply' });
    for (const post of [
      { channel_id: CHANNEL, root_id: reply.id, message: 'reply to a reply' },
      { channel_id: CHANNEL, root_id: 'nosuchpost0000000000000000', message: 'unknown root' },
      { channel_id: OTHER, root_id: root.id, message: 'root of another channel' },
    ])
      expect((await refusal(rest.createPost(post))).status).toBe(400);
    expect(fake.posts).toHaveLength(2);
  });

  it('the size limit counts runes: 16,383 emoji pass, one more is a 400, also for an edit', async () => {
    const longest = '🐼'.repeat(MAX_POST_RUNES);
    const post = await rest.createPost({ channel_id: CHANNEL, message: longest });
    expect(fake.posts.find((p) => p.id === post.id)?.message).toBe(longest);
    expect((await refusal(rest.createPost({ channel_id: CHANNEL, message: `${longest}!` }))).status).toBe(400);
    expect((await refusal(rest.patchPost(post.id, { message: `${longest}!` }))).status).toBe(400);
  });

  it("another user's post cannot be edited or deleted; a channel without permission and a wrong token are refused", async () => {
    const alice = fake.userPost({ user_id: 'alice0000000000000000000aa', channel_id: CHANNEL, message: 'mine' });
    expect((await refusal(rest.patchPost(alice.id, { message: 'changed' }))).status).toBe(403);
    expect((await refusal(rest.deletePost(alice.id))).status).toBe(403);
    expect(fake.posts.find((p) => p.id === alice.id)?.message).toBe('mine');
    fake.botMemberOf = new Set([CHANNEL]);
    expect((await refusal(rest.createPost({ channel_id: OTHER, message: 'not a member' }))).status).toBe(403);
    expect((await refusal(rest.createPost({ channel_id: 'unknownchannel000000000000', message: 'no such channel' }))).status).toBe(403);
    const stranger = createMattermostRest({ url: fake.url, token: 'wrong', logger: captureLogger().logger });
    expect((await refusal(stranger.me())).status).toBe(401);
  });

  it('a 429 on a post is retried once its Retry-After has passed, never earlier', async () => {
    fake.rateLimitNextPost(1);
    const post = await rest.createPost({ channel_id: CHANNEL, message: 'after the limit' });
    const posts = fake.requests.filter((r) => r.method === 'POST' && r.path === '/api/v4/posts');
    expect(posts.map((r) => r.status)).toEqual([429, 200]);
    expect((posts[1]?.at ?? 0) - (posts[0]?.at ?? 0)).toBeGreaterThanOrEqual(1000);
    expect(fake.posts.map((p) => p.id)).toEqual([post.id]);
  });

  it('a rate limit that does not lift within the retries is a rate_limited error', async () => {
    const limited = createMattermostRest({ url: fake.url, token: TOKEN, logger: captureLogger().logger, maxRetries: 0 });
    fake.rateLimitNextPost(1);
    const error = await refusal(limited.createPost({ channel_id: CHANNEL, message: 'too soon' }));
    expect([error.code, error.status]).toEqual(['rate_limited', 429]);
    expect(fake.posts).toHaveLength(0);
  });
});
