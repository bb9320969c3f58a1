/**
 * Turns a resolved thread into what the index stores: question and answer summaries and the
 * thread text, all redacted — secrets first (THE redactor of src/logs), then e-mail addresses —
 * with people named by role ("asker", "expert", "participant N"), plus permalink, channel, date
 * and privacy, and a content hash so re-ingesting an unchanged thread writes nothing.
 */
import { createHash } from 'node:crypto';
import type { DiscussionThread } from '../../src/contracts/discussions.js';
import { redact } from '../../src/logs/index.js';
import type { DiscussionRecord } from '../../src/index/discussions.js';
import type { Classification } from './classify.js';

/** A redacted, summarised thread ready for the index. */
export type PreparedDiscussion = DiscussionRecord;

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

/** Secrets first, then e-mail addresses. */
export function redactDiscussionText(text: string): string {
  return redact(text).replace(EMAIL, '[REDACTED:email]');
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Role of every user of the thread: the root's author is the asker, the accepted answer's author the expert. */
export function rolesOf(thread: DiscussionThread, c: Pick<Classification, 'askerId' | 'expertId'>): Map<string, string> {
  const roles = new Map<string, string>([[c.askerId, 'asker']]);
  if (c.expertId && c.expertId !== c.askerId) roles.set(c.expertId, 'expert');
  let n = 0;
  for (const m of thread.messages) if (!roles.has(m.user)) roles.set(m.user, `participant ${++n}`);
  return roles;
}

/** Replaces user ids, display names and @mentions of the thread's people by their roles. */
function anonymiser(thread: DiscussionThread, roles: Map<string, string>): (text: string) => string {
  const names: Array<[string, string]> = [];
  for (const m of thread.messages) {
    const role = roles.get(m.user) ?? 'participant';
    names.push([m.user, role]);
    if (m.userDisplay) {
      names.push([m.userDisplay, role]);
      for (const part of m.userDisplay.split(/\s+/)) if (part.length >= 4) names.push([part, role]);
    }
  }
  const unique = [...new Map(names.filter(([n]) => n.length >= 3)).entries()].sort((a, b) => b[0].length - a[0].length);
  if (unique.length === 0) return (t) => t;
  const pattern = new RegExp(`(?<![\\w])(?:<@)?@?(${unique.map(([n]) => escapeRe(n)).join('|')})>?(?![\\w])`, 'gu');
  const byName = new Map(unique);
  return (text) => text.replace(pattern, (_m, name: string) => byName.get(name) ?? 'participant');
}

const squash = (t: string): string => t.replace(/\s+/g, ' ').trim();
function clip(t: string, max: number): string {
  if (t.length <= max) return t;
  const cut = t.slice(0, max);
  const end = cut.lastIndexOf(' ');
  return `${cut.slice(0, end > max * 0.6 ? end : max)}…`;
}

export function prepareDiscussion(thread: DiscussionThread, c: Classification): PreparedDiscussion {
  const roles = rolesOf(thread, c);
  const anonymise = anonymiser(thread, roles);
  const clean = (t: string): string => anonymise(redactDiscussionText(t));
  const root = thread.messages[0];
  const answer = thread.messages[c.answerIndex ?? 1] ?? thread.messages[1];
  const confirmation = [...thread.messages].reverse().find((m, i) => i < thread.messages.length - 1 && m.user === c.askerId);
  const questionSummary = clip(squash(clean(root?.text ?? '')), 400);
  const answerParts = [squash(clean(answer?.text ?? ''))];
  if (confirmation && confirmation !== root && confirmation !== answer) answerParts.push(`The asker confirmed: ${squash(clean(confirmation.text))}`);
  const answerSummary = clip(answerParts.join(' '), 900);
  const text = thread.messages.map((m) => `${roles.get(m.user) ?? 'participant'}: ${clean(m.text)}`).join('\n');
  const date = (root?.ts ?? '').slice(0, 10);
  const body = { questionSummary, answerSummary, text, permalink: thread.permalink, channel: thread.channel, date };
  return {
    platform: thread.platform,
    channelId: thread.channel.id,
    channel: thread.channel.name,
    private: thread.channel.private,
    threadId: thread.threadId,
    permalink: thread.permalink,
    date,
    questionSummary,
    answerSummary,
    text,
    hash: createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 32),
  };
}
