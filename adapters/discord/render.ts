import { mapUntrusted, type Reply, type ReplyBlock } from '../../src/contracts/reply.js';
import { blockToMarkdown, inertMarkdown } from '../../src/wire/reply-text.js';
import { neutraliseMentions } from '../shared/chat-safe.js';
import { splitText } from '../shared/split-text.js';

/** Discord limits: 2,000 characters of content; embed description 4,096, field value 1,024, 6,000 across embeds, 10 embeds. */
export const DISCORD_CONTENT_LIMIT = 2000;
export const DISCORD_EMBED_DESCRIPTION_LIMIT = 4096;
const EMBED_TOTAL_LIMIT = 6000;
const FIELD_NAME_LIMIT = 256;
const FIELD_VALUE_LIMIT = 1024;

export interface DiscordEmbed {
  title?: string;
  description?: string;
  color?: number;
  fields?: Array<{ name: string; value: string; inline?: boolean }>;
}

export interface DiscordButton {
  type: 2;
  style: 1 | 2 | 4;
  label: string;
  custom_id: string;
}

export interface DiscordMessageBody {
  content: string;
  embeds?: DiscordEmbed[];
  components?: Array<{ type: 1; components: DiscordButton[] }>;
  allowed_mentions: { parse: never[] };
}

const truncate = (text: string, limit: number): string => (text.length <= limit ? text : `${text.slice(0, limit - 1)}…`);

function embedFor(block: ReplyBlock): DiscordEmbed | null {
  if (block.kind === 'fields') {
    return {
      fields: block.fields.slice(0, 25).map((f) => ({
        name: truncate(neutraliseMentions(mapUntrusted(f.label, inertMarkdown)), FIELD_NAME_LIMIT) || '\u200b',
        value: truncate(neutraliseMentions(mapUntrusted(f.value, inertMarkdown)), FIELD_VALUE_LIMIT) || '\u200b',
        inline: f.value.length < 40,
      })),
    };
  }
  if (block.kind === 'citations') {
    const lines = block.items.map((c) => `[${c.n}] ${c.url ? `[${c.title}](${c.url})` : c.title}${c.section ? ` — ${c.section}` : ''}`);
    return { title: 'Sources', description: truncate(neutraliseMentions(lines.join('\n')), DISCORD_EMBED_DESCRIPTION_LIMIT), color: 0x5865f2 };
  }
  return null;
}

function embedSize(e: DiscordEmbed): number {
  return (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
}

/**
 * `custom_id` of a button: `<action id>|<value>` (≤ 100 characters). Discord rejects a message whose
 * buttons share a custom_id (400 COMPONENT_CUSTOM_ID_DUPLICATED), so the second button with the same
 * id and value (one job, two error codes) gets `<action id>~<n>|<value>`.
 */
export function customIdFor(id: string, value: string, repeat = 0): string {
  return truncate(`${repeat ? `${id}~${repeat}` : id}|${value}`, 100);
}

export function parseCustomId(customId: string): { id: string; value: string } | null {
  const bar = customId.indexOf('|');
  if (bar <= 0) return null;
  const head = customId.slice(0, bar);
  const tilde = head.indexOf('~');
  return { id: tilde > 0 ? head.slice(0, tilde) : head, value: customId.slice(bar + 1) };
}

/** Custom ids for a message's buttons, unique within the message. */
function uniqueCustomIds(actions: Array<{ id: string; value: string }>): string[] {
  const seen = new Map<string, number>();
  return actions.map((a) => {
    const plain = customIdFor(a.id, a.value);
    const n = seen.get(plain) ?? 0;
    seen.set(plain, n + 1);
    return customIdFor(a.id, a.value, n);
  });
}

const STYLE = { primary: 1, default: 2, danger: 4 } as const;

/**
 * Renders a reply as Discord messages: Markdown content split at 2,000 characters without breaking
 * code blocks (tables as code, Discord has none), fields and sources as embeds, buttons as
 * components; embeds and buttons ride on the last message. Mentions never ping anyone: quoted ones
 * are made inert and `allowed_mentions` parses none.
 */
export function renderDiscordMessages(reply: Reply): DiscordMessageBody[] {
  const text: string[] = [];
  const embeds: DiscordEmbed[] = [];
  let embedTotal = 0;
  for (const block of reply.blocks) {
    const embed = embeds.length < 10 ? embedFor(block) : null;
    if (embed && embedTotal + embedSize(embed) <= EMBED_TOTAL_LIMIT) {
      embeds.push(embed);
      embedTotal += embedSize(embed);
    } else {
      text.push(blockToMarkdown(block, { tables: 'code' }));
    }
  }
  if (reply.correlationId) text.push(`-# ref: ${reply.correlationId}`);
  const chunks = text.length > 0 ? splitText(neutraliseMentions(text.join('\n\n')), DISCORD_CONTENT_LIMIT) : [''];
  const actions = (reply.actions ?? []).slice(0, 25);
  const customIds = uniqueCustomIds(actions);
  const buttons = actions.map<DiscordButton>((a, i) => ({
    type: 2,
    style: STYLE[a.style ?? 'default'],
    label: truncate(a.label, 80),
    custom_id: customIds[i] ?? customIdFor(a.id, a.value),
  }));
  const rows: Array<{ type: 1; components: DiscordButton[] }> = [];
  for (let i = 0; i < buttons.length; i += 5) rows.push({ type: 1, components: buttons.slice(i, i + 5) });
  return chunks.map((content, i) => {
    const body: DiscordMessageBody = { content, allowed_mentions: { parse: [] } };
    if (i === chunks.length - 1) {
      if (embeds.length) body.embeds = embeds;
      if (rows.length) body.components = rows;
    }
    return body;
  });
}
