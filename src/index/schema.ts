/**
 * The LanceDB row of one chunk. Documentation and (later) support-channel discussions share the
 * table: `kind` tells them apart, and discussions fill the channel columns so a search can hide
 * private threads of other channels.
 */
import { Bool, Field, FixedSizeList, Float32, Int32, Schema, Utf8 } from 'apache-arrow';
import type { Passage } from '../contracts/documents.js';

/** What an ingester hands to the store for one chunk: a passage's citation metadata, the focused text that is searched, and its context. */
export type ChunkInput = Omit<Passage, 'id' | 'score'> & {
  /** The passage returned for it (the text with its surroundings); `text` when absent. */
  context?: string;
};

// A type alias (not an interface) so rows are assignable to LanceDB's Record<string, unknown> data.
export type ChunkRow = {
  id: string;
  /** The file path or URL the chunk was read from: the unit of replacement. */
  origin: string;
  ordinal: number;
  kind: string;
  source: string;
  title: string;
  section: string | null;
  page: number | null;
  url: string | null;
  text: string;
  context: string;
  /** Identifier-aware words of the text (full-text indexed). */
  ftext: string;
  /** Identifier-aware words of title and section path (full-text indexed). */
  fhead: string;
  channel: string | null;
  channel_id: string | null;
  platform: string | null;
  private: boolean;
  date: string | null;
  thread_id: string | null;
  vector?: number[];
};

export const PASSAGE_COLUMNS = [
  'id',
  'origin',
  'ordinal',
  'context',
  'kind',
  'source',
  'title',
  'section',
  'page',
  'url',
  'text',
  'fhead',
  'channel',
  'channel_id',
  'platform',
  'private',
  'date',
  'thread_id',
];

export function chunkSchema(dimension: number | null): Schema {
  const text = (name: string, nullable = true) => new Field(name, new Utf8(), nullable);
  const fields: Field[] = [
    text('id', false),
    text('origin', false),
    new Field('ordinal', new Int32(), false),
    text('kind', false),
    text('source', false),
    text('title', false),
    text('section'),
    new Field('page', new Int32(), true),
    text('url'),
    text('text', false),
    text('context', false),
    text('ftext', false),
    text('fhead', false),
    text('channel'),
    text('channel_id'),
    text('platform'),
    new Field('private', new Bool(), false),
    text('date'),
    text('thread_id'),
  ];
  if (dimension) fields.push(new Field('vector', new FixedSizeList(dimension, new Field('item', new Float32(), true)), true));
  return new Schema(fields);
}

/** A stored row (as LanceDB returns it) → the contract's Passage. */
export function rowToPassage(row: Record<string, unknown>, score: number): Passage {
  const str = (k: string): string | undefined => (typeof row[k] === 'string' && row[k] !== '' ? (row[k] as string) : undefined);
  const passage: Passage = {
    id: String(row.id),
    text: String(row.context ?? row.text),
    kind: row.kind === 'discussion' ? 'discussion' : 'doc',
    source: String(row.source),
    title: String(row.title),
    score,
  };
  const optional = {
    section: str('section'),
    page: typeof row.page === 'number' ? row.page : undefined,
    url: str('url'),
    channel: str('channel'),
    channelId: str('channel_id'),
    platform: str('platform'),
    private: row.kind === 'discussion' ? row.private === true : undefined,
    date: str('date'),
    threadId: str('thread_id'),
  };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) (passage as unknown as Record<string, unknown>)[k] = v;
  return passage;
}
