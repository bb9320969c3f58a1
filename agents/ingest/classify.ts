/**
 * Which support threads become knowledge: resolved ones only. Offline rules, standing on their
 * own: the asker's check-mark or thumbs-up reaction on an answer, "[SOLVED]" in the root, the
 * asker's last word after a real answer acknowledging it (however terse: "works again", "ok thx",
 * a ✅), the asker stating the fix they found, or an expert closing the thread as fixed with the
 * asker's acknowledgement. User and operator channels are read alike. Opt-outs (`#noindex`, a no_entry_sign reaction on the
 * root), announcements, alerts and chit-chat, redirects, promises, "+1" pile-ons, retracted fixes
 * and "nvm, got it" without a fix are skipped. Every decision carries its reason.
 */
import type { DiscussionMessage, DiscussionThread } from '../../src/contracts/discussions.js';

export type Decision = 'resolved' | 'opt_out' | 'announcement' | 'unresolved';

export interface Classification {
  ingest: boolean;
  decision: Decision;
  reason: string;
  /** Index of the message holding the accepted answer (resolved threads). */
  answerIndex?: number;
  askerId: string;
  expertId?: string;
}

const CHECK_REACTIONS = new Set(['white_check_mark', 'heavy_check_mark', 'ballot_box_with_check', 'check', 'done', '✅', '✔️', '✔', '☑️']);
/** The asker's approval of an answer: a check mark, or a thumbs-up on someone else's reply. */
const APPROVAL_REACTIONS = new Set([
  ...CHECK_REACTIONS,
  'check_mark',
  'check_mark_button',
  'heavy_check',
  'ok_hand',
  '👌',
  '100',
  '💯',
  '+1',
  'thumbsup',
  'thumbs_up',
  '👍',
  '👍🏻',
  '👍🏼',
  '👍🏽',
  '👍🏾',
  '👍🏿',
  'raised_hands',
  '🙌',
  'pray',
  '🙏',
  'tada',
  '🎉',
]);
const OPT_OUT_REACTIONS = new Set(['no_entry_sign', 'no_entry', '🚫', '⛔']);
const OPT_OUT_TEXT = /#noindex\b/i;
const SOLVED_ROOT = /\[(?:solved|resolved|fixed)\]|^\s*(?:solved|resolved)\s*[:-]/i;

/** Positive acknowledgement by the asker. */
const ACK =
  /\b(?:thanks?|thank you|thx|tnx|ty|cheers|merci|danke|fixed|fixes|solved|resolved|that did it|did the trick|works?|worked|working|runs?|running|ran (?:ok|fine|through)|confirm(?:ed)?|makes sense|that was it|that'?s it|spot on|bingo|that was the (?:problem|issue)|got it|understood|clear|perfect|great|went through|arrived|accepted|fine|done|finished|green|recovered|recovering|back online|filling up|closing|sorted)\b|[✅✔☑👍👌🙏🚀🎉🙌💯]|:(?:white_check_mark|heavy_check_mark|ballot_box_with_check|\+1|thumbsup|thumbs_up|ok_hand|tada|pray|raised_hands|100|rocket):/iu;
/** The asker says it did not help, is still broken, or only promises to try. */
const NEGATIVE =
  /\b(?:still(?! (?:works?|working|fine|ok|good|runs?|running|green))|same (?:error|problem|issue|thing)|did(?:n'?t| not) (?:work|help|fix|change)|does(?:n'?t| not) (?:work|help)|not (?:working|fixed|solved|resolved)|no luck|no change|no difference|will wait|will try|i'?ll try|let me try|will check|will look|will report|spoke too soon|back again|came back|again fail|fail(?:s|ing|ed)? again|broke again|nope|persists?|reappear|not yet)\b|(?:^|\s)(?:😞|😢|😕)/i;
/** "nvm, got it working" — the asker solved it alone and does not say how. */
const NVM = /\b(?:nvm|never ?mind|nevermind|figured it out|sorted it out myself)\b/i;
/** The asker says what fixed it ("found it: the CA bundle was stale, updated it and it works again"). */
const SELF_CAUSE =
  /\b(?:found (?:it|the (?:problem|issue|cause|culprit))|turned out|the (?:problem|issue|cause|culprit) was|root cause|it was (?:a|an|the|my)|was caused by)\b/i;
const SELF_ACTION =
  /\b(?:restart(?:ed)?|renew(?:ed)?|chang(?:ed)|set|add(?:ed)|remov(?:ed)|replac(?:ed)|updat(?:ed)|clean(?:ed)|drain(?:ed)|reboot(?:ed)|bump(?:ed)|increas(?:ed)|switch(?:ed)|re-?enabl(?:ed)|delet(?:ed)|kill(?:ed)|clear(?:ed)|fix(?:ed)|rotat(?:ed)|upgrad(?:ed)|downgrad(?:ed)|roll(?:ed)? back|revert(?:ed)|patch(?:ed)|mount(?:ed)|resubmit(?:ted)?)\b/i;
const SELF_OUTCOME = /\b(?:works?|working|fine|ok|green|flowing|running|back|again|fixed|solved|resolved|recovered|healthy|normal|gone)\b/i;
const selfFixText = (t: string): boolean => SELF_CAUSE.test(t) || (SELF_ACTION.test(t) && SELF_OUTCOME.test(t));
/** An expert closing the thread: the fix is in place. */
const CLOSING =
  /\b(?:closing (?:this|the thread|it)|marking (?:this |it )?(?:as )?(?:solved|resolved)|fixed (?:now|on our side)|(?:should|will) (?:work|be fine|be ok) (?:again )?now|is (?:fixed|resolved|back)|deployed (?:the|a) fix|has been (?:fixed|resolved|restored))\b/i;
/** A reply that only joins the question. */
const ME_TOO = /^\s*(?:\+1|same(?: here)?|me too|same for|same,|seeing (?:it|this|the same) too|also seeing|\u{1F440})/iu;
/** A reply that only sends the asker elsewhere. */
const REDIRECT = /\b(?:please |pls )?(?:ask|post|try|go)(?: (?:this|that|it))? (?:in|on|at|to) [#~]\S+|\b(?:wrong channel|better asked in|belongs in [#~])/i;
/** A reply that only promises to look later. */
const PROMISE =
  /^(?:(?:ok|sure|hm+|ack)[,.!]?\s*)?(?:i'?ll|i will|we'?ll|we will|let me|will) (?:look|check|have a look|investigate|get back|take a look|ping)/i;
/** A reply that asks the asker for more information instead of answering. */
const ASKS_FOR_DETAILS =
  /\b(?:which|give us|send us|send me|share|post the|paste|what(?:'s| is| are) (?:the|your)|can you (?:post|send|share|give|check)|let us know)\b/i;
/** Announcement / alert roots: no question, nothing to answer. */
const ANNOUNCEMENT =
  /^\s*(?:\W{0,3}\s*)?(?:heads[- ]?up|fyi|announcement|\[?announce|reminder|\[alert\]|alert:|downtime|📢|🔔|⚠️|release:)|\bis now the default\b|\bscheduled downtime\b|\bwill be (?:unavailable|down)\b/iu;
const SOCIAL = /\b(?:anyone going to|just wanted to say|congrat|happy (?:new year|holidays|birthday)|coffee|meetup|welcome)\b/i;
/** Social roots even when phrased as a question. */
const SOCIAL_STRONG = /\b(?:anyone going to|who(?:'s| is) going to|meetup|coffee|lunch|drinks|congrat\w*|happy (?:new year|holidays|birthday|friday))\b/i;
const BOT_NAME = /(?:^|[-_. ])(?:bot|alerts?|monitor|notifier|nagios|grafana)(?:$|[-_. ])/i;

/** A reaction's base name: colons, Slack skin tones (`+1::skin-tone-3`) and emoji variation selectors removed. */
function reactionName(name: string): string {
  return name
    .replace(/::skin-tone-\d$/, '')
    .replace(/^:|:$/g, '')
    .replace(/[\u{1F3FB}-\u{1F3FF}\uFE0F]/gu, '')
    .toLowerCase();
}

/** `by` is a user id, or the id and the display name (exports name reacting users either way). */
function hasReaction(m: DiscussionMessage, names: Set<string>, by?: string | readonly string[]): boolean {
  const who = by === undefined ? undefined : typeof by === 'string' ? [by] : by;
  return (m.reactions ?? []).some((r) => (names.has(r.name) || names.has(reactionName(r.name))) && (who === undefined || r.users.some((u) => who.includes(u))));
}

/** A short non-asker reply that may be an answer: not a "+1", a redirect, a promise or a question. */
function isTerseAnswer(text: string): boolean {
  const t = text.trim();
  return t.length >= 3 && !/\?/.test(t) && !ME_TOO.test(t) && !REDIRECT.test(t) && !PROMISE.test(t);
}

/** A non-asker reply that carries an answer (not a "+1", a redirect, a promise or a bare question back). */
export function isSubstantive(text: string): boolean {
  const t = text.trim();
  // Operators answer tersely ("restarted the squid on the node"): a few words of statement are enough.
  if (t.length < 12 || t.split(/\s+/).length < 3 || (t.length < 25 && /\?\s*$/.test(t))) return false;
  if (ME_TOO.test(t) && t.length < 80) return false;
  if (REDIRECT.test(t) && t.length < 160) return false;
  if (PROMISE.test(t) && t.length < 120) return false;
  const questions = (t.match(/\?/g) ?? []).length;
  if (questions > 0 && t.length < 90 && !/[`']/.test(t)) {
    // Short replies with questions: an answer only if a statement remains that does not ask for details.
    const statements = t.replace(/[^.!?\n]*\?/g, ' ').trim();
    return statements.length >= 25 && !ASKS_FOR_DETAILS.test(statements);
  }
  return true;
}

/** The asker's own message saying what fixed it (not a bare "nvm, got it"). */
function selfStatedFix(text: string): boolean {
  const t = text.trim();
  return t.length >= 30 && selfFixText(t) && !NVM.test(t.slice(0, 20)) && !NEGATIVE.test(t) && !/\?\s*$/.test(t);
}

function isAnnouncement(thread: DiscussionThread): boolean {
  const root = thread.messages[0];
  if (!root) return false;
  const bot = BOT_NAME.test(root.userDisplay ?? '') || BOT_NAME.test(root.user);
  if (bot) return true;
  if (SOCIAL_STRONG.test(root.text)) return true;
  if (root.text.includes('?')) return false;
  return ANNOUNCEMENT.test(root.text) || SOCIAL.test(root.text);
}

/** Classifies one thread; see the module comment for the rules. */
export function classifyThread(thread: DiscussionThread): Classification {
  const root = thread.messages[0];
  if (!root) return { ingest: false, decision: 'unresolved', reason: 'unresolved: empty thread', askerId: '' };
  const asker = root.user;
  const askerNames = [asker, ...(root.userDisplay ? [root.userDisplay] : [])];
  const base = { askerId: asker };
  if (OPT_OUT_TEXT.test(root.text)) return { ...base, ingest: false, decision: 'opt_out', reason: 'opt-out: the root message contains #noindex' };
  if (hasReaction(root, OPT_OUT_REACTIONS))
    return { ...base, ingest: false, decision: 'opt_out', reason: 'opt-out: no_entry_sign reaction on the root message' };
  if (isAnnouncement(thread))
    return { ...base, ingest: false, decision: 'announcement', reason: 'skipped: announcement, alert or chit-chat, no question to answer' };

  const replies = thread.messages.map((m, i) => ({ m, i })).slice(1);
  const substantive = replies.filter(({ m }) => m.user !== asker && isSubstantive(m.text));
  // Terse operator replies ("restarted", "done, try now") are answers too once the asker approves
  // them: a reaction, or an acknowledging reply that is the asker's last word.
  const terse = replies.filter(({ m }) => m.user !== asker && isTerseAnswer(m.text));
  const firstTerse = terse[0]?.i ?? Number.POSITIVE_INFINITY;
  const askerLast = replies.filter(({ m }) => m.user === asker).at(-1);
  const terseConfirmed =
    (askerLast !== undefined && askerLast.i > firstTerse && ACK.test(askerLast.m.text) && !NEGATIVE.test(askerLast.m.text) && !NVM.test(askerLast.m.text)) ||
    terse.some(({ m }) => hasReaction(m, APPROVAL_REACTIONS, askerNames));
  const answers = substantive.length > 0 ? substantive : terseConfirmed ? terse : [];
  const firstAnswer = Math.min(answers[0]?.i ?? Number.POSITIVE_INFINITY, terseConfirmed ? firstTerse : Number.POSITIVE_INFINITY);
  const askerAfter = Number.isFinite(firstAnswer) ? replies.filter(({ m, i }) => m.user === asker && i > firstAnswer) : [];
  const lastAsker = askerAfter.at(-1)?.m;
  const checked = replies.filter(({ m }) => m.user !== asker && hasReaction(m, APPROVAL_REACTIONS, askerNames));
  const rootChecked = hasReaction(root, CHECK_REACTIONS, askerNames) || (answers.length > 0 && hasReaction(root, APPROVAL_REACTIONS, askerNames));

  if (replies.length === 0) return { ...base, ingest: false, decision: 'unresolved', reason: 'unresolved: no reply' };
  const selfFix = replies.filter(({ m }) => m.user === asker && selfStatedFix(m.text)).at(-1);
  // The asker (often the operator who raised it) states the fix they found, and nobody reports it failing after.
  const selfResolved =
    selfFix && !replies.some(({ m, i }) => i > selfFix.i && NEGATIVE.test(m.text))
      ? ({
          ...base,
          ingest: true,
          decision: 'resolved',
          reason: 'resolved: the asker states the fix they found',
          answerIndex: selfFix.i,
          expertId: asker,
        } as const)
      : null;
  if (answers.length === 0 && selfResolved) return selfResolved;
  if (answers.length === 0) {
    const why = replies.every(({ m }) => m.user === asker)
      ? NVM.test(replies.map(({ m }) => m.text).join(' '))
        ? 'unresolved: the asker got it working alone without saying how'
        : 'unresolved: only the asker wrote'
      : replies.some(({ m }) => REDIRECT.test(m.text))
        ? 'unresolved: redirected to another channel'
        : replies.some(({ m }) => m.user !== asker && ME_TOO.test(m.text))
          ? "unresolved: only 'same here' replies, no answer"
          : 'unresolved: no answer was given (questions back or promises only)';
    return { ...base, ingest: false, decision: 'unresolved', reason: why };
  }
  const resolved = (answerIndex: number, reason: string): Classification => {
    const expertId = thread.messages[answerIndex]?.user;
    return { ...base, ingest: true, decision: 'resolved', reason, answerIndex, ...(expertId ? { expertId } : {}) };
  };
  if (lastAsker && NEGATIVE.test(lastAsker.text) && !/\b(?:works now|fixed it|that did it|solved)\b/i.test(lastAsker.text)) {
    return { ...base, ingest: false, decision: 'unresolved', reason: 'unresolved: the asker reports the problem persists or only promises to try' };
  }
  if (lastAsker && NVM.test(lastAsker.text) && lastAsker.text.length < 60) {
    return { ...base, ingest: false, decision: 'unresolved', reason: 'unresolved: "never mind, got it" without a stated fix' };
  }
  const best = (): number => {
    const before = answers.filter(({ i }) => lastAsker === undefined || i < thread.messages.indexOf(lastAsker));
    const pool = before.length > 0 ? before : answers;
    return pool.reduce((a, b) => (b.m.text.length > a.m.text.length ? b : a)).i;
  };
  const check = checked.at(-1);
  if (check) return resolved(check.i, 'resolved: the asker put a check-mark reaction on the answer');
  if (SOLVED_ROOT.test(root.text)) return resolved(best(), 'resolved: the asker marked the root [SOLVED]');
  if (rootChecked) return resolved(best(), 'resolved: the asker put a check-mark reaction on the question after an answer');
  if (lastAsker && ACK.test(lastAsker.text)) return resolved(best(), 'resolved: the asker acknowledged the answer');
  const closing = answers.filter(({ m }) => CLOSING.test(m.text)).at(-1);
  if (closing && askerAfter.some(({ i, m }) => i > closing.i && ACK.test(m.text) && !NEGATIVE.test(m.text)))
    return resolved(best(), 'resolved: an expert closed the thread as fixed and the asker acknowledged it');
  if (selfResolved) return selfResolved;
  if (lastAsker) return { ...base, ingest: false, decision: 'unresolved', reason: 'unresolved: the asker replied without confirming a fix' };
  return { ...base, ingest: false, decision: 'unresolved', reason: 'unresolved: the asker never came back after the reply' };
}
