/**
 * What the MCP server can do, as plain functions. The composition root builds it from the core and
 * the agents (src/cli/mcp-toolbox.ts); the server only describes, validates and renders.
 */
import type { AgentTool } from '../contracts/agent.js';
import type { Reply } from '../contracts/reply.js';
import type { Intent } from '../contracts/routing.js';

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
  /** Every tool the agents declare (`Agent.tools`), with the intent of the agent answering it. */
  tools(): ReadonlyArray<AgentTool & { intent: Intent }>;
  /** Calls one of `tools()` with arguments the server validated against its schema. */
  callTool(name: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<Reply>;
  /** Every error code of the knowledge base (for resource listing). */
  errorCodes(): readonly ErrorCodeListing[];
  /** One error code's full entry, or null when the knowledge base has none. */
  errorCode(component: string, code: number): Record<string, unknown> | null;
}
