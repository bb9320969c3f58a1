/** Every CLI command module. Each exports `register(program, services)`. */
import type { Command } from 'commander';
import type { Services } from './services.js';

export type RegisterCommand = (program: Command, services: () => Services) => void;

export const commandModules: Array<() => Promise<{ register: RegisterCommand }>> = [
  () => import('./start.js'),
  () => import('./ask.js'),
  () => import('./config-check.js'),
  () => import('./eval-failures.js'),
  () => import('./eval-secrets.js'),
  () => import('./eval-routing.js'),
  () => import('./eval-conversations.js'),
  () => import('./job.js'),
  () => import('./task.js'),
  () => import('./compare-llms.js'),
  () => import('./discord.js'),
  () => import('./ingest.js'),
  () => import('./eval-docqa.js'),
  () => import('./eval-discussions.js'),
  () => import('./ingest-discussions.js'),
  () => import('./mcp.js'),
  () => import('./status.js'),
  () => import('./feedback.js'),
  () => import('./watch.js'),
];
