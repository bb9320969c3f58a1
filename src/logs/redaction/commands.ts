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
  /** A quoted word (`"…"`, `'…'`): may hold a whole command (`ssh host "mysql -p…"`, `sh -c '…'`). */
  quoted?: boolean;
}

const WORD = /'[^'\n]*'|"(?:[^"\\\n]|\\.)*"|\\\n|[^\s'"|;&<>`]+|<<<|[|;&`]+|[<>]+|['"]/g;

function words(line: string, offset: number): Word[] {
  const out: Word[] = [];
  WORD.lastIndex = 0;
  for (let m = WORD.exec(line); m; m = WORD.exec(line)) {
    const raw = m[0];
    const start = offset + m.index;
    const c = raw.charCodeAt(0);
    // (a backtick ends a command too: "I ran `mysql -p…` and …")
    if ((c === 124 || c === 59 || c === 38 || c === 96) && /^[|;&`]+$/.test(raw)) out.push({ start, end: start + raw.length, text: raw, separator: raw });
    else if ((raw.startsWith("'") || raw.startsWith('"')) && raw.length >= 2 && raw.endsWith(raw[0] ?? '')) {
      const word: Word = { start: start + 1, end: start + raw.length - 1, text: raw.slice(1, -1), quoted: true };
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

/**
 * How a tool passes a password: `next` (`-p VALUE`), `attached` (`-pVALUE`), `both`; `attached-or-guess`:
 * attached, or the next word when it looks like a password rather than a name (`mysql -p S3cr%t`
 * is a password on the command line people paste, `mysql -p panda` prompts and opens database `panda`).
 */
type FlagMode = 'next' | 'attached' | 'both' | 'attached-or-guess';

interface ToolSpec {
  flags?: Record<string, FlagMode>;
  /** Value of a `next` flag that holds `user<sep>password`: only the part after the separator is secret. */
  userSep?: Record<string, string>;
  /** `openssl -passin pass:SECRET` style: only values with this prefix are secrets. */
  valuePrefix?: string;
  /** A sub-command that must be present (`docker login -p`, not `docker run -p 8080:80`). */
  requires?: string;
  /** A wrapper (`sshpass -p X ssh -p 2222 host`): its options end at the first positional word (the wrapped command). */
  wrapper?: boolean;
}

const MYSQL: ToolSpec = { flags: { '-p': 'attached-or-guess' } };
const LOGIN: ToolSpec = { flags: { '-p': 'both' }, requires: 'login' };
const LDAP: ToolSpec = { flags: { '-w': 'both' } };
const MONGO: ToolSpec = { flags: { '-p': 'both' } };
const CAPITAL_P: ToolSpec = { flags: { '-P': 'both' } };

const TOOLS: Record<string, ToolSpec> = {
  sshpass: { flags: { '-p': 'both' }, wrapper: true },
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
  'redis-cli': { flags: { '-a': 'next', '--pass': 'next' } },
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
    flags: { '-u': 'both', '--user': 'both', '-U': 'both', '--proxy-user': 'both' },
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
  `(?<![A-Za-z0-9_.-])(?:${[...Object.keys(TOOLS), ...ORACLE_TOOLS, 'htpasswd', 'echo', 'printf', 'net'].map(escapeRe).join('|')})(?![A-Za-z0-9_-])|<<<`,
);

/** The command a word names: `/usr/bin/mysql` and `cmd=mysql` (a log's `key=command …`) name `mysql`. */
function toolName(word: string): string {
  const slash = word.lastIndexOf('/');
  const base = slash >= 0 ? word.slice(slash + 1) : word;
  if (!base.includes('=')) return base;
  const assigned = /^[A-Za-z_][A-Za-z0-9_]{0,40}=(.+)$/.exec(base);
  return assigned?.[1] ?? base;
}

/**
 * A word after `mysql -p ` that is a password, not a database name: database names are lower case
 * words (`panda`, `atlas_jobmon`); a password has capitals, symbols, or is a long mix of letters and digits.
 */
function looksLikePassword(word: string): boolean {
  if (word.length < 6 || /^-/.test(word) || /^[A-Za-z_][A-Za-z0-9_.]*\.(?:sql|gz|txt|cnf)$/.test(word)) return false;
  return /[^a-z0-9_]/.test(word) || (/[0-9]/.test(word) && /[a-z]/.test(word) && word.length >= 10);
}

/** `net use Z: \\host\share PASSWORD /user:DOMAIN\user` (either order): the positional after the share, or after `/user:`. */
function netUseSecrets(cmd: Word[], from: number, spans: Span[]): void {
  let afterShare = false;
  let afterUser = false;
  for (const w of cmd.slice(from)) {
    if (w.separator) break;
    if (/^\/(?:user|u):/i.test(w.text)) {
      afterUser = true;
      continue;
    }
    if (w.text.startsWith('/')) continue;
    if ((afterShare || afterUser) && !isPlaceholder(w.text) && w.text !== '*') {
      spans.push([w.start, w.end]);
      return;
    }
    if (w.text.startsWith('\\\\')) afterShare = true;
  }
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
    if (name === 'net' && cmd[i + 1]?.text === 'use') {
      netUseSecrets(cmd, i + 2, spans);
      return;
    }
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
    if (spec?.wrapper && w.text.charCodeAt(0) !== 45 && !/^-[A-Za-z]$/.test(cmd[i - 1]?.text ?? '')) {
      // `sshpass -p X ssh -p 2222 host`: the wrapped command's options are not the wrapper's.
      spec = undefined;
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
        if (mode === 'attached-or-guess' && !(value && !value.separator && looksLikePassword(value.text))) value = undefined;
        valueStart = value?.start ?? 0;
      } else if (w.text.startsWith(flag) && w.text.length > flag.length && mode !== 'next') {
        // A long option takes its value after `=` (`--user=u:p`); `--username` is another option.
        const skip = flag.startsWith('--') ? (w.text.charCodeAt(flag.length) === 61 ? 1 : -1) : 0;
        if (skip < 0) continue;
        const at = flag.length + skip;
        const glued = w.glued && w.text.length - w.glued.text.length === at ? w.glued : null;
        value = glued
          ? { start: glued.start, end: glued.start + glued.text.length, text: glued.text }
          : { start: w.start + at, end: w.end, text: w.text.slice(at) };
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

const PLACEHOLDER = /^(?:[,)\]]+|\[REDACTED[^\]]*\]|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|\$\([^)]*\)|<[^>]*>|\*+|x{3,}|X{3,}|\.{3,}|-)$/;

function isPlaceholder(value: string): boolean {
  return value === '' || PLACEHOLDER.test(value);
}

/** How deep quoted commands are read (`ssh host "sh -c 'mysql -p…'"` is two levels). */
const MAX_NESTING = 2;

/** One line (or the inside of a quoted word) read as shell commands. */
function scanLine(line: string, offset: number, depth: number, spans: Span[]): void {
  const ws = words(line, offset);
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
  if (depth >= MAX_NESTING) return;
  // A command inside quotes: `ssh host "mysqldump -p…"`, `sh -c 'sshpass -p …'`, `"cmd": "redis-cli -a …"`.
  for (const w of ws) if (w.quoted && w.text.includes(' ') && ANY_TOOL.test(w.text)) scanLine(w.text, w.start, depth + 1, spans);
}

const LIST_ELEMENT = /'([^'\n\\]*)'|"([^"\n\\]*)"/g;

/** A password option of any program (`--password`, `--db-pass`, `-storepass`, `--api-token`), not `-p`. */
const SECRET_OPTION = /^--?(?:[A-Za-z0-9._-]*[._-])?(?:password|passwd|pass|pwd|pw|passphrase|secret|token|api[_-]?key|storepass|keypass)$/i;

/** `["--password", "X"]` and `["--password=X"]` in an argument list of any program. */
function secretOptionsInList(run: Word[], spans: Span[]): void {
  for (let i = 0; i < run.length; i++) {
    const w = run[i] as Word;
    const eq = w.text.indexOf('=');
    if (eq > 0 && SECRET_OPTION.test(w.text.slice(0, eq))) {
      const value = w.text.slice(eq + 1);
      if (!isPlaceholder(value)) spans.push([w.start + eq + 1, w.end]);
      continue;
    }
    const next = run[i + 1];
    if (SECRET_OPTION.test(w.text) && next && !next.text.startsWith('-') && !isPlaceholder(next.text)) spans.push([next.start, next.end]);
  }
}

/** Argument lists in code (`subprocess.run(["mysql", "-u", "x", "-p…"])`, `"args": ["--password", "…"]`): each element one word. */
function scanArgumentLists(line: string, offset: number, spans: Span[]): void {
  if (!line.includes(',')) return;
  let run: Word[] = [];
  let lastEnd = -1;
  const flush = (): void => {
    if (run.length >= 2) {
      secretsOfCommand(run, spans);
      secretOptionsInList(run, spans);
    }
    run = [];
  };
  LIST_ELEMENT.lastIndex = 0;
  for (let m = LIST_ELEMENT.exec(line); m; m = LIST_ELEMENT.exec(line)) {
    if (lastEnd >= 0 && !/^[ \t]*,[ \t]*$/.test(line.slice(lastEnd, m.index))) flush();
    const text = m[1] ?? m[2] ?? '';
    run.push({ start: offset + m.index + 1, end: offset + m.index + 1 + text.length, text });
    lastEnd = m.index + m[0].length;
  }
  flush();
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
    if (ANY_TOOL.test(line)) scanLine(line, lineStart, 0, spans);
    scanArgumentLists(line, lineStart, spans);
    lineStart = lineEnd + 1;
  }
  return spans;
}
