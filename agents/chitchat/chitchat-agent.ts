import type { Agent, AgentRequest } from '../../src/contracts/agent.js';
import type { Reply } from '../../src/contracts/reply.js';

const CAPABILITIES =
  'I can explain failed PanDA jobs (`/panda-job <pandaid>`), summarise JEDI tasks, answer CRIC queue questions, explain error codes, and answer PanDA, pilot and Rucio documentation questions with sources.';

interface Rule {
  pattern: RegExp;
  answer: string;
}

const RULES: Rule[] = [
  {
    pattern: /\b(thanks?|thank you|thx|cheers|merci|danke|great,? thanks?)\b/i,
    answer: 'You are welcome! Ask again any time — in this thread I keep the context.',
  },
  {
    pattern: /\b(who|what) are you\b|\bwhat can you do\b|\bwhat do you do\b|\bintroduce yourself\b/i,
    answer: `I am Ask PanDA, an assistant for PanDA users and operators. ${CAPABILITIES}`,
  },
  {
    pattern: /\b(are you|is this) (a )?(bot|human|ai|robot)\b/i,
    answer:
      'I am a bot: Ask PanDA. I answer from the PanDA monitor, CRIC and the PanDA, pilot and Rucio documentation, and I say where each answer comes from.',
  },
  { pattern: /\b(bye|goodbye|see you|good night)\b/i, answer: 'Bye! Good luck with your jobs.' },
  { pattern: /\b(hi|hello|hey|hiya|good (morning|afternoon|evening)|howdy|greetings)\b/i, answer: `Hello! ${CAPABILITIES}` },
  { pattern: /\bhow are you\b/i, answer: `I am fine, thanks — all my queues are online. ${CAPABILITIES}` },
];

const OUT_OF_SCOPE =
  'That is outside what I know: I only help with PanDA (jobs, JEDI tasks, the pilot, Harvester), CRIC queues and Rucio data questions. For other systems please ask their support channels.';

function reply(text: string): Reply {
  return { blocks: [{ kind: 'markdown', text }], summary: text };
}

/** Small talk and out-of-scope questions: deterministic, polite, and honest about what the bot does. */
export function createChitchatAgent(): Agent {
  return {
    name: 'chitchat',
    intents: ['chitchat', 'out_of_scope'],
    description: 'Greetings, thanks, questions about the assistant itself, and polite refusals for topics outside PanDA, CRIC and Rucio.',
    async answer(request: AgentRequest): Promise<Reply> {
      if (request.route.intent === 'out_of_scope') return { ...reply(OUT_OF_SCOPE), intent: 'out_of_scope' };
      const rule = RULES.find((r) => r.pattern.test(request.text));
      return { ...reply(rule?.answer ?? `Hello! ${CAPABILITIES}`), intent: 'chitchat' };
    },
  };
}
