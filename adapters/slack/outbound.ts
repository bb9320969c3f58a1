import type { App } from '@slack/bolt';
import type { Reply } from '../../src/contracts/reply.js';
import type { Logger } from '../../src/log.js';
import { WORKING_TEXT } from '../shared/commands.js';
import type { RecentSet } from '../shared/recent-set.js';
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
  /** Posts the reply; the first message replaces the placeholder when there is one. */
  deliver(reply: Reply, target: SlackTarget, placeholderTs?: string): Promise<void>;
  /** Shows the reply only to `user` (feedback acknowledgements). */
  deliverEphemeral(reply: Reply, target: SlackTarget, user: string): Promise<void>;
  remove(channel: string, ts: string): Promise<void>;
}

export function createSlackOutbound(client: SlackClient, threads: RecentSet, logger: Logger): SlackOutbound {
  const remember = (target: SlackTarget): void => {
    if (target.threadTs) threads.add(`${target.channel}:${target.threadTs}`);
  };
  const threadArg = (target: SlackTarget): { thread_ts?: string } => (target.threadTs ? { thread_ts: target.threadTs } : {});

  return {
    async postWorking(target) {
      try {
        const result = await client.chat.postMessage({ channel: target.channel, text: WORKING_TEXT, ...threadArg(target) });
        remember(target);
        return result.ts;
      } catch (error) {
        logger.warn({ err: error, channel: target.channel }, 'slack: could not post the working message');
        return undefined;
      }
    },
    async postRoot(channel, text) {
      const result = await client.chat.postMessage({ channel, text, unfurl_links: false });
      if (!result.ts) throw new Error('chat.postMessage returned no ts');
      threads.add(`${channel}:${result.ts}`);
      return result.ts;
    },
    async deliver(reply, target, placeholderTs) {
      const messages = renderSlackMessages(reply);
      for (const [i, message] of messages.entries()) {
        if (i === 0 && placeholderTs) {
          await client.chat.update({ channel: target.channel, ts: placeholderTs, text: message.text, blocks: message.blocks });
        } else {
          await client.chat.postMessage({ channel: target.channel, text: message.text, blocks: message.blocks, unfurl_links: false, ...threadArg(target) });
        }
      }
      remember(target);
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
