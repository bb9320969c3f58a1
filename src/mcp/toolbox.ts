/**
 * What the MCP server can do, as plain functions. The composition root builds it from the core and
 * the agents (src/cli/mcp-toolbox.ts); the server only describes, validates and renders.
 */
import type { Reply } from '../contracts/reply.js';

/** One error-code entry of the knowledge base, as listed in MCP resources. */
export interface ErrorCodeListing {
  component: string;
  code: number;
  name: string | null;
  message: string | null;
}

export interface McpToolbox {
  /**
   * A free question through the same core as the chat adapters; `conversation` keeps follow-ups
   * together within one `caller` (the client's identity; `local` when omitted).
   */
  ask(text: string, conversation: string, signal?: AbortSignal, caller?: string): Promise<Reply>;
  analyzeJob(pandaid: number, view: 'user' | 'expert', signal?: AbortSignal): Promise<Reply>;
  taskSummary(jeditaskid: number, signal?: AbortSignal): Promise<Reply>;
  queryQueues(question: string, signal?: AbortSignal): Promise<Reply>;
  searchDocs(query: string, signal?: AbortSignal): Promise<Reply>;
  explainErrorCode(code: number, component: string | null, signal?: AbortSignal): Promise<Reply>;
  errorSummary(hours: number, site: string | null, signal?: AbortSignal): Promise<Reply>;
  /** Every error code of the knowledge base (for resource listing). */
  errorCodes(): readonly ErrorCodeListing[];
  /** One error code's full entry, or null when the knowledge base has none. */
  errorCode(component: string, code: number): Record<string, unknown> | null;
}
