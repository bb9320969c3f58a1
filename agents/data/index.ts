/** Data agents: task triage, CRIC queue questions, error summaries and server-side charts. */
export { type BarChartOptions, type BarDatum, chartSize, type RenderedChart, renderBarChart } from './bar-chart.js';
export { answerTopErrors, type ErrorSummaryCache, type ErrorSummaryOptions } from './error-summary.js';
export { createQueueAgent, type QueueAgentOptions } from './queue-agent.js';
export { parseQueueQuestion, summaryHours } from './queue-parser.js';
export { type QueueQuery, queueQuerySchema, runQueueQuery } from './queue-query.js';
export { createTaskAgent, type TaskAgentOptions } from './task-agent.js';
export { type TaskTriage, triageTask } from './task-triage.js';
export { createTemplateMiner } from './template-miner.js';
