/**
 * Credentials on the command lines of common tools, found by reading the command the way a shell
 * would (words, quotes, pipes) instead of by one regex per tool: `sshpass -p`, `mysql -pSECRET`,
 * `docker login -p`, `redis-cli -a`, `ldapsearch -w`, `sqlcmd -P`, `openssl -passin pass:…`,
 * `htpasswd -b file user pass`, `smbclient -U user%pass`, `lftp -u user,pass`, `curl -u user:pass`,
 * `sqlplus user/pass@db`, and a passphrase piped (or here-string fed) into a command that reads a
 * password from stdin (`echo x | voms-proxy-init --pwstdin`, `… | docker login --password-stdin`).
 *
 * One pass per line over its words: linear in the text length.
 */

interface Word {
  /** Start and end of the value inside the word (quotes excluded). */
  start: number;
  end: number;
  text: string;
  /** A quoted part glued to the word (`-p'secret'`): where that part's content starts, and its text. */
  glued?: { start: number; text: string };
  /** A pipe, `;`, `&&` or `||`: separates commands. */
  separator?: string;
}

const WORD = /'[^'\n]*'|"(?:[^"\\\n]|\\.)*"|\\\n|[^\s'"|;&<>]+|<<<|[|;&]+|[<>]+|['"]/g;

function words(line: string, offset: number): Word[] {
  const out: Word[] = [];
  WORD.lastIndex = 0;
  for (let m = WORD.exec(line); m; m = WORD.exec(line)) {
    const raw = m[0];
    const start = offset + m.index;
    const c = raw.charCodeAt(0);
    if ((c === 124 || c === 59 || c === 38) && /^[|;&]+$/.test(raw)) out.push({ start, end: start + raw.length, text: raw, separator: raw });
    else if ((raw.startsWith("'") || raw.startsWith('"')) && raw.length >= 2 && raw.endsWith(raw[0] ?? '')) {
      const word = { start: start + 1, end: start + raw.length - 1, text: raw.slice(1, -1) };
      const previous = out.at(-1);
      // `-p'secret'`, `-U user%'p w'`: one shell word made of an option and a quoted value.
      if (previous && !previous.separator && !previous.glued && previous.end === start) {
        previous.glued = { start: word.start, text: word.text };
        previous.text += word.text;
        previous.end = word.end + 1;
      } else out.push(word);
    } else out.push({ start, end: start + raw.length, text: raw });
  }
  return out;
}

type Span = [start: number, end: number];

/** How a tool passes a password: `next` (`-p VALUE`), `attached` (`-pVALUE`), `both`. */
type FlagMode = 'next' | 'attached' | 'both';

interface ToolSpec {
  flags?: Record<string, FlagMode>;
  /** Value of a `next` flag that holds `user<sep>password`: only the part after the separator is secret. */
  userSep?: Record<string, string>;
  /** `openssl -passin pass:SECRET` style: only values with this prefix are secrets. */
  valuePrefix?: string;
  /** A sub-command that must be present (`docker login -p`, not `docker run -p 8080:80`). */
  requires?: string;
}

const MYSQL: ToolSpec = { flags: { '-p': 'attached' } };
const LOGIN: ToolSpec = { flags: { '-p': 'both' }, requires: 'login' };
const LDAP: ToolSpec = { flags: { '-w': 'both' } };
const MONGO: ToolSpec = { flags: { '-p': 'both' } };
const CAPITAL_P: ToolSpec = { flags: { '-P': 'both' } };

const TOOLS: Record<string, ToolSpec> = {
  sshpass: { flags: { '-p': 'both' } },
  mysql: MYSQL,
  mysqldump: MYSQL,
  mysqladmin: MYSQL,
  mysqlimport: MYSQL,
  mysqlcheck: MYSQL,
  mariadb: MYSQL,
  'mariadb-dump': MYSQL,
  docker: LOGIN,
  podman: LOGIN,
  nerdctl: LOGIN,
  buildah: LOGIN,
  skopeo: LOGIN,
  helm: LOGIN,
  oras: LOGIN,
  crane: LOGIN,
  apptainer: LOGIN,
  singularity: LOGIN,
  az: LOGIN,
  'redis-cli': { flags: { '-a': 'next' } },
  ldapsearch: LDAP,
  ldapmodify: LDAP,
  ldapadd: LDAP,
  ldapdelete: LDAP,
  ldapwhoami: LDAP,
  ldappasswd: LDAP,
  mongo: MONGO,
  mongosh: MONGO,
  mongodump: MONGO,
  mongorestore: MONGO,
  mongoexport: MONGO,
  mongoimport: MONGO,
  sqlcmd: CAPITAL_P,
  bcp: CAPITAL_P,
  ipmitool: CAPITAL_P,
  zip: CAPITAL_P,
  unzip: CAPITAL_P,
  '7z': { flags: { '-p': 'attached' } },
  '7za': { flags: { '-p': 'attached' } },
  '7zz': { flags: { '-p': 'attached' } },
  rar: { flags: { '-p': 'attached' } },
  unrar: { flags: { '-p': 'attached' } },
  openssl: { flags: { '-passin': 'next', '-passout': 'next', '-pass': 'next', '-k': 'next' }, valuePrefix: 'pass:' },
  smbclient: { flags: { '-U': 'next', '--user': 'next' }, userSep: { '-U': '%', '--user': '%' } },
  rpcclient: { flags: { '-U': 'next' }, userSep: { '-U': '%' } },
  lftp: { flags: { '-u': 'next' }, userSep: { '-u': ',' } },
  curl: {
    flags: { '-u': 'next', '--user': 'next', '-U': 'next', '--proxy-user': 'next' },
    userSep: { '-u': ':', '--user': ':', '-U': ':', '--proxy-user': ':' },
  },
  xfreerdp: { flags: { '/p:': 'attached' } },
  rdesktop: { flags: { '-p': 'both' } },
  ncftp: { flags: { '-p': 'next' } },
};

/** Oracle-style `user/password@db` (sqlplus, sqlldr, expdp/impdp, rman, `connect` in SQL*Plus). */
const ORACLE_TOOLS = new Set(['sqlplus', 'sqlldr', 'expdp', 'impdp', 'exp', 'imp', 'rman', 'dgmgrl', 'sql', 'connect', 'conn', 'CONNECT', 'CONN']);
const ORACLE_LOGIN = /^[A-Za-z0-9_$#.]+\/([^\s@/]+)(?:@.*)?$/;

/** Commands that read a password from stdin: a value echoed or here-string fed into them is a password. */
const STDIN_PASSWORD_TOOLS = new Set([
  'voms-proxy-init',
  'grid-proxy-init',
  'arcproxy',
  'kinit',
  'chpasswd',
  'passwd',
  'cryptsetup',
  'myproxy-init',
  'myproxy-logon',
  'myproxy-store',
]);
const STDIN_PASSWORD_FLAGS = /^(?:--?pwstdin|--password-stdin|--passphrase-stdin|--stdin|-S|-i|--passphrase-fd|-passin|stdin|--pass-stdin)$/;

const FLAG_ENTRIES = new Map<ToolSpec, Array<[string, FlagMode]>>(Object.values(TOOLS).map((spec) => [spec, Object.entries(spec.flags ?? {})]));

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A line is parsed only when it names one of the tools (cheap pre-check, one regex). */
const ANY_TOOL = new RegExp(
  `(?<![A-Za-z0-9_.-])(?:${[...Object.keys(TOOLS), ...ORACLE_TOOLS, 'htpasswd', 'echo', 'printf'].map(escapeRe).join('|')})(?![A-Za-z0-9_-])|<<<`,
);

function toolName(word: string): string {
  const slash = word.lastIndexOf('/');
  return slash >= 0 ? word.slice(slash + 1) : word;
}

/** Spans of password values in one command (the words between two separators). */
function secretsOfCommand(cmd: Word[], spans: Span[]): void {
  let spec: ToolSpec | undefined;
  let oracle = false;
  let htpasswd: { batch: boolean; noFile: boolean; positional: Word[] } | null = null;
  /** Whether the command holds the sub-command the current tool requires (computed once). */
  let required: boolean | null = null;
  for (let i = 0; i < cmd.length; i++) {
    const w = cmd[i];
    if (!w) continue;
    const name = toolName(w.text);
    if (TOOLS[name] || ORACLE_TOOLS.has(name) || name === 'htpasswd') {
      spec = TOOLS[name];
      required = null;
      oracle = ORACLE_TOOLS.has(name);
      htpasswd = name === 'htpasswd' ? { batch: false, noFile: false, positional: [] } : null;
      continue;
    }
    if (htpasswd) {
      if (/^-[a-zA-Z]+$/.test(w.text)) {
        if (w.text.includes('b')) htpasswd.batch = true;
        if (w.text.includes('n')) htpasswd.noFile = true;
      } else htpasswd.positional.push(w);
      continue;
    }
    if (oracle) {
      const m = ORACLE_LOGIN.exec(w.text);
      if (m?.[1] && !isPlaceholder(m[1])) {
        const at = w.start + w.text.indexOf('/') + 1;
        spans.push([at, at + m[1].length]);
      }
      continue;
    }
    if (!spec || (w.text.charCodeAt(0) !== 45 && w.text.charCodeAt(0) !== 47)) continue; // flags start with - or /
    if (spec.requires && required === null) required = cmd.some((x) => x.text === spec?.requires);
    if (spec.requires && !required) continue;
    for (const [flag, mode] of FLAG_ENTRIES.get(spec) ?? []) {
      let value: Word | undefined;
      let valueStart = 0;
      if (w.text === flag && mode !== 'attached') {
        value = cmd[i + 1];
        valueStart = value?.start ?? 0;
      } else if (w.text.startsWith(flag) && w.text.length > flag.length && mode !== 'next') {
        const glued = w.glued && w.text.length - w.glued.text.length === flag.length ? w.glued : null;
        value = glued
          ? { start: glued.start, end: glued.start + glued.text.length, text: glued.text }
          : { start: w.start + flag.length, end: w.end, text: w.text.slice(flag.length) };
        valueStart = value.start;
      }
      if (!value || value.separator || isPlaceholder(value.text)) continue;
      let text = value.text;
      let start = valueStart;
      const sep = spec.userSep?.[flag];
      if (sep) {
        const at = text.indexOf(sep);
        if (at < 0) break; // user only: the tool prompts for the password
        const glued = value.glued;
        if (glued && at + sep.length === text.length - glued.text.length) {
          // `user:'the password'`: the quoted part is the password.
          start = glued.start;
          text = glued.text;
        } else {
          start += at + sep.length;
          text = text.slice(at + sep.length);
        }
      }
      if (spec.valuePrefix) {
        if (!text.startsWith(spec.valuePrefix)) {
          if (flag !== '-k') break;
        } else {
          start += spec.valuePrefix.length;
          text = text.slice(spec.valuePrefix.length);
        }
      }
      if (text && !isPlaceholder(text)) spans.push([start, start + text.length]);
      break;
    }
  }
  if (htpasswd?.batch) {
    const pw = htpasswd.positional[htpasswd.noFile ? 1 : 2];
    if (pw && !isPlaceholder(pw.text)) spans.push([pw.start, pw.end]);
  }
}

function readsPasswordFromStdin(cmd: Word[]): boolean {
  return cmd.some((w) => STDIN_PASSWORD_TOOLS.has(toolName(w.text)) || STDIN_PASSWORD_FLAGS.test(w.text));
}

/** Echoed / printed / here-string values fed into a command that reads a password. */
function pipedSecrets(commands: Word[][], spans: Span[]): void {
  for (let c = 0; c < commands.length; c++) {
    const cmd = commands[c] ?? [];
    const here = cmd.findIndex((w) => w.text === '<<<');
    const fed = here >= 0 ? cmd[here + 1] : undefined;
    if (fed && readsPasswordFromStdin(cmd) && !isPlaceholder(fed.text)) spans.push([fed.start, fed.end]);
    // The echo may follow prose on the same line ("I do: echo 'x' | voms-proxy-init …").
    const echo = cmd.findLastIndex((w) => /^(?:echo|printf)$/.test(w.text));
    if (echo < 0) continue;
    const next = commands[c + 1];
    if (!next || (cmd.at(-1)?.separator ?? '') !== '|' || !readsPasswordFromStdin(next)) continue;
    for (const w of cmd.slice(echo + 1)) {
      if (w.separator || /^-[neE]+$/.test(w.text) || /^%[sb]\\?n?$/.test(w.text)) continue;
      const value = w.text.replace(/\\n$/, '');
      if (value && !isPlaceholder(value)) spans.push([w.start, w.start + value.length]);
    }
  }
}

const PLACEHOLDER = /^(?:\[REDACTED[^\]]*\]|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|\$\([^)]*\)|<[^>]*>|\*+|x{3,}|X{3,}|\.{3,}|-)$/;

function isPlaceholder(value: string): boolean {
  return value === '' || PLACEHOLDER.test(value);
}

/** Spans (absolute offsets) of passwords on the command lines of `text`. */
export function commandLineSecrets(text: string): Span[] {
  const spans: Span[] = [];
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    const line = text.slice(lineStart, lineEnd);
    // Cheap pre-check: only lines that can hold a command word are parsed.
    if (ANY_TOOL.test(line)) {
      const ws = words(line, lineStart);
      const commands: Word[][] = [];
      let current: Word[] = [];
      for (const w of ws) {
        current.push(w);
        if (w.separator) {
          commands.push(current);
          current = [];
        }
      }
      if (current.length) commands.push(current);
      for (const cmd of commands) secretsOfCommand(cmd, spans);
      pipedSecrets(commands, spans);
    }
    lineStart = lineEnd + 1;
  }
  return spans;
}
