/** Renders queue-query results as compact tables, fields or one sentence. */
import type { ReplyBlock } from '../../src/contracts/reply.js';
import { fieldInfo, fieldValue, formatValue } from './queue-fields.js';
import type { QueueQueryResult } from './queue-query.js';

const MAX_ROWS = 40;

export interface RenderedQueueAnswer {
  blocks: ReplyBlock[];
  summary: string;
  /** For lists: the matching names as one sentence (the summary without its caption). */
  names?: string;
}

const capital = (s: string) => `${s.charAt(0).toUpperCase()}${s.slice(1)}`;

/**
 * `title` names what was asked: the conditions in words ("online queues in cloud DE") for lists,
 * or the fields and queues for named queues. `named`: the question named the queues (one sentence
 * per queue with every field asked).
 */
export function renderQueueResult(result: QueueQueryResult, title: string, single: boolean, named = false, echoed = false): RenderedQueueAnswer {
  if (result.kind === 'value') {
    const unit = result.field ? (fieldInfo(result.field)?.unit ?? '') : '';
    const value =
      result.value === null ? 'no value' : result.fn === 'count' ? String(result.value) : `${result.value}${unit && unit !== 'cores' ? ` ${unit}` : ''}`;
    const text =
      result.fn === 'count'
        ? `${capital(title)}: ${value}.`
        : `${result.fn === 'avg' ? 'Average' : result.fn === 'sum' ? 'Total' : result.fn === 'max' ? 'Highest' : 'Lowest'} ${result.field} of the ${result.count} ${title}: ${value}${result.queue ? ` (${result.queue.name}, ${result.queue.site})` : ''}.`;
    return { blocks: [{ kind: 'markdown', text }], summary: text };
  }
  if (result.kind === 'groups') {
    const label = result.fn === 'count' ? 'Queues' : `${result.fn} ${result.field}`;
    const total = result.groups.reduce((s, g) => s + g.count, 0);
    const text = `${capital(title)} per ${result.groupBy}${result.fn === 'count' ? '' : ` (${result.fn} ${result.field})`}: ${total} queues in ${result.groups.length} groups.`;
    return {
      blocks: [
        { kind: 'markdown', text },
        { kind: 'table', caption: title, columns: [result.groupBy, label], rows: result.groups.map((g) => [g.key, formatValue(result.field ?? '', g.value)]) },
      ],
      summary: `${text} ${result.groups.map((g) => `${g.key} ${g.value}`).join(', ')}`,
    };
  }
  if (result.total === 0) {
    // When the conditions were already said back above ("…: 0."), they are not repeated.
    const text = echoed ? 'No queue matches all of these conditions.' : `No queue matches (${title}).`;
    return { blocks: [{ kind: 'markdown', text }], summary: text };
  }
  if (named && !single) {
    const lines = result.rows.map((q) => {
      const fields = result.fields.filter((f) => f !== 'name').map((f) => `${f} ${formatValue(f, fieldValue(q, f))}`);
      return `${q.name} (${q.site}, ${q.cloud}): ${fields.join('; ')}.`;
    });
    return {
      blocks: [
        { kind: 'markdown', text: lines.join('\n') },
        { kind: 'table', caption: title, columns: result.fields, rows: result.rows.map((q) => result.fields.map((f) => formatValue(f, fieldValue(q, f)))) },
      ],
      summary: lines.join(' '),
    };
  }
  if (single && result.rows.length === 1) {
    const q = result.rows[0];
    if (q) {
      const fields = result.fields.filter((f) => f !== 'name').map((f) => ({ label: f, value: formatValue(f, fieldValue(q, f)) }));
      const text = `${q.name} (${q.site}, ${q.cloud}): ${fields.map((f) => `${f.label} ${f.value}`).join('; ')}.`;
      return {
        blocks: [
          { kind: 'heading', text: `Queue ${q.name}` },
          { kind: 'fields', fields: [{ label: 'site', value: `${q.site} (${q.cloud})` }, ...fields] },
        ],
        summary: text,
      };
    }
  }
  const shown = result.rows.slice(0, MAX_ROWS);
  const caption = echoed
    ? result.total > shown.length
      ? `first ${shown.length} of ${result.total} queues`
      : `${result.total} queue${result.total === 1 ? '' : 's'}`
    : result.total > shown.length
      ? `${capital(title)}: first ${shown.length} of ${result.total}`
      : `${capital(title)}: ${result.total} queue${result.total === 1 ? '' : 's'}`;
  const names = result.rows.map((q) => q.name);
  return {
    blocks: [{ kind: 'table', caption, columns: result.fields, rows: shown.map((q) => result.fields.map((f) => formatValue(f, fieldValue(q, f)))) }],
    summary: `${caption}: ${names.slice(0, 20).join(', ')}${names.length > 20 ? ', …' : ''}.`,
    names: `${names.slice(0, 20).join(', ')}${names.length > 20 ? `, … (${names.length - 20} more in the table)` : ''}.`,
  };
}
