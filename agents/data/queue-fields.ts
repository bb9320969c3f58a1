/**
 * What the queue agent knows about CRIC PanDA-queue fields: type, unit and the words people use
 * for them (reference section B; units from pilot3 pilot/info/queuedata.py).
 */
import { suggestNames } from '../../src/panda/index.js';

export type FieldType = 'string' | 'number' | 'boolean' | 'dict' | 'list';

export interface QueueField {
  name: string;
  type: FieldType;
  unit?: string;
  description: string;
  /** Words and phrases that name the field in questions, lower case. */
  synonyms: string[];
}

export const QUEUE_FIELDS: readonly QueueField[] = [
  { name: 'name', type: 'string', description: 'PanDA queue name', synonyms: ['queue', 'queue name', 'panda queue'] },
  { name: 'site', type: 'string', description: 'CRIC site (matching also atlas_site, panda_site, gocname, rc_site)', synonyms: ['site', 'sites'] },
  { name: 'atlas_site', type: 'string', description: 'ATLAS site name', synonyms: ['atlas site'] },
  { name: 'cloud', type: 'string', description: 'cloud: US, DE, UK, CERN, ND, FR, ES, IT, CA, NL, RU', synonyms: ['cloud', 'clouds'] },
  { name: 'country', type: 'string', description: 'country', synonyms: ['country', 'countries'] },
  { name: 'tier', type: 'string', description: 'tier: T0, T1, T2, T2D, T3', synonyms: ['tier', 'tiers'] },
  {
    name: 'status',
    type: 'string',
    description: 'brokerage status: online, test, brokeroff, offline',
    synonyms: ['status', 'state of the queue', 'online', 'offline'],
  },
  { name: 'type', type: 'string', description: 'queue type: unified, production, analysis, special', synonyms: ['type', 'queue type', 'kind'] },
  { name: 'resource_type', type: 'string', description: 'GRID, hpc, cloud, gpu, hpc_special, cloud_special', synonyms: ['resource type', 'resource'] },
  { name: 'capability', type: 'string', description: 'ucore, mcore, score', synonyms: ['capability'] },
  { name: 'corecount', type: 'number', unit: 'cores', description: 'cores per job slot', synonyms: ['corecount', 'core count', 'cores', 'number of cores'] },
  {
    name: 'corepower',
    type: 'number',
    unit: 'HS06 per core',
    description: 'HS06 per core',
    synonyms: ['corepower', 'core power', 'hs06', 'hs06 per core', 'cpu power', 'benchmark'],
  },
  {
    name: 'maxrss',
    type: 'number',
    unit: 'MB',
    description: 'max memory per job slot',
    synonyms: ['maxrss', 'max rss', 'max memory', 'maximum memory', 'memory', 'ram', 'rss'],
  },
  { name: 'minrss', type: 'number', unit: 'MB', description: 'min memory per job slot', synonyms: ['minrss', 'min rss', 'min memory', 'minimum memory'] },
  { name: 'meanrss', type: 'number', unit: 'MB', description: 'mean memory per job slot', synonyms: ['meanrss', 'mean rss', 'mean memory', 'average memory'] },
  {
    name: 'maxtime',
    type: 'number',
    unit: 's',
    description: 'max walltime of the slot',
    synonyms: ['maxtime', 'max time', 'walltime', 'wall time', 'max walltime', 'time limit'],
  },
  { name: 'mintime', type: 'number', unit: 's', description: 'min walltime', synonyms: ['mintime', 'min time'] },
  { name: 'timefloor', type: 'number', unit: 'min', description: 'time after which the pilot stops fetching new jobs', synonyms: ['timefloor', 'time floor'] },
  {
    name: 'maxwdir',
    type: 'number',
    unit: 'MB',
    description: 'max job work directory size',
    synonyms: ['maxwdir', 'work dir', 'workdir', 'disk', 'scratch', 'work directory'],
  },
  { name: 'maxinputsize', type: 'number', unit: 'MB', description: 'max input size', synonyms: ['maxinputsize', 'max input size', 'input size'] },
  { name: 'nodes', type: 'number', description: 'number of nodes', synonyms: ['nodes'] },
  {
    name: 'copytools',
    type: 'dict',
    description: 'copytool name -> setup (rucio, mv, xrdcp, gfalcopy, objectstore)',
    synonyms: ['copytool', 'copytools', 'copy tool', 'copy tools'],
  },
  {
    name: 'acopytools',
    type: 'dict',
    description: 'copytools per activity (pr stage-in, pw stage-out, pl log, read_lan, write_lan, ...)',
    synonyms: ['acopytools', 'activity copytools', 'copytools per activity'],
  },
  {
    name: 'astorages',
    type: 'dict',
    description: 'storage endpoints (RSEs) per activity',
    synonyms: ['astorages', 'storage', 'storages', 'rse', 'rses', 'ddm endpoints'],
  },
  {
    name: 'container_type',
    type: 'string',
    description: 'container runtime and who uses it, e.g. singularity:pilot',
    synonyms: ['container type', 'container', 'containers'],
  },
  { name: 'container_options', type: 'string', description: 'extra container options', synonyms: ['container options', 'container settings'] },
  { name: 'pilot_manager', type: 'string', description: 'Harvester or local', synonyms: ['pilot manager'] },
  { name: 'harvester', type: 'string', description: 'Harvester instance', synonyms: ['harvester', 'harvester instance'] },
  { name: 'workflow', type: 'string', description: 'pull_ups, push, pull, ...', synonyms: ['workflow'] },
  { name: 'pilot_version', type: 'string', description: 'pilot version', synonyms: ['pilot version'] },
  { name: 'python_version', type: 'string', description: 'python version of the pilot', synonyms: ['python version', 'python'] },
  { name: 'direct_access_lan', type: 'boolean', description: 'direct input access on the LAN', synonyms: ['direct access lan', 'direct access'] },
  { name: 'direct_access_wan', type: 'boolean', description: 'direct input access over the WAN', synonyms: ['direct access wan'] },
  { name: 'is_cvmfs', type: 'boolean', description: 'CVMFS available', synonyms: ['cvmfs'] },
  { name: 'wnconnectivity', type: 'string', description: 'worker-node connectivity, e.g. full#IPv4', synonyms: ['wnconnectivity', 'connectivity', 'network'] },
  { name: 'releases', type: 'list', description: 'software releases, e.g. AUTO', synonyms: ['releases', 'release'] },
  { name: 'hc_suite', type: 'list', description: 'HammerCloud suites', synonyms: ['hc suite', 'hammercloud'] },
  { name: 'environ', type: 'string', description: 'environment variables set for the pilot', synonyms: ['environ', 'environment'] },
  { name: 'catchall', type: 'string', description: 'catch-all settings', synonyms: ['catchall'] },
  { name: 'params', type: 'dict', description: 'Harvester/pilot overrides', synonyms: ['params', 'parameters'] },
  { name: 'state_comment', type: 'string', description: 'why the status was last changed', synonyms: ['state comment', 'status comment'] },
  { name: 'comment', type: 'string', description: 'comment', synonyms: ['comment'] },
  { name: 'description', type: 'string', description: 'description', synonyms: ['description'] },
  { name: 'last_modified', type: 'string', description: 'last change in CRIC', synonyms: ['last modified', 'modified'] },
];

const BY_NAME = new Map(QUEUE_FIELDS.map((f) => [f.name, f]));

/** Fields shown for "container settings of X". */
export const CONTAINER_FIELDS = ['container_type', 'container_options'] as const;
/** Fields shown for "what copytool does X use". */
export const COPYTOOL_FIELDS = ['copytools', 'acopytools'] as const;
/** Columns of a plain queue list. */
export const LIST_FIELDS = ['name', 'site', 'cloud', 'status', 'type', 'resource_type'] as const;

export function fieldInfo(name: string): QueueField | undefined {
  return BY_NAME.get(name);
}

/** The field a word or phrase names (field name or synonym, case-insensitive), if any. */
export function fieldFromWord(word: string): QueueField | undefined {
  const w = word
    .trim()
    .toLowerCase()
    .replace(/[-\s]+/g, ' ');
  return BY_NAME.get(w.replace(/ /g, '_')) ?? QUEUE_FIELDS.find((f) => f.synonyms.includes(w));
}

/** Up to three known field names close to an unknown one. */
export function suggestFields(word: string): string[] {
  const names = QUEUE_FIELDS.flatMap((f) => [f.name, ...f.synonyms]);
  const out = new Set<string>();
  for (const hit of suggestNames(names, word, 6)) {
    const f = fieldFromWord(hit);
    if (f) out.add(f.name);
  }
  return [...out].slice(0, 3);
}

/** Phrase patterns for field mentions, longest first, so "max memory" wins over "memory". */
export const FIELD_PHRASES: ReadonlyArray<{ phrase: string; field: string }> = QUEUE_FIELDS.flatMap((f) =>
  [f.name, ...f.synonyms].map((phrase) => ({ phrase: phrase.toLowerCase().replace(/_/g, ' '), field: f.name })),
)
  .filter((p) => !['online', 'offline', 'site', 'sites', 'queue', 'queue name', 'panda queue', 'type', 'kind', 'resource'].includes(p.phrase))
  .sort((a, b) => b.phrase.length - a.phrase.length);

/** A value with its unit, for tables: 48000 MB, 345600 s (96 h), {"rucio"} → rucio. */
export function formatValue(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  const info = fieldInfo(field);
  if (info?.type === 'number' && typeof value === 'number') {
    if (info.unit === 's') return value >= 3600 ? `${value} s (${Math.round((value / 3600) * 10) / 10} h)` : `${value} s`;
    return info.unit && info.unit !== 'cores' ? `${value} ${info.unit}` : String(value);
  }
  if (field === 'copytools' && typeof value === 'object') return Object.keys(value as object).join(', ') || '—';
  if (Array.isArray(value)) return value.join(', ') || '—';
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return '—';
    return entries.map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(',') : typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join('; ');
  }
  return String(value);
}

/** A field's value, following one dot into a dict field (`acopytools.pw`). */
export function fieldValue(queue: Record<string, unknown>, field: string): unknown {
  if (field in queue || !field.includes('.')) return queue[field];
  const [head, key] = field.split('.', 2) as [string, string];
  const dict = queue[head];
  return dict && typeof dict === 'object' ? (dict as Record<string, unknown>)[key] : undefined;
}
