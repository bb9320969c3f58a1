/**
 * The error-codes agent: answers "what does pilot error 1150 mean?", "exit code 65?", "error 1305"
 * and "what does 'lost heartbeat' mean?" from the knowledge base, offline and deterministically.
 */
import type { Agent, AgentRequest } from '../../src/contracts/agent.js';
import type { Reply, ReplyBlock } from '../../src/contracts/reply.js';
import { COMPONENT_LABELS, type Component, type ErrorCodeEntry, type KnowledgeBase, normaliseComponent, resolveJobCode } from '../../src/knowledge/index.js';
import { parseErrorQuestion } from './parse-question.js';
import { entryBlocks, entrySummary, entryTitle } from './render.js';
import { z } from 'zod';

export interface ErrorCodeAgentOptions {
  kb: KnowledgeBase;
}

const MAX_SEARCH_HITS = 5;

function codeTable(entries: ErrorCodeEntry[], caption: string): ReplyBlock {
  return {
    kind: 'table',
    caption,
    columns: ['Component', 'Code', 'Name', 'Message'],
    rows: entries.map((e) => [e.component, String(e.code), e.name ?? '', e.message ?? '']),
  };
}

function reply(blocks: ReplyBlock[], summary: string, data: Record<string, unknown>): Reply {
  return { blocks, summary, data, intent: 'error_code' };
}

function answerEntries(code: number, entries: ErrorCodeEntry[], expert: boolean, lead: ReplyBlock[] = []): Reply {
  const data = { code, found: true, entries };
  if (entries.length === 1 && lead.length === 0) {
    const entry = entries[0] as ErrorCodeEntry;
    return reply(entryBlocks(entry, { expert }), entrySummary(entry), data);
  }
  const blocks: ReplyBlock[] = [...lead];
  if (entries.length > 1) {
    blocks.push({ kind: 'heading', text: `Error code ${code} exists in ${entries.length} components` });
    blocks.push({
      kind: 'markdown',
      text: `The same number means different things depending on which field of the job it is in. Most commonly met first: ${entries.map((e) => e.component).join(', ')}.`,
    });
  }
  for (const entry of entries) blocks.push(...entryBlocks(entry, { expert }));
  const summary = [entries.length > 1 ? `Error code ${code} exists in ${entries.length} components.` : '', ...entries.map(entrySummary)]
    .filter(Boolean)
    .join('\n');
  return reply(blocks, summary, data);
}

function answerUnknown(kb: KnowledgeBase, code: number, component: Component | null): Reply {
  const where = component ? `${COMPONENT_LABELS[component].toLowerCase()} error code` : 'error code of any PanDA component';
  const sentence = `${code} is not a known ${where} in Ask PanDA's knowledge base.`;
  const nearest = kb.nearest(code, { component: component ?? undefined, limit: 3 });
  const blocks: ReplyBlock[] = [{ kind: 'markdown', text: sentence }];
  if (nearest.length > 0) blocks.push(codeTable(nearest, 'Closest known codes'));
  const summary = `${sentence} Closest known codes: ${nearest.map((e) => `${e.component}:${e.code} ${e.name ?? ''}`.trim()).join(', ')}.`;
  return reply(blocks, summary, { code, component, found: false, entries: [], nearest });
}

function answerSearch(kb: KnowledgeBase, text: string, expert: boolean): Reply {
  const hits = kb.search(text, MAX_SEARCH_HITS);
  const best = hits[0]?.entry;
  if (!best) {
    const sentence = 'I found no error code or known error message in your question; ask for example "what does pilot error 1150 mean?".';
    return reply([{ kind: 'markdown', text: sentence }], sentence, { code: null, found: false, entries: [] });
  }
  const others = hits.slice(1).map((h) => h.entry);
  const blocks: ReplyBlock[] = [
    { kind: 'markdown', text: `The closest match in the error-code knowledge base is ${entryTitle(best)}.` },
    ...entryBlocks(best, { expert }),
  ];
  if (others.length > 0) blocks.push(codeTable(others, 'Other codes that match'));
  const summary = [`Closest match: ${entrySummary(best)}`, others.length ? `Other matches: ${others.map((e) => `${e.component}:${e.code}`).join(', ')}.` : '']
    .filter(Boolean)
    .join('\n');
  return reply(blocks, summary, { code: best.code, found: true, entries: hits.map((h) => h.entry), search: true });
}

/** Creates the agent for intent `error_code`. */
export function createErrorCodeAgent(options: ErrorCodeAgentOptions): Agent {
  const { kb } = options;
  return {
    name: 'error-codes',
    intents: ['error_code'],
    description:
      'Explains PanDA error codes (pilot, transform exit codes, executor, wn-script and PanDA server codes): what the code means, its failure category and whether a retry helps. Input: an error code, optionally with its component, or an error message to look up.',
    help: ['• explain error codes: "what does pilot error 1150 mean?"'],
    tools: [
      {
        name: 'explain_error_code',
        title: 'Explain a PanDA error code',
        description:
          'Explain a PanDA error code: its name and message, the category, whether a retry helps and why. Give the component (pilot, exe, ddm, taskbuffer, jobdispatcher, supervisor, brokerage, trf, wnscript) when known; without it every component defining the code is listed.',
        input: {
          code: z.number().int().min(0).max(9_999_999).describe('The numeric error code, e.g. 1150.'),
          component: z.string().min(1).max(40).optional().describe('The component reporting the code, e.g. "pilot".'),
        },
        openWorld: false,
        request: (args) => {
          const { code, component } = args as { code: number; component?: string };
          return {
            text: `what does ${component ? `${component} ` : ''}error ${code} mean?`,
            entities: { error_code: code, error_component: component ?? null },
          };
        },
      },
    ],
    async answer(request: AgentRequest): Promise<Reply> {
      const { entities } = request.route;
      const parsed = parseErrorQuestion(request.text);
      const code = entities.error_code ?? parsed.code;
      const expert = request.view === 'expert';
      if (code === null) return answerSearch(kb, request.text, expert);

      const named = normaliseComponent(entities.error_component);
      const component = named ?? (parsed.code === code ? parsed.component : null);
      const everywhere = kb.lookupCode(code);
      if (!component) return everywhere.length > 0 ? answerEntries(code, everywhere, expert) : answerUnknown(kb, code, null);

      const entry = resolveJobCode(kb, component, code);
      if (!entry) {
        if (everywhere.length === 0) return answerUnknown(kb, code, component);
        const lead: ReplyBlock[] = [
          {
            kind: 'notice',
            level: 'info',
            text: `${code} is not a ${COMPONENT_LABELS[component].toLowerCase()} error code; it exists for: ${everywhere.map((e) => e.component).join(', ')}.`,
          },
        ];
        return answerEntries(code, everywhere, expert, lead);
      }
      const base = answerEntries(code, [entry], expert);
      if (entry.component !== component) {
        base.blocks.unshift({
          kind: 'notice',
          level: 'info',
          text: `The ${component} field carries this code from the ${entry.component} table (exeerrorcode holds the transform's exit code for production jobs and the wn-script code for analysis jobs).`,
        });
      }
      const elsewhere = everywhere.filter((e) => e !== entry);
      if (elsewhere.length > 0) {
        base.blocks.push({
          kind: 'notice',
          level: 'info',
          text: `Code ${code} also exists for ${elsewhere.map((e) => `${e.component} (${e.name ?? e.message ?? 'no name'})`).join(', ')}: ask for "${elsewhere[0]?.component} error ${code}" to see it.`,
        });
      }
      return base;
    },
  };
}
