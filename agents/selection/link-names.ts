/**
 * Queue and site names carried by CRIC and BigPanDA links. A pasted link such as
 * `https://atlas-cric.cern.ch/api/atlas/pandaqueue/query/?json&pandaqueue=FOO` or
 * `https://bigpanda.cern.ch/jobs/?computingsite=FOO` names the queue the message is about; the link
 * itself is otherwise dropped before names are looked for (host names are not queues). Here such a
 * link becomes the words "queue FOO" (or "site FOO"), so the name finder resolves it against CRIC
 * like any typed name. Links to a job or a task keep their own treatment (`replaceLinks`).
 */
import { monitorLinkId } from '../../src/contracts/ids.js';

export interface LinkName {
  kind: 'queue' | 'site';
  name: string;
}

/** Query parameters that hold a PanDA queue (CRIC `pandaqueue`, BigPanDA `computingsite`/`queue`/`nucleus` is not one). */
const QUEUE_PARAMS = ['pandaqueue', 'computingsite', 'queue', 'panda_queue', 'pandasite', 'nickname'];
/** Query parameters that hold an ATLAS site. */
const SITE_PARAMS = ['atlas_site', 'site', 'rc_site'];
/** Path forms: CRIC `/pandaqueue/detail/NAME/`, `/schedconfig/NAME.json`, `/site/detail/NAME/`; BigPanDA `/site/NAME/`. */
const QUEUE_PATHS = [/\/pandaqueue\/detail\/([^/?#]+)/i, /\/schedconfig\/([^/?#]+?)(?:\.all)?\.json$/i];
const CRIC_SITE_PATH = /\/site\/detail\/([^/?#]+)/i;
const MONITOR_SITE_PATH = /^\/(?:site|queue)\/([^/?#]+)\/?$/i;

/** A name as it may stand in a link: letters, digits, `_`, `-`, `.`; no list (`a|b`), wildcard or empty value. */
const NAME_VALUE = /^[A-Za-z][A-Za-z0-9_.-]{1,60}$/;

function decoded(value: string | null | undefined): string | null {
  if (!value) return null;
  let name: string;
  try {
    name = decodeURIComponent(value).trim();
  } catch {
    return null;
  }
  return NAME_VALUE.test(name) ? name : null;
}

/** The queue or site a CRIC or monitor link names, or null (job and task links, other links). */
export function nameInLink(url: string): LinkName | null {
  if (monitorLinkId(url)) return null;
  let parsed: URL;
  try {
    parsed = new URL(/^https?:\/\//i.test(url) ? url : `https://${url}`);
  } catch {
    return null;
  }
  const cric = /(?:^|\.)cric\b|cric\./i.test(parsed.hostname);
  const monitor = /panda|monitor/i.test(parsed.hostname);
  if (!cric && !monitor) return null;
  const params = parsed.searchParams;
  for (const key of QUEUE_PARAMS) {
    const name = decoded(params.get(key));
    if (name) return { kind: 'queue', name };
  }
  for (const pattern of QUEUE_PATHS) {
    const name = decoded(pattern.exec(parsed.pathname)?.[1]);
    if (name) return { kind: 'queue', name };
  }
  const site = decoded(CRIC_SITE_PATH.exec(parsed.pathname)?.[1]);
  if (site) return { kind: 'site', name: site };
  // BigPanDA's `/site/NAME/` is the page of a PanDA queue (its `computingsite`).
  if (monitor) {
    const name = decoded(MONITOR_SITE_PATH.exec(parsed.pathname)?.[1]);
    if (name) return { kind: 'queue', name };
  }
  for (const key of SITE_PARAMS) {
    const name = decoded(params.get(key));
    if (name) return { kind: 'site', name };
  }
  return null;
}

const LINK = /<?((?:https?:\/\/|\b(?=[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\/))[^\s<>|]+)(?:\|[^>]*)?>?/gi;
const trimUrl = (url: string): string => url.replace(/[).,;:!?]+$/, '');

/** Replaces each CRIC/monitor link that names a queue or site by "queue NAME"/"site NAME"; other links stay. */
export function replaceNameLinks(text: string): string {
  return text.replace(LINK, (whole, url: string) => {
    const trimmed = trimUrl(url);
    const found = nameInLink(trimmed);
    return found ? ` ${found.kind} ${found.name} ${url.slice(trimmed.length)}` : whole;
  });
}

/** Every queue or site the links of a message name, in order. */
export function namesInLinks(text: string): LinkName[] {
  const out: LinkName[] = [];
  for (const m of text.matchAll(LINK)) {
    const found = m[1] ? nameInLink(trimUrl(m[1])) : null;
    if (found && !out.some((n) => n.name === found.name)) out.push(found);
  }
  return out;
}
