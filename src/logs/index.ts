/** Logs: streaming failure-window extraction, failure signatures and secret redaction. */
export { isHarmlessValue, placeholder, redact, redactDeep, redactLines, type SecretKind, secretSurvives } from './redact.js';
export { type Candidate, type Level, type ScanOptions, type ScanSummary, scanLog } from './scan.js';
export { isNoise, needlesFor, type Phase, SIGNATURES, type Signature, signaturesFor } from './signatures.js';
export { isTemplateToken, lineTemplate, pilotMessage, stripPilotPrefix, type TemplateOptions, templateLine } from './template.js';
export { readFileChunks } from './file-chunks.js';
export {
  announcesRetry,
  extractWindows,
  type FailureWindow,
  type LogExtraction,
  renderWindows,
  summaryCodes,
  WHOLE_LOG_BYTES,
  WILL_RETRY,
  type WindowOptions,
} from './windows.js';
