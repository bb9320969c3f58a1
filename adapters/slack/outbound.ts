import type { App } from '@slack/bolt';
import type { FollowedThreads } from '../../src/contracts/chat.js';
import type { Reply, ReplyAttachment } from '../../src/contracts/reply.js';
import type { Logger } from '../../src/log.js';
import { planAttachments, uploadSafely } from '../shared/attachments.js';
import { WORKING_TEXT } from '../shared/commands.js';
import { renderSlackMessages } from './render.js';

export type SlackClient = App['client'];

export interface SlackTarget {
  channel: string;
  /** Root `ts` of the thread to answer in, or null to answer at the top (DMs). */
  threadTs: string | null;
}

export interface SlackOutbound {
  /** Posts the "working…" placeholder and returns its ts (later replaced by the answer). */
  postWorking(target: SlackTarget): Promise<string | undefined>;
  /** Posts a top-level message (the anchor of a slash-command analysis) and returns its ts. */
  postRoot(channel: string, text: string): Promise<string>;
  /** Posts the reply, then uploads its images in the same thread; the first message replaces the placeholder. */
  deliver(reply: Reply, target: SlackTarget, placeholderTs?: string): Promise<void>;
  /** Posts a reply nobody asked for: at the top of the channel (starting a thread) or in `target.threadTs`; returns the thread ts. */
  post(reply: Reply, target: SlackTarget): Promise<string>;
  /** Shows the reply only to `user` (feedback acknowledgements). */
  deliverEphemeral(reply: Reply, target: SlackTarget, user: string): Promise<void>;
  remove(channel: string, ts: string): Promise<void>;
}

/** files.uploadV2: getUploadURLExternal per file, the bytes POSTed to each URL, then completeUploadExternal into the thread. */
async function uploadSlackFiles(client: SlackClient, files: ReplyAttachment[], target: SlackTarget): Promise<void> {
  await client.files.uploadV2({
    channel_id: target.channel,
    ...(target.threadTs ? { thread_ts: target.threadTs } : {}),
    file_uploads: files.map((f) => ({ file: Buffer.from(f.data), filename: f.filename, title: f.alt, alt_text: f.alt })),
  });
}

export function createSlackOutbound(client: SlackClient, threads: FollowedThreads, logger: Logger): SlackOutbound {
  const follow = (channel: string, ts: string): Promise<void> =>
    threads.follow('slack', `${channel}:${ts}`).catch((error: unknown) => logger.warn({ err: error, channel }, 'slack: could not record the followed thread'));
  const remember = async (target: SlackTarget): Promise<void> => {
    if (target.threadTs) await follow(target.channel, target.threadTs);
  };
  const threadArg = (target: SlackTarget): { thread_ts?: string } => (target.threadTs ? { thread_ts: target.threadTs } : {});

  return {
    async postWorking(target) {
      try {
        const result = await client.chat.postMessage({ channel: target.channel, text: WORKING_TEXT, ...threadArg(target) });
        await remember(target);
        return result.ts;
      } catch (error) {
        logger.warn({ err: error, channel: target.channel }, 'slack: could not post the working message');
        return undefined;
      }
    },
    async postRoot(channel, text) {
      const result = await client.chat.postMessage({ channel, text, unfurl_links: false });
      if (!result.ts) throw new Error('chat.postMessage returned no ts');
      await follow(channel, result.ts);
      return result.ts;
    },
    async deliver(reply, target, placeholderTs) {
      const plan = planAttachments(reply);
      const messages = renderSlackMessages(plan.reply);
      for (const [i, message] of messages.entries()) {
        if (i === 0 && placeholderTs) {
          await client.chat.update({ channel: target.channel, ts: placeholderTs, text: message.text, blocks: message.blocks });
        } else {
          await client.chat.postMessage({ channel: target.channel, text: message.text, blocks: message.blocks, unfurl_links: false, ...threadArg(target) });
        }
      }
      await remember(target);
      await uploadSafely(plan.files, { platform: 'slack', channel: target.channel }, logger, (files) => uploadSlackFiles(client, files, target));
    },
    async post(reply, target) {
      const plan = planAttachments(reply);
      let thread = target.threadTs;
      for (const message of renderSlackMessages(plan.reply)) {
        const result = await client.chat.postMessage({
          channel: target.channel,
          text: message.text,
          blocks: message.blocks,
          unfurl_links: false,
          ...(thread ? { thread_ts: thread } : {}),
        });
        if (!thread) {
          if (!result.ts) throw new Error('chat.postMessage returned no ts');
          thread = result.ts;
        }
      }
      const where = { channel: target.channel, threadTs: thread };
      await remember(where);
      await uploadSafely(plan.files, { platform: 'slack', channel: target.channel }, logger, (files) => uploadSlackFiles(client, files, where));
      return thread as string;
    },
    async deliverEphemeral(reply, target, user) {
      for (const message of renderSlackMessages(reply)) {
        await client.chat.postEphemeral({ channel: target.channel, user, text: message.text, blocks: message.blocks, ...threadArg(target) });
      }
    },
    async remove(channel, ts) {
      try {
        await client.chat.delete({ channel, ts });
      } catch (error) {
        logger.warn({ err: error, channel }, 'slack: could not delete the working message');
      }
    },
  };
}
