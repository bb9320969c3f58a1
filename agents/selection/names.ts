/**
 * Queue and site names: known CRIC names matched case-insensitively (returned in CRIC spelling),
 * shape heuristics for names CRIC did not tell us about, and the site-vs-queue decision.
 */

import { FIELD_PHRASES, fieldInfo } from '../data/queue-fields.js';
import { withinEdits } from '../../src/panda/index.js';
import { isEnglishWord } from './english.js';
import { escapeRe, lowerAndCorrect } from './text.js';
import { DOMAIN } from './vocabulary.js';

export interface KnownNames {
  queues: string[];
  sites: string[];
}

export interface NameIndex {
  queues: Map<string, string>;
  sites: Map<string, string>;
}

export interface NameMention {
  kind: 'queue' | 'site';
  /** CRIC spelling when known, else the typed name (upper-cased when typed all lower case). */
  name: string;
  index: number;
  known: boolean;
  /** Needs the question to be about queues before it counts (a plain word such as "CERN"). */
  weak: boolean;
  /** After "at"/"on": where a job ran, when the message names a job or task. */
  where?: boolean;
}

/**
 * The one CRIC name a mistyped token is closest to ("tirumf" → TRIUMF, "agl2" → AGLT2), or null
 * when none or several are that close. One edit for names of 4–9 letters, two from 10 letters.
 */
/** "nersc_perlmutter_score" is not a typo of "…_mcore": the two differ in a whole queue-kind segment (another queue of the site). */
function otherKind(a: string, b: string): boolean {
  const as = a.split(/[-_.]/);
  const bs = b.split(/[-_.]/);
  if (as.length !== bs.length) return false;
  const differ = as.map((s, i) => [s, bs[i] ?? ''] as const).filter(([x, y]) => x !== y);
  return differ.length === 1 && differ.every(([x, y]) => ACRONYMS.has(x.toUpperCase()) && ACRONYMS.has(y.toUpperCase()));
}

export function closeName(token: string, index: NameIndex): { kind: 'queue' | 'site'; name: string } | null {
  const lower = token.toLowerCase();
  if (lower.length < 4) return null;
  const max = lower.length >= 10 ? 2 : 1;
  const hits = new Map<string, 'queue' | 'site'>();
  for (const [kind, map] of [
    ['queue', index.queues],
    ['site', index.sites],
  ] as const) {
    for (const [key, name] of map) if (!hits.has(name) && key[0] === lower[0] && withinEdits(lower, key, max) && !otherKind(lower, key)) hits.set(name, kind);
  }
  if (hits.size !== 1) return null;
  const [name, kind] = [...hits][0] as [string, 'queue' | 'site'];
  return { kind, name };
}

/**
 * "NERSC_Perlmutter_GPU", "GoeGrid_NHR", "UKI-SCOTGRID-FOO": a multi-part name that opens the way a
 * known queue or site opens (its first part, three letters or more) is another queue of that site.
 */
export function sitePrefix(lower: string, index: NameIndex): boolean {
  const first = lower.split(/[-_.]/)[0] ?? '';
  if (first.length < 3 || first === lower) return false;
  for (const map of [index.queues, index.sites])
    for (const name of map.keys()) if (name.startsWith(first) && /^[-_.]/.test(name.slice(first.length))) return true;
  return false;
}

export function indexNames(names: KnownNames): NameIndex {
  const queues = new Map<string, string>();
  const sites = new Map<string, string>();
  for (const q of names.queues) if (q) queues.set(q.toLowerCase(), q);
  for (const s of names.sites) if (s) sites.set(s.toLowerCase(), s);
  return { queues, sites };
}

/** Known names that are also everyday words: they count only with an explicit queue/site anchor. */
const COMMON_WORD_NAMES = new Set([
  'all',
  'cern',
  'pic',
  'vega',
  'emmy',
  'tokyo',
  'beijing',
  'hongkong',
  'sampa',
  'uam',
  'nsc',
  'technion',
  'weizmann',
  'ifae',
]);
/** All-caps words that are never queues. */
export const ACRONYMS = new Set(
  'HS06 HEPSPEC CPU CPUS GPU GPUS RSS PSS VMEM CRIC JEDI PANDA BIGPANDA ATLAS CMS LHC DDM RSE RSES PQ PQS WN WNS HC CE CES SE VO DN ID IDS URL API JSON SQL HPC ARC AOD DAOD ESD EVNT HITS RDO NTUP LFN GUID DID ASAP FYI NOT THE AND WHY HOW WHAT WHO OK TODO README FAQ PDF HTML HTTP HTTPS SSH SSL TLS DNS CVMFS EOS AFS NFS CEPH XROOTD FTS SRM WEBDAV MC DATA IAM OIDC VOMS GSI X509 RAM SSD HDD OS RHEL ALMA CENTOS EL9 EL8 EL7 SL7 CC7 ARM ARM64 AMD INTEL NVIDIA CUDA AI LLM GRID WLCG OSG EGI NDGF T0 T1 T2 T3 UTC CET CEST PST EST AM PM MB GB TB KB PB ES GPT IMHO BTW AFAIK ETA HELP URGENT PLEASE THANKS ERROR FAILED FINISHED RUNNING ACTIVATED PENDING JOB JOBS TASK TASKS QUEUE SITE SITES PILOT CERN DESY FNAL KEK LBNL ANL ORNL IHEP ANALY PROD MCORE SCORE UCORE HIMEM VHIMEM LOWMEM ITB OPP TEST VP'.split(
    ' ',
  ),
);
/** Segments that make an UPPER_CASE_NAME an environment variable or a data format, not a queue. */
const NOT_QUEUE_SEGMENTS = new Set(
  'TF PROXY PATH HOME DIR USER FILE TOKEN CONFIG URL ROOT BASE VERSION ACCOUNT HOST PORT CERT KEY LEVEL MODE LIBRARY ENV NAME SETUP LOCAL PYTHON OPTS ARGS FLAGS TIMEOUT DEBUG VERBOSE AUTH OIDC SSL HTTP HTTPS LD PANDA RUCIO X509 ALRB ATHENA OMP CUDA DATADISK SCRATCHDISK LOCALGROUPDISK GROUPDISK DATATAPE MCTAPE USERDISK TAPE LOG LOGS ID'.split(
    ' ',
  ),
);
const DATA_PREFIXES = /^(?:DAOD|AOD|ESD|NTUP|EVNT|HITS|RDO|TXT|DESD|DRAW|HIST|DAOD|MC\d*|DATA\d*|UTF|X86|ISO|RFC|PEP|ES\d)$/;
const SITE_SHAPE = /-ATLAS$/i;
/** Hyphen segments that make a lower-case word an ordinary term ("stage-in", "panda-client"). */
const WORD_SEGMENTS = new Set(
  'of to the in out up date end by and on a an non re pre multi single per sub self co time line user client server side pilot panda rucio jedi harvester stage copy tool core memory version job task queue site event service data file log error code wall max min cpu gpu disk real world long short term based level'.split(
    ' ',
  ),
);

/** Words right before/after a name that make it a queue/site mention. */
const ANCHOR_BEFORE = new Set([
  'at',
  'on',
  'of',
  'for',
  'to',
  'from',
  'queue',
  'queues',
  'pq',
  'pqs',
  'site',
  'sites',
  'does',
  'is',
  'in',
  'about',
  'via',
  'use',
  'uses',
  'and',
  'vs',
  'than',
  'with',
]);
const ANCHOR_AFTER = new Set([
  'queue',
  'queues',
  'pq',
  'site',
  'online',
  'offline',
  'down',
  'up',
  'status',
  'uses',
  'use',
  'has',
  'have',
  'give',
  'gives',
  'support',
  'supports',
  'allow',
  'allows',
  'running',
  'run',
  's',
]);
const STRONG_ANCHOR = new Set(['queue', 'queues', 'pq', 'pqs', 'site', 'sites']);

interface Context {
  before: string;
  after: string;
}

function contextOf(text: string, start: number, end: number): Context {
  const before =
    text
      .slice(Math.max(0, start - 30), start)
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter(Boolean)
      .pop() ?? '';
  const after =
    text
      .slice(end, end + 30)
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter(Boolean)[0] ?? '';
  return { before, after };
}

function segmentsOf(token: string): string[] {
  return token.toUpperCase().split(/[-_.]/).filter(Boolean);
}

/** Verbs and quantifiers that open option and variable names (`max_walltime`, `IS_CVMFS`, `use_pcache`). */
const OPTION_OPENERS = new Set('is has no do use allow enable disable skip force get set max min num nb n'.split(' '));

/**
 * An identifier made of words, not a site: a CRIC field name (`allow_lan`), or a multi-part name
 * that opens with an everyday English word, a PanDA word or an option verb (`copy_out`,
 * `PILOT_MAXNPROC`, `UTILITY_BEFORE_PAYLOAD`). Queue names open with a site (`BNL_`, `UKI-`, `praguelcg2_`).
 */
export function wordyIdentifier(token: string): boolean {
  if (fieldInfo(token.toLowerCase())) return true;
  const segments = token.toLowerCase().split(/[-_.]/).filter(Boolean);
  if (segments.length < 2) return false;
  const first = segments[0] ?? '';
  return OPTION_OPENERS.has(first) || (first.length >= 3 && (isEnglishWord(first) || isVocabulary(first)));
}

function looksLikeOtherThing(token: string): boolean {
  const segments = segmentsOf(token);
  if (segments.some((s) => NOT_QUEUE_SEGMENTS.has(s))) return true;
  if (wordyIdentifier(token)) return true;
  // One everyday word ("EVERYTHING", "Least") is not a queue CRIC did not name.
  if (segments.length === 1 && isEnglishWord(token)) return true;
  return DATA_PREFIXES.test(segments[0] ?? '');
}

/** Country and cloud codes that open ATLAS site names ("de-…", "uki-…", "ru-…"); not words that open ordinary compounds. */
const COUNTRY_PREFIX = new Set('ca ch cn cz de dk es fi fr gr hk il jp nl pl pt ro ru se si sk tr tw uk uki us za au br cl'.split(' '));
/** Segments of platform strings and versions ("centos7", "gcc13", "el9"), not site names. */
const PLATFORM_SEGMENT = /^(?:el|sl|slc|cc|centos|alma|rhel|gcc|clang|python|py|cuda|x|v|arm|amd|opt|dbg|mc|data|cs|sha|md|utf|ipv|tls|ssl|http|rfc|pep)\d/;

const WHOLE_DOMAIN_WORD = new RegExp(`^(?:${DOMAIN.source})$`);
/** The whole token is a PanDA word ("STAGEIN", "NUCLEUS", "BROKEROFF"): vocabulary, not a queue CRIC did not name. */
function isVocabulary(token: string): boolean {
  return WHOLE_DOMAIN_WORD.test(token.toLowerCase());
}

/** An unknown token shaped like a CRIC queue name; returns the spelling to use, or null. */
function shapeName(token: string, anchored: boolean, strongAnchor: boolean, atAnchor: boolean, queueTalk: boolean): string | null {
  if (/^\d/.test(token) || /^[\d._-]+$/.test(token) || looksLikeOtherThing(token) || isVocabulary(token)) return null;
  if (/^ANALY_[A-Za-z0-9_-]+$/i.test(token)) return shapedSpelling(token);
  // A capitalised site word, then queue parts ("Vega_largemem", "GoeGrid_NHR"), when the question points at it.
  if (/^[A-Z][a-z]+(?:[A-Z][a-z]*)?(?:_[A-Za-z0-9]+)+$/.test(token) && (anchored || queueTalk)) return token;
  // Segments with a mixed-case site word ("SiGNET-NSC_MCORE", "NET2_Amherst_VP"), when the question points at it.
  if (/^[A-Za-z][A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)+$/.test(token) && /[A-Z][A-Za-z0-9]*[A-Z]/.test(token.split(/[-_]/)[0] ?? '') && (anchored || queueTalk))
    return token;
  // UPPER-CASE first segment, then more segments: SWT2_CPB, UKI-NORTHGRID-FOO, BNL_PROD, NERSC_Foo_MCORE.
  if (/^[A-Z][A-Z0-9]+(?:[-_.][A-Za-z0-9]+)+$/.test(token) && /[A-Z]{2}/.test(token.split(/[-_.]/)[0] ?? '')) return token;
  // lower-case first segment with an underscore ("bnl_prod", "praguelcg2_Foo_MCORE"), when the question points at it.
  if (/^[a-z][a-z0-9]*(?:[-_][A-Za-z0-9]+)+$/.test(token) && token.includes('_') && (anchored || queueTalk)) return shapedSpelling(token);
  // lower-case hyphenated ("uki-northgrid-foo-hep", "lrz-lmu"): only in queue talk, never ordinary words.
  if (/^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$/.test(token)) {
    const segments = token.split('-');
    const unusual = segments.every((s) => s.length >= 2 && !WORD_SEGMENTS.has(s) && !/^\d+$/.test(s));
    if (unusual && (strongAnchor || (anchored && queueTalk))) {
      // Two segments need a digit, a queue/site word next to them, or a country/cloud prefix as ATLAS site names have ("xx-sitename").
      if (segments.length >= 3 || /\d/.test(token) || strongAnchor || COUNTRY_PREFIX.has(segments[0] ?? '')) return token.toUpperCase();
    }
    // Three or more segments, one of them a grid-style word with a number ("foo-lcg2-bar"): a site name wherever it stands.
    if (unusual && segments.length >= 3 && segments.some((s) => /^[a-z]{2,}\d{1,2}$/.test(s) && !PLATFORM_SEGMENT.test(s))) return token.toUpperCase();
  }
  // lower-case word with a digit, or a CamelCase word, right next to "site"/"queue" ("the site praguelcg2", "the GoeGrid site").
  if (/^[a-z]+\d[a-z0-9]*$/.test(token) && !/^(?:python|py|el|sl|cc|alma|centos|rhel|x|arm|ipv|utf|sha|md|v|gcc|root|mc|data|hs|t|s|k|h)\d/.test(token)) {
    if (strongAnchor || atAnchor || (anchored && (queueTalk || token.length >= 6))) return token;
  }
  if (/^[A-Z][a-z]+[A-Z][A-Za-z0-9]*$/.test(token) && !ACRONYMS.has(token.toUpperCase()) && (strongAnchor || (anchored && queueTalk))) return token;
  // A lone upper-case word ("what's the maxtime of FOO") needs an anchor and talk about queues.
  // A lone upper-case word ("the maxtime of FOO", "failed at FOO2") needs a pointer at it.
  if (/^[A-Z][A-Z0-9]{2,}$/.test(token) && !ACRONYMS.has(token)) {
    if (strongAnchor || (anchored && (queueTalk || atAnchor || /[A-Z]\d/.test(token)))) return token;
  }
  return null;
}

/** Words that are not a queue even in "is X online?". */
const NOT_A_NAME = new Set(
  'it this that there everything anything something all the my our your their its he she they we you what which who service server system monitor website page site queue grid lxplus eos cvmfs afs database db ami network vpn mail each every any some these those one ones them default example instance in on at of for to not now still also really currently being set put marked then when'.split(
    ' ',
  ),
);
/**
 * CRIC's own words for how a queue works, asked of a queue by name: its workflow (push or pull),
 * whether Harvester serves it, its pilot version or type, catch-all, container options, capability.
 */
export const CRIC_VOCABULARY =
  /\b(?:workflow|push\s*(?:or|\/)\s*pull|pull\s*(?:or|\/)\s*push|(?:push|pull)\s+(?:mode|model|queue|based)|harvester|catch-?all|container[\s_]+options|pilot\s+(?:version|type|flavou?r)|direct\s+access|capability|copy\s*tools?|acopytools?)\b/;
/** Fields only a queue has: "the maxtime of nikhef" points at a queue even when CRIC did not name it. */
export const QUEUE_ONLY_FIELD =
  /\b(?:copy\s*tools?|acopytools?|corepower|core\s*power|corecount|hs06|maxrss|max\s+rss|minrss|maxtime|max\s+time|mintime|maxwdir|maxinputsize|timefloor|pilot\s+version|container_(?:type|options)|brokeroff|memory\s+limit|max(?:imum)?\s+memory|walltime\s+limit|max(?:imum)?\s+walltime)\b/;
const FIELD_OWNER = new Set(['at', 'of', 'for', 'on']);
/** A queue-only field, or a property asked of queues (cloud, state, containers, GPUs, cores): with a known name next to a verb, a queue question. */
const QUEUE_PROPERTY = new RegExp(
  `${QUEUE_ONLY_FIELD.source}|\\b(?:cloud|tier|country|region|located|location|online|offline|downtime|disk|scratch|\\d+\\s*[gm]i?b|brokeroff|status|state|gpus?|arm|singularity|apptainer|containers?|multi-?core|mcore|corecount|cores|walltime|memory|ram|rss|pilot\\s+version|resource\\s+type|queues?|pqs?)\\b`,
);
/** Words that open the object of a verb ("is breaking my task", "is killing the jobs"). */
const OBJECT_AFTER = new Set('my your our their his her its the a an this that these those all every some any'.split(' '));
/** Words right after a name that ask for one of its properties ("hpc2n memory limit?", "ific copytool"). */
const PROPERTY_AFTER = new Set(
  'memory maxrss maxtime walltime corecount cores copytool copytools cloud tier country status state pilot container containers singularity'.split(' '),
);

/** "what's the maxtime of nikhef": a plain lower-case word right after "of/at/for/on" in a question about a queue-only field. */
/** One word ("nikhef") or a hyphenated name of unusual words ("unibe-lhep", not "multi-core"). */
function nameLike(lower: string): boolean {
  const hyphenated = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$/.test(lower) && lower.split('-').every((s) => s.length >= 2 && !WORD_SEGMENTS.has(s));
  return /^[a-z][a-z0-9]{2,}$/.test(lower) || hyphenated;
}

function fieldOwner(corrected: string, token: string, before: string): boolean {
  const lower = token.toLowerCase();
  if (NOT_A_NAME.has(lower) || isEnglishWord(lower) || ACRONYMS.has(token.toUpperCase()) || DOMAIN.test(lower) || !nameLike(lower)) return false;
  if (FIELD_OWNER.has(before)) return QUEUE_ONLY_FIELD.test(corrected);
  // "what pilot version does foo run?": the subject of a question about a queue-only field.
  if (before === 'does' || before === 'do') {
    const t = escapeRe(lower);
    return new RegExp(`(?:${QUEUE_ONLY_FIELD.source})\\s+(?:does|do)\\s+${t}\\b`).test(corrected);
  }
  return false;
}

/** Words that open a message as "about": "re AGLT2, …", "regarding FOO: …". */
const TOPIC_OPENER = /^\W*(?:(?:re|regarding|about|wrt|ref)\s*:?\s+)?$/i;
const ABOUT_OPENER = /^\W*(?:re|regarding|about|wrt|ref)\s*:?\s+$/i;

/**
 * The token opens the message as its topic, and what follows asks a queue property: "FOO: push or
 * pull?", "FOO - is it on harvester?", "re FOO, what copytool?". `before`/`after` are the text around it.
 */
export function topicAsked(before: string, after: string, corrected: string): boolean {
  // A comma after the name needs "re"/"regarding" before it ("salut, …", "ok, …" open with a word, not a topic).
  const separated = /^\s*[-:]\s/.test(after) || (ABOUT_OPENER.test(before) && /^\s*,\s/.test(after));
  return TOPIC_OPENER.test(before) && separated && (QUEUE_PROPERTY.test(corrected) || CRIC_VOCABULARY.test(corrected));
}

/** A plain token that could be a site nobody told us about: not an everyday word, PanDA vocabulary or an acronym. */
function unknownNameCandidate(token: string): boolean {
  const lower = token.toLowerCase();
  return (
    !NOT_A_NAME.has(lower) &&
    !isEnglishWord(lower) &&
    !ACRONYMS.has(token.toUpperCase()) &&
    !DOMAIN.test(lower) &&
    !/^(?:tier|t)\d/.test(lower) &&
    (nameLike(lower) || /^[a-z]+\d[a-z0-9]*$/.test(lower))
  );
}

/** A token that may be a mistyped CRIC name: name-shaped, not an everyday word, acronym or PanDA word. */
function closeCandidate(token: string): boolean {
  const lower = token.toLowerCase();
  return (
    /^[a-z][a-z0-9]*(?:[-_.][a-z0-9]+)*$/.test(lower) &&
    !NOT_A_NAME.has(lower) &&
    !isEnglishWord(lower) &&
    !ACRONYMS.has(token.toUpperCase()) &&
    !isVocabulary(lower) &&
    !looksLikeOtherThing(token)
  );
}

/**
 * The token is what a question about a queue property is asked of: "the cloud of ific", "does
 * goegrid support containers?", "which cloud is ific in?", "ific's copytool", "the taiwan queue",
 * "hpc2n memory limit?" (at the start). Only for tokens that are not everyday words or vocabulary.
 */
function attributeSubject(corrected: string, token: string, ctx: Context, strongAnchor: boolean, first: boolean, rest: string): boolean {
  if (!unknownNameCandidate(token) || /^\d+$/.test(ctx.after)) return false;
  // "which site is breaking my task?": an -ing/-ed word with an object after it is a verb, not a name.
  if (/(?:ing|ed)$/i.test(token) && OBJECT_AFTER.has(ctx.after)) return false;
  const t = escapeRe(token.toLowerCase());
  // "ific's copytool": a possessive names a queue only in a question about a queue property ("wat's that code?" does not).
  if (new RegExp(String.raw`\b${t}'s\s`).test(corrected) && QUEUE_PROPERTY.test(corrected)) return true;
  // "the taiwan queue", "the ific site": a definite queue or site named by one word.
  if (strongAnchor && /^(?:queue|site|pq)$/.test(ctx.after) && new RegExp(String.raw`\bthe\s+${t}\s+(?:queue|site|pq)\b`).test(corrected)) return true;
  if (first && PROPERTY_AFTER.has(ctx.after)) return true;
  // "ca-iaas-t3 - how many cores per job?", "re foo, push or pull?": a name as the topic, then a question about a queue property.
  if (first && topicAsked('', rest, corrected)) return true;
  if (
    new RegExp(
      String.raw`\b(?:cloud|site|tier|country|region)\s+(?:is|does)\s+(?:the\s+)?${t}\b|\bwhere\s+(?:is|are)\s+(?:the\s+)?${t}\s+(?:located|based|situated|hosted)\b|\bis\s+${t}\s+an?\s+(?:t[0-3]d?|tier[-\s]?[0-3])\b|\b(?:kind|type|sort)\s+of\s+(?:resource|queue|site|pq)\s+is\s+(?:the\s+)?${t}\b|\bis\s+(?:the\s+)?${t}\s+(?:an?\s+)?(?:[\w-]+\s+){0,5}?(?:queue|pq|site)\b`,
    ).test(corrected)
  )
    return true;
  if (!QUEUE_PROPERTY.test(corrected)) return false;
  if (FIELD_OWNER.has(ctx.before)) return true;
  return new RegExp(String.raw`\b(?:does|do|did|can|will)\s+${t}\s+[a-z]+`).test(corrected);
}

/** Every CRIC field name and synonym (the queue agent's table), as one alternation. */
const CRIC_FIELD_WORDS = [...new Set(FIELD_PHRASES.map((p) => p.phrase))]
  .filter(
    (p) =>
      p.length >= 4 &&
      ![
        'queue name',
        'panda queue',
        'params',
        'parameters',
        'comment',
        'description',
        'modified',
        'environment',
        'network',
        'release',
        'releases',
        'python',
      ].includes(p),
  )
  .map((p) => escapeRe(p).replace(/ /g, '[\\s_-]*'))
  .join('|');
/** Values CRIC gives a queue's kind: resource type, queue type, workflow, capability, tier. */
const CRIC_KIND_VALUE = String.raw`(?:hpc|grid|cloud|gpu|unified|production|analysis|special|push|pull|pull_ups|ucore|mcore|score|t[0-3]d?|tier[-\s]?[0-3])`;

/**
 * A CRIC field asked of the token in any word order: "what workflow does BOINC_MCORE use?", "which
 * harvester instance serves cern-hpc?", "is uam_marenostrum4 an hpc resource?", "is NET2_Amherst
 * unified or production type?", "does FOO_BAR run through harvester?". The token is then a queue (or site), whatever CRIC knows.
 */
export function fieldAskedOf(corrected: string, token: string): boolean {
  const t = escapeRe(token.toLowerCase());
  return new RegExp(
    String.raw`\b(?:what|which)\s+(?:${CRIC_FIELD_WORDS})\s+(?:\w+\s+){0,2}?(?:does|do|did|is|are|serves?|runs?|feeds?|manages?|submits\s+to)\s+(?:the\s+)?${t}(?![\w-])|\bis\s+(?:the\s+)?${t}\s+(?:an?\s+)?${CRIC_KIND_VALUE}(?:\s+or\s+(?:an?\s+)?${CRIC_KIND_VALUE})?\b|\b(?:does|do|is|are|can|will)\s+(?:the\s+)?${t}\s+(?:(?!(?:and|or|but|how|what|why|which|when|where)\b)[\w-]+\s+){0,3}?(?:${CRIC_VOCABULARY.source})`,
  ).test(corrected);
}

/** "the queues of X", "which queues belong to X", "how many queues does X run": X holds queues, so it is a site. */
export function ownerOfQueues(corrected: string, token: string, heldOnly = false): boolean {
  const t = escapeRe(token.toLowerCase());
  // heldOnly: the queues belong to X ("queues of X", "queues does X have"), not only run at it ("which queues run at X").
  return new RegExp(
    String.raw`\b(?:queues|pqs)\s+(?:\w+\s+)?(?:belong(?:s|ing)?\s+to|does|do|of|${heldOnly ? '' : 'at|'}under|behind)\s+(?:the\s+)?(?:site\s+)?${t}(?![\w-])|(?<![\w-])${t}\s+(?:has|have|runs?|hosts?)\s+(?:\w+\s+){0,2}(?:queues?|pqs?)\b`,
  ).test(corrected);
}

/** "is X online?", "is X in test mode?": X is a queue even when CRIC did not tell us its name. */
function askedStateOf(corrected: string, token: string): boolean {
  const lower = token.toLowerCase();
  if (
    NOT_A_NAME.has(lower) ||
    isEnglishWord(lower) ||
    ACRONYMS.has(token.toUpperCase()) ||
    DOMAIN.test(lower) ||
    !(/^[a-z][a-z0-9]+$/.test(lower) || nameLike(lower))
  )
    return false;
  const state = String.raw`(?:still\s+|currently\s+|now\s+|really\s+)?(?:online|offline|down|brokeroff|blacklisted|in\s+(?:test|downtime|production))\b`;
  // "is X online?", or X as the subject at the start of the message ("X is in test mode?").
  return new RegExp(String.raw`\b(?:is|are|was)\s+${lower}\s+(?:up\b|${state})|^\W*(?:the\s+)?${lower}\s+(?:is|are|was)\s+${state}`).test(corrected);
}

const TOKEN = /(?<![\w.\-/@])[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9](?![\w\-/@]|\.\w)/g;

/**
 * Every queue/site name in `text` (folded, links removed), in order. `queueTalk` says the message
 * is about queue metadata (a CRIC field, a status word), which lets weaker shapes count; `queueThread`
 * says it is a short message in a thread about a queue, where even a common word that is a queue name counts.
 */
export function findNames(text: string, index: NameIndex, talk: boolean, queueThread = false): NameMention[] {
  const out: NameMention[] = [];
  const corrected = lowerAndCorrect(text);
  // "what about SAMPA?", "and praguelcg2?": a follow-up that only names something points at it as queue talk does.
  const queueTalk = talk || /^\W*(?:and\s+)?(?:what|how)\s+about\s+(?:the\s+)?[\w-]+\s*\?*\s*$|^\W*and\s+[\w-]+\s*\?+\s*$/.test(corrected);
  for (const match of text.matchAll(TOKEN)) {
    const token = match[0];
    const start = match.index ?? 0;
    const ctx = contextOf(text, start, start + token.length);
    const anchored = ANCHOR_BEFORE.has(ctx.before) || ANCHOR_AFTER.has(ctx.after);
    const strongAnchor = STRONG_ANCHOR.has(ctx.before) || STRONG_ANCHOR.has(ctx.after);
    const siteWord = /^sites?$/.test(ctx.before) || /^sites?$/.test(ctx.after);
    const siteContext = siteWord || ownerOfQueues(corrected, token);
    const lower = token.toLowerCase();
    // The token opens the message as its topic ("foo: …", "re foo, …").
    const opening = TOPIC_OPENER.test(text.slice(0, start));
    const rest = text.slice(start + token.length);
    const topic = opening && topicAsked(text.slice(0, start), rest, corrected);
    const queue = index.queues.get(lower);
    const site = index.sites.get(lower);
    // "list all queues": a determiner typed in lower case is the word, even when CRIC has a queue of that name ("ALL").
    if ((queue || site) && token === lower && NOT_A_NAME.has(lower)) continue;
    if (queue || site) {
      const canonical = (queue ?? site) as string;
      const plain = /^[A-Za-z]+$/.test(canonical);
      let weak = false;
      if (COMMON_WORD_NAMES.has(lower)) {
        // In a thread about queues, "same for beijing" names the queue whatever its case; in queue talk,
        // the name typed exactly as CRIC spells it ("SAMPA maxtime", "ifae: which copy tools …") or right
        // before the property asked ("sampa maxtime") is the queue.
        const inQueueTalk = queueTalk && (token === canonical || PROPERTY_AFTER.has(ctx.after) || (anchored && queueThread));
        // "failed at tokyo", "ran on CERN": where a job ran — kept as a weak name, used when the message names a job or task.
        if (!inQueueTalk && !strongAnchor && (ctx.before === 'at' || ctx.before === 'on') && !askedStateOf(corrected, token)) {
          out.push({
            kind: siteWord || (!queue && site) ? 'site' : 'queue',
            name: (queue ?? site) as string,
            index: start,
            known: true,
            weak: true,
            where: true,
          });
          continue;
        }
        if (
          !strongAnchor &&
          !inQueueTalk &&
          !askedStateOf(corrected, token) &&
          !fieldOwner(corrected, token, ctx.before) &&
          !topic &&
          !attributeSubject(corrected, token, ctx, strongAnchor, false, '')
        )
          continue;
      } else if (plain && token !== canonical && token !== canonical.toUpperCase()) {
        // "nikhef", "ral": a lower-case plain word needs a pointer at it.
        if (!anchored && !queueTalk && !topic) continue;
        weak =
          !strongAnchor &&
          !topic &&
          !fieldOwner(corrected, token, ctx.before) &&
          !askedStateOf(corrected, token) &&
          !(anchored && QUEUE_PROPERTY.test(corrected)) &&
          !attributeSubject(corrected, token, ctx, strongAnchor, false, '');
      } else if (plain) {
        weak = !anchored && !queueTalk;
      }
      const where = weak && (ctx.before === 'at' || ctx.before === 'on');
      // A known queue stays a queue unless "site" is said next to it, or the question asks for the queues it holds ("which queues belong to X").
      if (siteWord || (!queue && site) || (site && ownerOfQueues(corrected, token, true)))
        out.push({ kind: 'site', name: site ?? canonical, index: start, known: true, weak, ...(where ? { where } : {}) });
      else out.push({ kind: 'queue', name: canonical, index: start, known: true, weak, ...(where ? { where } : {}) });
      continue;
    }
    // A mistyped CRIC name ("tirumf", "agl2"), when the question points at it: the CRIC spelling.
    const close = (anchored || queueTalk) && closeCandidate(token) ? closeName(token, index) : null;
    if (close) {
      out.push({ kind: siteWord || (close.kind === 'site' && siteContext) ? 'site' : close.kind, name: close.name, index: start, known: true, weak: false });
      continue;
    }
    // "cern-arm", "INFN-FOO": a multi-part name that opens like a known queue or site, when the question points at it.
    if ((anchored || queueTalk) && closeCandidate(token) && sitePrefix(lower, index)) {
      out.push({
        kind: siteWord || ownerOfQueues(corrected, token, true) ? 'site' : 'queue',
        name: shapedSpelling(token),
        index: start,
        known: false,
        weak: false,
      });
      continue;
    }
    const shaped =
      shapeName(token, anchored, strongAnchor, ctx.before === 'at' || ctx.before === 'on', queueTalk) ??
      ((topic && unknownNameCandidate(token)) ||
      askedStateOf(corrected, token) ||
      fieldOwner(corrected, token, ctx.before) ||
      attributeSubject(corrected, token, ctx, strongAnchor, opening, rest)
        ? token === token.toLowerCase()
          ? token.toUpperCase()
          : token
        : null);
    // A compound or numbered token (not a plain word) that a CRIC field is asked of.
    const compound = /[-_\d]/.test(token) || /[a-z][A-Z]/.test(token);
    const asked = shaped ?? (compound && closeCandidate(token) && fieldAskedOf(corrected, token) ? shapedSpelling(token) : null);
    if (!asked) continue;
    const kind = siteContext || SITE_SHAPE.test(asked) ? 'site' : 'queue';
    out.push({ kind, name: asked, index: start, known: false, weak: false });
  }
  return out;
}

/** An unknown name as the router reports it: upper-cased when typed all lower case. */
function shapedSpelling(token: string): string {
  return token === token.toLowerCase() ? token.toUpperCase() : token;
}
