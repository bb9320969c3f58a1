/** Turns knowledge-base entries into reply blocks and plain-text summaries. */
import type { ReplyBlock } from '../../src/contracts/reply.js';
import { type Category, COMPONENT_LABELS, type ErrorCodeEntry, RETRY_LABELS } from '../../src/knowledge/index.js';

export const CATEGORY_LABELS: Readonly<Record<Category, string>> = {
  'transient-network': 'Transient network or central-service problem',
  'storage-stagein': 'Storage: input transfer (stage-in)',
  'storage-stageout': 'Storage: output transfer (stage-out)',
  'site-infrastructure': 'Site or worker-node infrastructure',
  'resource-limit-memory': 'Resource limit: memory',
  'resource-limit-walltime': 'Resource limit: wall time / CPU time',
  'resource-limit-disk': 'Resource limit: disk space',
  looping: 'Looping job (no progress)',
  'killed-by-system': 'Killed by the system',
  'payload-user-error': 'Payload failure: user code or options',
  'payload-software': 'Payload failure: production software',
  'input-data-corrupt': 'Corrupt input data',
  'auth-credentials': 'Authentication or credentials',
  configuration: 'Job or queue configuration',
  unknown: 'Unknown',
};

/** `Pilot error 1150 (LOOPINGJOB)`. */
export function entryTitle(entry: ErrorCodeEntry): string {
  const what = entry.component === 'trf' ? 'Transform exit code' : `${COMPONENT_LABELS[entry.component]} error`;
  return `${what} ${entry.code}${entry.name ? ` (${entry.name})` : ''}`;
}

/** The plain-language text: hand-written explanation, else the long description, else the default message. */
export function entryText(entry: ErrorCodeEntry): string {
  if (entry.explanation) return entry.explanation;
  if (entry.description) return entry.description;
  const message = entry.message
    ? `The ${COMPONENT_LABELS[entry.component].toLowerCase()} reports: "${entry.message}".`
    : 'The source tables give no message for this code.';
  return `${message} There is no hand-written explanation for this code yet; the category and retry advice below are inferred from its name and message.`;
}

export function entryFields(entry: ErrorCodeEntry): Array<{ label: string; value: string }> {
  const fields = [
    { label: 'Component', value: `${entry.component} (${COMPONENT_LABELS[entry.component]})` },
    { label: 'Code', value: String(entry.code) },
    { label: 'Name', value: entry.name ?? '(none)' },
    { label: 'Category', value: `${CATEGORY_LABELS[entry.category]} (${entry.category})` },
    { label: 'Retry advice', value: `${RETRY_LABELS[entry.retry]} (${entry.retry})` },
    { label: 'Why', value: entry.retryReason },
    { label: 'Default message', value: entry.message ?? '(none)' },
  ];
  if (entry.typicalDiag?.length) fields.push({ label: 'Typical diag', value: entry.typicalDiag.join(' | ') });
  if (entry.scripts?.length) fields.push({ label: 'Emitted by', value: entry.scripts.join(', ') });
  if (entry.aliases?.length) fields.push({ label: 'Also defined as', value: entry.aliases.join(' | ') });
  return fields;
}

/** Blocks for one entry; `expert` adds the long description when an explanation exists too. */
export function entryBlocks(entry: ErrorCodeEntry, options: { expert?: boolean; heading?: boolean } = {}): ReplyBlock[] {
  const blocks: ReplyBlock[] = [];
  if (options.heading !== false) blocks.push({ kind: 'heading', text: entryTitle(entry) });
  blocks.push({ kind: 'markdown', text: entryText(entry) });
  if (options.expert && entry.explanation && entry.description) blocks.push({ kind: 'markdown', text: `More detail: ${entry.description}` });
  blocks.push({ kind: 'fields', fields: entryFields(entry) });
  if (entry.status === 'legacy') {
    blocks.push({
      kind: 'notice',
      level: 'info',
      text: 'Historical code: it is no longer defined in current PanDA sources, so it appears only on older jobs.',
    });
  }
  if (entry.note) blocks.push({ kind: 'notice', level: 'info', text: `Source note: ${entry.note}` });
  return blocks;
}

/** One plain-text paragraph per entry, for `Reply.summary`. */
export function entrySummary(entry: ErrorCodeEntry): string {
  return [
    `${entryTitle(entry)}: ${entry.message ?? 'no default message'}.`,
    `Category: ${entry.category}. Retry advice: ${RETRY_LABELS[entry.retry]} (${entry.retry}) - ${entry.retryReason}`,
    entryText(entry),
  ].join(' ');
}
