/**
 * Error-code components: our canonical names, the names other sources use for them, and the
 * job-record fields each one is reported in.
 */
import type { Component } from './types.js';

/** Every component, most commonly met by users first (used to order multi-component answers). */
export const COMPONENTS: readonly Component[] = ['pilot', 'trf', 'exe', 'wnscript', 'jobdispatcher', 'taskbuffer', 'ddm', 'supervisor', 'brokerage'];

/** Human label of each component, for replies. */
export const COMPONENT_LABELS: Readonly<Record<Component, string>> = {
  pilot: 'Pilot',
  trf: 'Transform (payload exit code)',
  exe: 'Executor',
  wnscript: 'Analysis wrapper (wn-script)',
  jobdispatcher: 'PanDA server: job dispatcher',
  taskbuffer: 'PanDA server: task buffer',
  ddm: 'PanDA server: data service (DDM)',
  supervisor: 'PanDA server: supervisor',
  brokerage: 'PanDA server: brokerage',
};

/** The name the BigPanDA monitor uses in error keys such as `transform:65` (since 2025-05-30). */
export const MONITOR_COMPONENT_NAMES: Readonly<Record<Component, string>> = {
  pilot: 'pilot',
  trf: 'transform',
  exe: 'executor',
  wnscript: 'executor',
  jobdispatcher: 'jobdispatcher',
  taskbuffer: 'taskbuffer',
  ddm: 'dataservice',
  supervisor: 'supervisor',
  brokerage: 'brokerage',
};

const ALIASES: Readonly<Record<string, Component>> = {
  pilot: 'pilot',
  piloterrorcode: 'pilot',
  trf: 'trf',
  transform: 'trf',
  transformation: 'trf',
  transexitcode: 'trf',
  payload: 'trf',
  exe: 'exe',
  executor: 'exe',
  exeerrorcode: 'exe',
  ddm: 'ddm',
  dataservice: 'ddm',
  ddmerrorcode: 'ddm',
  taskbuffer: 'taskbuffer',
  taskbuffererrorcode: 'taskbuffer',
  jobdispatcher: 'jobdispatcher',
  dispatcher: 'jobdispatcher',
  jobdispatchererrorcode: 'jobdispatcher',
  supervisor: 'supervisor',
  sup: 'supervisor',
  superrorcode: 'supervisor',
  brokerage: 'brokerage',
  brokerageerrorcode: 'brokerage',
  wnscript: 'wnscript',
  'wnscript-legacy': 'wnscript',
  'wn-script': 'wnscript',
  wnscripts: 'wnscript',
};

/**
 * Maps any spelling of a component (`dataservice`, `executor`, `transformation`, `sup`,
 * `wnscript-legacy`, `bigmon-legacy:exe`, a job field like `piloterrorcode`) to a `Component`.
 * Returns null for an unknown name.
 */
export function normaliseComponent(name: string | null | undefined): Component | null {
  if (!name) return null;
  let key = name
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '');
  const colon = key.lastIndexOf(':');
  if (colon >= 0) key = key.slice(colon + 1);
  return ALIASES[key] ?? null;
}
