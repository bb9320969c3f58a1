import { type Reply, type ReplyBlock, UNTRUSTED_CLOSE, UNTRUSTED_OPEN, withoutMarks } from '../../src/contracts/reply.js';
import { escapeMrkdwn, inertMrkdwn, markdownToMrkdwn } from '../shared/mrkdwn.js';
import { evidenceAsText, fenceSafe, plainRows, replyToMarkdown, tableAsText } from '../../src/wire/reply-text.js';
import { splitText } from '../shared/split-text.js';

/** Block Kit limits (docs.slack.dev): section text 3,000; 50 blocks per message; header 150; 10 fields / context elements. */
export const SLACK_SECTION_LIMIT = 3000;
export const SLACK_MAX_BLOCKS = 50;
const HEADER_LIMIT = 150;
const FIELD_LIMIT = 2000;
const FALLBACK_TEXT_LIMIT = 3000;

/** A Block Kit block as sent on the wire. */
export type SlackBlock = Record<string, unknown> & { type: string };

export interface SlackMessage {
  /** Notification / accessibility fallback. */
  text: string;
  blocks: SlackBlock[];
}

const NOTICE_ICON = { info: ':information_source:', warning: ':warning:', error: ':x:' } as const;

function sections(mrkdwn: string): SlackBlock[] {
  return splitText(mrkdwn, SLACK_SECTION_LIMIT).map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } }));
}

function codeSections(code: string): SlackBlock[] {
  return sections(`\`\`\`\n${escapeMrkdwn(fenceSafe(withoutMarks(code)))}\n\`\`\``);
}

function truncate(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

export function renderBlock(block: ReplyBlock): SlackBlock[] {
  switch (block.kind) {
    case 'markdown':
      return sections(markdownToMrkdwn(block.text));
    case 'heading':
      return [{ type: 'header', text: { type: 'plain_text', text: truncate(withoutMarks(block.text), HEADER_LIMIT), emoji: true } }];
    case 'fields': {
      const out: SlackBlock[] = [];
      for (let i = 0; i < block.fields.length; i += 10) {
        const fields = block.fields.slice(i, i + 10).map((f) => ({
          type: 'mrkdwn',
          text: truncate(`*${markdownToMrkdwn(f.label)}*\n${markdownToMrkdwn(f.value)}`, FIELD_LIMIT),
        }));
        out.push({ type: 'section', fields });
      }
      return out;
    }
    case 'table': {
      const caption = block.caption ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: markdownToMrkdwn(block.caption) }] }] : [];
      return [...caption, ...codeSections(tableAsText(block.columns, plainRows(block.rows)))];
    }
    case 'code':
      return codeSections(block.text);
    case 'evidence':
      return [
        { type: 'context', elements: [{ type: 'mrkdwn', text: `*${markdownToMrkdwn(block.title ?? 'Evidence')}* · ${markdownToMrkdwn(block.source)}` }] },
        ...codeSections(evidenceAsText(block.lines)),
      ];
    case 'citations': {
      const out: SlackBlock[] = [];
      const items = block.items.map((c) => {
        const title = markdownToMrkdwn(c.title);
        return `[${c.n}] ${c.url ? `<${c.url}|${title}>` : title}${c.section ? ` — ${markdownToMrkdwn(c.section)}` : ''}`;
      });
      for (let i = 0; i < items.length; i += 10) {
        out.push({ type: 'context', elements: items.slice(i, i + 10).map((text) => ({ type: 'mrkdwn', text: truncate(text, FIELD_LIMIT) })) });
      }
      return out;
    }
    case 'notice':
      return sections(`${NOTICE_ICON[block.level]} ${markdownToMrkdwn(block.text)}`);
  }
}

/** Button `action_id`s must be unique in a block: `<id>:<index>`. */
export function actionIdFor(id: string, index: number): string {
  return `${id}:${index}`;
}

export function actionIdOf(actionId: string): string {
  const colon = actionId.lastIndexOf(':');
  return colon > 0 ? actionId.slice(0, colon) : actionId;
}

function actionsBlocks(reply: Reply): SlackBlock[] {
  const actions = reply.actions ?? [];
  const out: SlackBlock[] = [];
  for (let i = 0; i < actions.length; i += 25) {
    out.push({
      type: 'actions',
      elements: actions.slice(i, i + 25).map((a, j) => ({
        type: 'button',
        action_id: actionIdFor(a.id, i + j),
        text: { type: 'plain_text', text: truncate(a.label, 75), emoji: true },
        value: truncate(a.value, 2000),
        ...(a.style && a.style !== 'default' ? { style: a.style } : {}),
      })),
    });
  }
  return out;
}

/**
 * Renders a reply as one or more Slack messages: every section ≤ 3,000 characters, ≤ 50 blocks per
 * message, the buttons on the last message.
 */
export function renderSlackMessages(reply: Reply): SlackMessage[] {
  const blocks = reply.blocks.flatMap(renderBlock);
  if (reply.correlationId) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `ref: \`${reply.correlationId}\`` }] });
  const actions = actionsBlocks(reply);
  const groups: SlackBlock[][] = [];
  for (let i = 0; i < blocks.length; i += SLACK_MAX_BLOCKS) groups.push(blocks.slice(i, i + SLACK_MAX_BLOCKS));
  if (groups.length === 0) groups.push([]);
  const last = groups[groups.length - 1] as SlackBlock[];
  if (last.length + actions.length <= SLACK_MAX_BLOCKS) last.push(...actions);
  else groups.push(actions);
  // The fallback is what notifications show: a summary (plain text, may quote a job's diag) is inert as a whole.
  const rewrap = (span: string): string => `${UNTRUSTED_OPEN}${span}${UNTRUSTED_CLOSE}`;
  const fallback = truncate(
    reply.summary !== undefined ? inertMrkdwn(withoutMarks(reply.summary)) : markdownToMrkdwn(replyToMarkdown(reply, { tables: 'code', quoted: rewrap })),
    FALLBACK_TEXT_LIMIT,
  );
  return groups.map((group, i) => ({ text: i === 0 ? fallback : `(continued ${i + 1}/${groups.length})`, blocks: group }));
}
