/**
 * THE redactor of the project: every text that reaches an LLM, the index, storage or a chat reply
 * goes through `redact()` first. Secrets become `[REDACTED:<kind>]`; identifiers that matter
 * (pandaids, queue/RSE names, file names, GUIDs, checksums, digests, git hashes) are left alone.
 *
 * The rules look at context, not only at shapes: the same 32-hex string is a secret after
 * `SIGNING_SECRET=` and an md5 sum anywhere else. Distinctive token formats (JWT, AKIA…, glpat-,
 * ghp_, xox*, sk-…) are recognised anywhere.
 */

export type SecretKind =
  | 'pem'
  | 'jwt'
  | 'bearer'
  | 'basic_auth'
  | 'password'
  | 'token'
  | 'secret'
  | 'cookie'
  | 'aws_key'
  | 'aws_secret'
  | 'gitlab_token'
  | 'github_token'
  | 'slack_token'
  | 'llm_api_key'
  | 'rucio_token'
  | 'macaroon'
  | 's3_signature';

export const placeholder = (kind: SecretKind): string => `[REDACTED:${kind}]`;

/** Values that are already masked, empty, references to variables or plain non-secret words. */
const HARMLESS_VALUE =
  /^(?:|null|none|nil|undefined|true|false|yes|no|n\/a|required|optional|changeme|dst:.*|\[REDACTED.*|<[^>]*>|\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|%\([^)]*\)s|\{\{[^}]*\}\}|\{[A-Za-z_]*\}|\*+|x{3,}|X{3,}|\.{3,}|\d{1,5})$/i;

export function isHarmlessValue(value: string): boolean {
  return HARMLESS_VALUE.test(value.trim());
}

/** Key names whose value is a credential. The key must END with the word (`token_type`, `Token-Expires` are not keys of secrets). */
const SECRET_KEY_WORD =
  '(?:pass(?:word|wd|phrase)?|pwd|secret(?:[_-]?(?:access[_-]?)?key)?|client[_-]?secret|signing[_-]?secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|auth[_-]?key|credentials?|session[_-]?(?:id|key)|sessionid|csrf[_-]?token|csrftoken|cookie)';

function kindForKey(key: string): SecretKind {
  const k = key.toLowerCase();
  if (/pass|pwd/.test(k)) return 'password';
  if (/cookie|session|csrf/.test(k)) return 'cookie';
  if (/secret/.test(k)) return 'secret';
  if (/key/.test(k)) return 'secret';
  return 'token';
}

/** PanDA job-definition fields that merely contain the word token (space tokens such as `dst:X_DATADISK`). */
const NOT_SECRET_KEY = /(?:DBlockToken|SpaceToken|token_type|tokentype)$/i;

interface Rule {
  name: string;
  pattern: RegExp;
  replace: (match: string, ...groups: string[]) => string;
}

const COOKIE_ATTRIBUTE = /^(?:expires|path|domain|max-age|samesite|secure|httponly|priority|version|comment)$/i;

const BASE64_LINE = /^[A-Za-z0-9+/=]{16,}$/;

/** PEM blocks: keep the BEGIN/END lines, drop the body (also a body whose END line is missing). */
function redactPem(text: string): string {
  const begin = /-----BEGIN ([A-Z0-9 ]+)-----/g;
  let out = '';
  let last = 0;
  for (let m = begin.exec(text); m; m = begin.exec(text)) {
    const bodyStart = m.index + m[0].length;
    const endMarker = `-----END ${m[1]}-----`;
    const endIndex = text.indexOf(endMarker, bodyStart);
    let bodyEnd: number;
    if (endIndex >= 0 && !text.slice(bodyStart, endIndex).includes('-----BEGIN ')) {
      bodyEnd = endIndex;
    } else {
      // No END line: the body is the run of base64-looking lines (or `\n`-escaped chunks) that follows.
      bodyEnd = bodyStart;
      const rest = text.slice(bodyStart);
      const parts = rest.split(/(\r?\n|\\n)/);
      let offset = 0;
      for (let i = 0; i < parts.length; i++) {
        const part = parts[i] ?? '';
        if (i % 2 === 1 || part.trim() === '' || BASE64_LINE.test(part.trim())) {
          offset += part.length;
          if (i % 2 === 0 && part.trim() !== '') bodyEnd = bodyStart + offset;
          continue;
        }
        break;
      }
    }
    const body = text.slice(bodyStart, bodyEnd);
    if (/[A-Za-z0-9+/]{16,}/.test(body)) {
      const lead = /^(\r?\n|\\n)?/.exec(body)?.[0] ?? '';
      const trail = /(\r?\n|\\n)?$/.exec(body)?.[0] ?? '';
      out += text.slice(last, bodyStart) + lead + placeholder('pem') + trail;
      last = bodyEnd;
    }
    begin.lastIndex = Math.max(bodyEnd, bodyStart);
  }
  return out + text.slice(last);
}

const keyValue = (key: string, sep: string, value: string, kind: SecretKind): string => `${key}${sep}${isHarmlessValue(value) ? value : placeholder(kind)}`;

const RULES: Rule[] = [
  // Distinctive token formats, recognised anywhere.
  { name: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, replace: () => placeholder('jwt') },
  { name: 'jwt-any', pattern: /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g, replace: () => placeholder('jwt') },
  { name: 'aws-key', pattern: /\b(?:AKIA|ASIA|AIDA|AROA)[0-9A-Z]{16}\b/g, replace: () => placeholder('aws_key') },
  { name: 'gitlab', pattern: /\bgl(?:pat|dt|rt|ptt|oas|cbt|imt|agent)-[A-Za-z0-9_-]{16,}/g, replace: () => placeholder('gitlab_token') },
  { name: 'github', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})/g, replace: () => placeholder('github_token') },
  { name: 'slack', pattern: /\b(?:xox[abposre]|xapp)-[A-Za-z0-9-]{10,}/g, replace: () => placeholder('slack_token') },
  {
    name: 'llm-key',
    pattern:
      /\b(?:sk-(?:proj-|ant-(?:api\d{2}-|admin\d{2}-)?|or-v1-|svcacct-)?[A-Za-z0-9_-]{20,}|AIza[0-9A-Za-z_-]{30,}|hf_[A-Za-z0-9]{30,}|gsk_[A-Za-z0-9]{30,}|r8_[A-Za-z0-9]{30,})/g,
    replace: () => placeholder('llm_api_key'),
  },
  { name: 'discord', pattern: /\b[MN][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,}/g, replace: () => placeholder('token') },
  // Rucio auth tokens: <account>-<identity>-<app>-<32 hex>.
  { name: 'rucio', pattern: /\b[a-z0-9_.]+-[A-Za-z0-9_.@/=]+-[a-z0-9_.-]+-[0-9a-f]{32}\b/g, replace: () => placeholder('rucio_token') },
  // Macaroons (base64 of "001..." location packets).
  { name: 'macaroon', pattern: /\bMDAx[A-Za-z0-9+/_=-]{40,}/g, replace: () => placeholder('macaroon') },
  // Authorization headers (Bearer/Basic/Token/Negotiate), in any quoting.
  {
    name: 'authorization',
    pattern: /\b((?:Proxy-)?Authorization['"]?\s*[:=]\s*['"]?\s*)(Bearer|Basic|Token|token|Negotiate|Digest|JWT)(\s+)(\$\{[^}\s]*\}|[^\s'",}]+)/gi,
    replace: (_m, lead = '', scheme = '', space = '', value = '') =>
      `${lead}${scheme}${space}${isHarmlessValue(value) ? value : placeholder(scheme.toLowerCase() === 'basic' ? 'basic_auth' : 'bearer')}`,
  },
  { name: 'bearer', pattern: /\b(Bearer\s+)([A-Za-z0-9._~+/-]{16,}=*)/g, replace: (_m, lead = '') => `${lead}${placeholder('bearer')}` },
  // Cookie headers: every name=value pair.
  {
    name: 'cookie-header',
    pattern: /\b((?:Set-)?Cookie\s*:\s*)([^\r\n'"]+)/gi,
    replace: (_m, lead = '', pairs = '') =>
      lead +
      pairs.replace(/([A-Za-z0-9_.-]+)=([^;,\s]+)/g, (p: string, n: string, v: string) =>
        COOKIE_ATTRIBUTE.test(n) || isHarmlessValue(v) ? p : `${n}=${placeholder('cookie')}`,
      ),
  },
  // Credentials in URLs: scheme://user:password@host (user kept; `${VAR}` references kept).
  {
    name: 'url-userinfo',
    pattern: /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:/@'"[\]]*):([^\s@'"/[]+)@/gi,
    replace: (m, scheme = '', user = '', pass = '') => (isHarmlessValue(pass) ? m : `${scheme}${user}:${placeholder('password')}@`),
  },
  // Secret query parameters (presigned S3, macaroons, tokens in URLs).
  {
    name: 'query',
    pattern:
      /([?&;](?:authz|access_token|id_token|refresh_token|token|auth|key|api_?key|apikey|password|passwd|pwd|secret|client_secret|sig|signature|X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token|AWSAccessKeyId|Signature|X-Goog-Signature|X-Goog-Credential|sv|se|sp)=)([^&\s'"#<>]+)/gi,
    replace: (m, lead = '', value = '') => {
      if (/^[?&;](?:sv|se|sp)=/i.test(lead) || isHarmlessValue(value)) return m;
      const kind: SecretKind = /amz|goog|sig/i.test(lead) ? 's3_signature' : /authz/i.test(lead) ? 'macaroon' : 'token';
      return `${lead}${placeholder(kind)}`;
    },
  },
  // A passphrase piped into a credential command: echo 'x' | voms-proxy-init ... --pwstdin
  {
    name: 'piped-passphrase',
    pattern:
      /\b((?:echo|printf)\s+(?:-[ne]+\s+)?)(['"]?)([^\s'"|]+|[^'"|\n]+?)\2(\s*\|\s*[^\n|]*?(?:pwstdin|password-stdin|passin|passwd|voms-proxy-init|grid-proxy-init|arcproxy|kinit|sudo\s+-S|login))/gi,
    replace: (m, lead = '', q = '', value = '', tail = '') => (isHarmlessValue(value) ? m : `${lead}${q}${placeholder('password')}${q}${tail}`),
  },
  // curl -u user:password
  {
    name: 'curl-user',
    pattern: /(\s(?:-u|--user)\s+)(['"]?)([^:\s'"]+):(?!\/\/)([^\s'"]+)\2/g,
    replace: (m, lead = '', q = '', user = '', pass = '') => (isHarmlessValue(pass) ? m : `${lead}${q}${user}:${placeholder('password')}${q}`),
  },
  // Command-line options: --password=x, --token x, --api-key=x.
  {
    name: 'flag',
    pattern: new RegExp(`(\\s--?[A-Za-z0-9-]*${SECRET_KEY_WORD})(=|\\s+)(['"]?)([^\\s'"]+)\\3`, 'gi'),
    replace: (m, flag = '', sep = '', q = '', value = '') => {
      if (value.startsWith('-') || isHarmlessValue(value) || /(?:file|path|dir)$/i.test(flag)) return m;
      return `${flag}${sep}${q}${placeholder(kindForKey(flag))}${q}`;
    },
  },
  // Function calls storing a secret: set_secret('WANDB_API_KEY', 'value'), os.environ["X_TOKEN"] = "v" is the key/value rule.
  {
    name: 'call-pair',
    pattern: new RegExp(`((['"])[A-Za-z0-9_.-]*${SECRET_KEY_WORD}\\2\\s*,\\s*)(['"])([^'"\\n]+)\\3`, 'gi'),
    replace: (m, lead = '', _q = '', q2 = '', value = '') => (isHarmlessValue(value) ? m : `${lead}${q2}${placeholder('secret')}${q2}`),
  },
  // key = value / key: value / "key": "value" / 'key': 'value' in env files, YAML, INI, JSON, Python reprs, headers.
  {
    name: 'key-value',
    pattern: new RegExp(
      `(?<!:\\/\\/[^\\s/]*)((['"]?)([A-Za-z0-9_.-]*${SECRET_KEY_WORD})\\2)([ \\t]*[:=][ \\t]*)(?:'([^'\\n]*)'|"([^"\\n]*)"|(\\$\\{[^}\\s]*\\}|[^\\s'",;}{)\\]]+))`,
      'gi',
    ),
    replace: (m, keyPart = '', _q = '', key = '', sep = '', single?: string, double?: string, bare?: string) => {
      if (NOT_SECRET_KEY.test(key) || /(?:_file|_path|_dir|_url|_type|_name|-file|-path)$/i.test(key)) return m;
      const kind = kindForKey(key);
      if (single !== undefined) return `${keyPart}${sep}'${isHarmlessValue(single) ? single : placeholder(kind)}'`;
      if (double !== undefined) return `${keyPart}${sep}"${isHarmlessValue(double) ? double : placeholder(kind)}"`;
      const value = bare ?? '';
      if (/^\[REDACTED/.test(value)) return m;
      return keyValue(keyPart, sep, value, kind);
    },
  },
];

/** Replaces every secret in `text` by a placeholder. Idempotent; leaves everything else byte-identical. */
export function redact(text: string): string {
  if (!text) return text;
  let out = text.includes('-----BEGIN ') ? redactPem(text) : text;
  for (const rule of RULES) {
    rule.pattern.lastIndex = 0;
    out = out.replace(rule.pattern, rule.replace as (substring: string, ...args: unknown[]) => string);
  }
  return out;
}

/** Redacts every string inside a JSON-like value (objects, arrays); other values are returned as they are. */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v);
    return out as T;
  }
  return value;
}

const SURVIVAL_WINDOW = 16;

/**
 * The evaluation's survival rule: a secret survives redaction when the whole secret, or any
 * 16-character slice of it, is still in the text (shorter secrets must be gone whole).
 */
export function secretSurvives(secret: string, text: string): boolean {
  if (text.includes(secret)) return true;
  if (secret.length <= SURVIVAL_WINDOW) return false;
  for (let i = 0; i + SURVIVAL_WINDOW <= secret.length; i++) if (text.includes(secret.slice(i, i + SURVIVAL_WINDOW))) return true;
  return false;
}
