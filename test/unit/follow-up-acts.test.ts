/**
 * Follow-up acts through the real core (rule router, job/task/queue agents over the demo data,
 * Keyv memory): each follow-up gets a short answer to itself, carried over from the thread context,
 * and the context survives a restart of the core (SQLite memory).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Keyv from 'keyv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { triageTask } from '../../agents/data/task-triage.js';
import { analyseOffline } from '../../agents/logs/index.js';
import { createServices, type Services } from '../../src/cli/services.js';
import { createCoreWiring } from '../../src/cli/core-wiring.js';
import { checkReply, leadingVerdict } from '../../src/cli/conversation-checks.js';
import { userViewText } from '../../src/cli/eval-conversations.js';
import { DEMO_DIR } from '../../src/cli/panda-wiring.js';
import { loadConfig } from '../../src/config.js';
import type { Reply } from '../../src/contracts/reply.js';
import { createKnowledgeBase } from '../../src/knowledge/index.js';
import { createFileSource } from '../../src/panda/index.js';
import { captureLogger } from '../contract/wait.js';

let dataDir = '';
let services: Services;
const panda = createFileSource(DEMO_DIR);
const kb = createKnowledgeBase();

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'askpanda-follow-ups-'));
  services = createServices({ loaded: loadConfig({}, { dataDir, 'panda.dir': DEMO_DIR }), logger: captureLogger().logger });
});
afterAll(async () => {
  await services
    .docStore()
    .then((s) => s.close())
    .catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
});

/** One thread of the real core: `say(text)` answers in order, in the same thread. */
function thread(memoryKeyv: Keyv = new Keyv(), id = randomUUID()) {
  const { core, memory } = createCoreWiring(services, { memoryKeyv });
  let n = 0;
  return {
    memory,
    async say(text: string): Promise<{ reply: Reply; text: string }> {
      n += 1;
      const reply = await core.handle({
        platform: 'console',
        workspace: 'test',
        channel: 'follow-ups',
        thread: id,
        messageId: `${id}-${n}`,
        user: 'u',
        text,
        isDirect: true,
        mentionsBot: true,
        eventId: `${id}-${n}-${randomUUID()}`,
        receivedAt: new Date(),
      });
      if (!reply) throw new Error('no reply');
      return { reply, text: userViewText(reply) };
    },
  };
}

async function diagnosisOf(pandaid: number) {
  const { job } = await panda.getJob(pandaid);
  return (await analyseOffline({ panda, kb }, job)).diagnosis;
}

const verdictOf = (helps: boolean | 'maybe'): 'yes' | 'no' | 'maybe' => (helps === true ? 'yes' : helps === false ? 'no' : 'maybe');

describe('job follow-ups through the core', () => {
  it('answers retry, simpler, which line, the code and another job, each short and new', async () => {
    const t = thread();
    const d6 = await diagnosisOf(6601000006);
    const first = await t.say('why did job 6601000006 fail?');
    expect(first.reply.intent).toBe('job');

    const retry = await t.say('would a retry help?');
    expect(leadingVerdict(retry.text)).toBe(verdictOf(d6.verdict.helps));
    expect(checkReply(retry.text, first.text, { max_chars: 900, not_repeat: true })).toEqual([]);

    const simpler = await t.say('explain it in simpler words');
    expect(simpler.text).toContain('6601000006');
    expect(simpler.reply.blocks.map((b) => b.kind)).toEqual(['markdown']);
    expect(checkReply(simpler.text, retry.text, { max_chars: 1500, not_repeat: true })).toEqual([]);
    expect(checkReply(simpler.text, first.text, { not_repeat: true })).toEqual([]);

    const line = await t.say('which line shows that?');
    const quoted = line.reply.blocks.flatMap((b) => (b.kind === 'evidence' ? b.lines.map((l) => l.text) : []));
    expect(quoted.length).toBeGreaterThan(0);
    for (const q of quoted) expect(d6.decisive.map((l) => l.text)).toContain(q);

    const code = await t.say('what does that error code mean?');
    expect(code.text).toContain(String(d6.rootCause.code));
    expect(checkReply(code.text, line.text, { max_chars: 1500, not_repeat: true })).toEqual([]);

    // "and job M?" asks the previous question (the code) again, for the new job.
    const d11 = await diagnosisOf(6601000011);
    const other = await t.say('and job 6601000011?');
    expect(other.text).toContain('6601000011');
    expect(other.text).toContain(String(d11.rootCause.code));
    expect(other.text.length).toBeLessThan(1500);

    const blame = await t.say("is it the site's fault?");
    expect(leadingVerdict(blame.text)).not.toBeNull();
    expect(blame.text).toContain('6601000011');
  });

  it('asks for the PanDA ID without context, then answers the pending question for the id given', async () => {
    const t = thread();
    const ask = await t.say('would a retry help?');
    expect(ask.text).toMatch(/PanDA job ID/);
    expect(ask.text).toContain('?');
    const d = await diagnosisOf(6601000011);
    const answer = await t.say('6601000011');
    expect(leadingVerdict(answer.text)).toBe(verdictOf(d.verdict.helps));

    const u = thread();
    const notWorking = await u.say('my job is not working');
    expect(notWorking.text).toMatch(/Which job do you mean\?.*PanDA job ID/);
    const analysis = await u.say('6601000006');
    expect(analysis.text).toContain('Job 6601000006');
  });

  it('keeps the thread context across a restart (SQLite memory)', async () => {
    const id = randomUUID();
    const file = join(dataDir, `memory-${id}.sqlite`);
    const { default: KeyvSqlite } = await import('@keyv/sqlite');
    const open = () => new Keyv({ store: new KeyvSqlite({ uri: `sqlite://${file}`, table: 'memory' }), namespace: 'memory' });
    const before = thread(open(), id);
    await before.say('why did job 6601000011 fail?');
    await before.memory.close();
    const after = thread(open(), id);
    const retry = await after.say('should I resubmit it?');
    const d = await diagnosisOf(6601000011);
    expect(leadingVerdict(retry.text)).toBe(verdictOf(d.verdict.helps));
    expect(retry.text).toContain('6601000011');
    await after.memory.close();
  });
});

describe('task follow-ups through the core', () => {
  it('names the worst site, the most common error and a job that failed with it, from the task data', async () => {
    const details = await panda.getTask(46200001);
    const jobs = await panda.getTaskJobs(46200001, { allAttempts: true });
    const triage = triageTask(details, jobs, kb);
    const t = thread();
    const summary = await t.say('how many jobs of task 46200001 failed?');
    const site = await t.say('which site had the most failures?');
    expect(site.text).toContain(triage.bySite[0]?.site);
    expect(checkReply(site.text, summary.text, { max_chars: 1200, not_repeat: true })).toEqual([]);
    const error = await t.say('what is the most common error?');
    const top = triage.byCode[0]?.key as string;
    expect(error.text).toContain(top);
    const example = await t.say('give me a job that failed with it');
    const pandaid = Number(/Job (\d{10}) failed/.exec(example.text)?.[1]);
    const job = jobs.find((j) => j.pandaid === pandaid);
    expect(job?.jobstatus).toBe('failed');
    // "why did it fail?" now means that job.
    const why = await t.say('why did it fail?');
    expect(why.reply.intent).toBe('job');
    expect(why.text).toContain(String(pandaid));
  });

  it('asks for the task ID when there is none', async () => {
    const t = thread();
    const ask = await t.say('my task is stuck');
    expect(ask.text).toMatch(/Which task do you mean\?.*JEDI task ID/);
  });
});

describe('queue follow-ups and first messages through the core', () => {
  const cric = JSON.parse(readFileSync(join(DEMO_DIR, 'cric', 'pandaqueues.json'), 'utf8')) as Record<string, { maxtime: number; maxrss: number }>;

  it('carries the queue to a new field and the field to a new queue', async () => {
    const t = thread();
    await t.say('what is the maxrss of AGLT2?');
    const field = await t.say('and its maxtime?');
    expect(field.text).toContain('AGLT2');
    expect(field.text).toContain(String(cric.AGLT2?.maxtime));
    const queue = await t.say('and of TRIUMF?');
    expect(queue.text).toContain('TRIUMF');
    expect(queue.text).toContain(String(cric.TRIUMF?.maxtime));
  });

  it('takes lower-case queue names and treats greetings as chitchat', async () => {
    const t = thread();
    const lower = await t.say('what is the maxrss of aglt2?');
    expect(lower.text).toContain('AGLT2');
    expect(lower.text).toContain(String(cric.AGLT2?.maxrss));
    for (const hello of ['hi askpanda', 'good morning bot', 'thanks!']) expect((await thread().say(hello)).reply.intent).toBe('chitchat');
  });
});
