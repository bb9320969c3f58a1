export type SourceKind = 'doc' | 'discussion';

/** A retrieved passage, with what is needed to cite it. */
export interface Passage {
  id: string;
  text: string;
  kind: SourceKind;
  source: string;
  title: string;
  section?: string;
  page?: number;
  url?: string;
  score: number;
  /** Discussions only. */
  channel?: string;
  channelId?: string;
  platform?: string;
  private?: boolean;
  date?: string;
  threadId?: string;
}

export interface SearchOptions {
  limit?: number;
  kinds?: SourceKind[];
  /** The channel the question was asked in: private discussions of other channels are excluded. */
  askedInChannel?: { platform: string; id: string };
  signal?: AbortSignal;
}

export interface DocumentStore {
  search(query: string, options?: SearchOptions): Promise<Passage[]>;
  /** Number of chunks per source kind. */
  stats(): Promise<Record<string, number>>;
}
