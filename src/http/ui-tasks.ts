/**
 * Housekeeping requests chat UIs send to their "model": Open WebUI's `### Task:` prompts (title,
 * tags, follow-ups, search queries, emoji, autocomplete) and LibreChat/AnythingLLM title prompts.
 * They are answered here from the chat text, cheaply, without running any agent.
 */
import { idsOfKind } from '../contracts/ids.js';

export type UiTask = 'title' | 'tags' | 'follow_ups' | 'queries' | 'emoji' | 'autocomplete';

/** Which housekeeping task a prompt is, or null for a real question. */
export function detectUiTask(text: string): UiTask | null {
  const t = text.slice(0, 4000).toLowerCase();
  const taskHeader = /###\s*task:/.test(t);
  if (
    /generate (a )?(concise|short|brief)?,? ?(\d[-–]\d )?(word )?title|(concise|short),? \d+[- ]words?[- ]or[- ]less title|title for (this|the) (conversation|chat|thread)/.test(
      t,
    )
  )
    return 'title';
  if (!taskHeader) return null;
  if (/follow[- ]?up questions/.test(t)) return 'follow_ups';
  if (/broad tags|generate \d[-–]\d [a-z ]*tags|categoriz/.test(t)) return 'tags';
  if (/search quer(y|ies)/.test(t)) return 'queries';
  if (/emoji/.test(t)) return 'emoji';
  if (/autocomplet|continue the text|complete the (sentence|text)/.test(t)) return 'autocomplete';
  return null;
}

/** The user's lines of the chat history in the prompt (Open WebUI `<chat_history>`), or the prompt itself. */
function userLines(prompt: string, history: readonly string[]): string[] {
  const block = /<chat_history>([\s\S]*?)<\/chat_history>/i.exec(prompt)?.[1];
  if (block) {
    const lines = [...block.matchAll(/^USER:\s*(.+)$/gim)].map((m) => (m[1] ?? '').trim()).filter(Boolean);
    if (lines.length > 0) return lines;
  }
  return history.length > 0 ? [...history] : [];
}

const TOPICS: Array<[(text: string) => boolean, string]> = [
  [(t) => /\b(job|pandaid)\b/i.test(t) || idsOfKind(t, 'job').length > 0, 'Job failure'],
  [(t) => /\b(task|jeditaskid)\b/i.test(t) || idsOfKind(t, 'task').length > 0, 'JEDI tasks'],
  [(t) => /\b(queues?|cric|copytool|corepower|maxrss|site)\b/i.test(t), 'Queues'],
  [(t) => /\b(error|code|exit)\b/i.test(t), 'Error codes'],
  [(t) => /\b(rucio|docs?|documentation|how (do|to))\b/i.test(t), 'Documentation'],
];

function titleOf(first: string): string {
  const pandaid = idsOfKind(first, 'job')[0];
  if (pandaid) return `🐼 Job ${pandaid} analysis`;
  const task = idsOfKind(first, 'task')[0];
  if (task) return `🐼 Task ${task} summary`;
  const words = first
    .replace(/[^\p{L}\p{N}\s-]/gu, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 5);
  return words.length > 0 ? `🐼 ${words.join(' ')}` : '🐼 PanDA question';
}

/**
 * The answer to a housekeeping prompt. Open WebUI parses JSON objects (`{"title": …}`); other UIs
 * take the text, so the title task answers in JSON only when the prompt asks for it.
 * `history` holds the user messages of the request, oldest first.
 */
export function answerUiTask(task: UiTask, prompt: string, history: readonly string[]): string {
  const users = userLines(prompt, history);
  const all = users.join('\n');
  const wantsJson = /json/i.test(prompt);
  switch (task) {
    case 'title': {
      const title = titleOf(users[0] ?? '');
      return wantsJson ? JSON.stringify({ title }) : title;
    }
    case 'tags': {
      const tags = ['PanDA', ...TOPICS.filter(([has]) => has(all)).map(([, tag]) => tag)].slice(0, 3);
      return JSON.stringify({ tags });
    }
    case 'follow_ups': {
      const pandaid = idsOfKind(all, 'job')[0];
      const follow = pandaid
        ? [`Show the expert details for job ${pandaid}`, `Would a retry of job ${pandaid} help?`, 'What are the top errors at this site in the last 6 hours?']
        : ['Why did my job fail? (give the pandaid)', 'Which queues use rucio as copytool?', 'What does pilot error 1150 mean?'];
      return JSON.stringify({ follow_ups: follow });
    }
    case 'queries':
      return JSON.stringify({ queries: [] });
    case 'emoji':
      return '🐼';
    case 'autocomplete':
      return JSON.stringify({ text: '' });
  }
}
