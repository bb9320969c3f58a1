export { type GeneratedTask, generatedJob, generatedPandaid } from './job-records.js';
export { type FakeFailure, type FakeMonitor, type FakeMonitorOptions, type GeneratedLog, type RecordedRequest, startFakeMonitor } from './fake-monitor.js';
export { LOGIN_PAGE, notFoundPage } from './pages.js';
