/**
 * THE redactor of the project: every text that reaches an LLM, the index, storage, a log or a chat
 * reply goes through `redact()` first (replies, MCP results, `/v1`, `--json` and memory through
 * `redactDeep`). Secrets become `[REDACTED:<kind>]`; identifiers that matter (pandaids, queue/RSE
 * names, file names, GUIDs, checksums, digests, git hashes) are left alone.
 *
 * Layers, in order:
 * 1. multi-line blocks, redacted whole (`redaction/blocks.ts`): PEM, base64-wrapped PEM, bare key lines;
 * 2. grid and tool rules below: token formats recognised anywhere, headers, URLs, query strings,
 *    `key = value` in env files / YAML / INI / JSON / Python reprs (with an entropy check for long
 *    opaque values under secret-ish keys), credential files (`.netrc`, `.pgpass`, htpasswd, docker
 *    `auths`, kubeconfig), command lines of common tools (`redaction/commands.ts`);
 * 3. the maintained generic rule set: secretlint's recommended preset (`redaction/secretlint.ts`).
 *
 * The rules look at context, not only at shapes: the same 32-hex string is a secret after
 * `SIGNING_SECRET=` and an md5 sum anywhere else. Every pattern is linear-time: each starts behind a
 * boundary it cannot re-enter (a lookbehind on its own first character class) and every quantifier
 * is followed by a character its class excludes, so a failed attempt never rescans a run
 * (test/unit/redact-linear.test.ts runs 100 kB adversarial inputs against each).
 */
import { BASE64_PEM, BLOCK_PATTERNS, redactBareKeyLines, redactPemBlocks } from './redaction/blocks.js';
import { commandLineSecrets } from './redaction/commands.js';
import { secretlintRanges } from './redaction/secretlint.js';

export type SecretKind =
  | 'pem'
  | 'key_material'
  | 'jwt'
  | 'bearer'
  | 'basic_auth'
  | 'password'
  | 'password_hash'
  | 'token'
  | 'secret'
  | 'cookie'
  | 'aws_key'
  | 'aws_secret'
  | 'gitlab_token'
  | 'github_token'
  | 'slack_token'
  | 'webhook'
  | 'llm_api_key'
  | 'api_key'
  | 'rucio_token'
  | 'macaroon'
  | 's3_signature';

export const placeholder = (kind: SecretKind): string => `[REDACTED:${kind}]`;

/** Values that are already masked, empty, references to variables or plain non-secret words. */
const HARMLESS_VALUE =
  /^(?:|null|none|nil|undefined|true|false|yes|no|n\/a|required|optional|changeme|dst:.*|\[REDACTED.*|<[^>]*>|\$\{[^}]*\}|\$\([^)]*\)|%\([^)]*\)s|%[A-Za-z_]+%|\{\{[^}]*\}\}|\{[A-Za-z_]*\}|\*+|x{3,}|X{3,}|\.{3,}|\d{1,5}|env:.*|file:.*|fd:\d+|stdin)$/i;

/** Shell variable references (`$DB_PASS`, `$password`); case matters: `$ecret9X` is a password. */
const VARIABLE_REFERENCE = /^\$(?:[A-Z_][A-Z0-9_]*|[a-z_]+)$/;

export function isHarmlessValue(value: string): boolean {
  const v = value.trim();
  return HARMLESS_VALUE.test(v) || VARIABLE_REFERENCE.test(v);
}

/** Key names whose value is a credential. The key must END with the word (`token_type`, `Token-Expires` are not keys of secrets). */
const SECRET_KEY_END =
  /(?:pass(?:word|wd|phrase)?|pwd|(?:^|[^a-z])pw|secret(?:[_-]?(?:access[_-]?)?key)?|client[_-]?secret|signing[_-]?secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|auth[_-]?key|credentials?|session[_-]?(?:id|key)|sessionid|csrf[_-]?token|csrftoken|cookie|macaroon|bearer)$/i;

/**
 * Words that make a key secret-ish without ending it (`token_value`, `MYAPP_AUTH`, docker `auth`,
 * `client-key-data`, `X509_USER_PROXY_B64`): its value is redacted only when it looks opaque.
 */
const SECRETISH_PART =
  /(?:key|secret|token|pass|passwd|password|pwd|auth|cred|creds|credential|credentials|sig|signature|cookie|session|bearer|private|proxy|macaroon|jwt|hmac|keytab|dockerconfigjson|dockercfg|dsn)$/;

/** PanDA job-definition fields that merely contain the word token (space tokens such as `dst:X_DATADISK`), and keys naming a place of a secret. */
const NOT_SECRET_KEY =
  /(?:DBlockToken|SpaceToken|token_type|tokentype|(?:_|-|\b)(?:file|path|dir|url|uri|type|name|endpoint|expires?|expiry|lifetime|length|len|size|count|ttl|timeout|id_?key)|File|Path|Dir|Url|Type|Name)$/;

function kindForKey(key: string): SecretKind {
  const k = key.toLowerCase();
  if (/pass|pwd|(?:^|[^a-z])pw$/.test(k)) return 'password';
  if (/cookie|session|csrf/.test(k)) return 'cookie';
  if (/secret/.test(k)) return 'secret';
  if (/key/.test(k)) return 'secret';
  return 'token';
}

function keyParts(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

function shannon(value: string): number {
  const counts = new Map<string, number>();
  for (const c of value) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** A long opaque value: token alphabet only, letters and digits mixed, high entropy (not a word, date, path, URL or version). */
export function looksOpaque(value: string, minLength = 16): boolean {
  if (value.length < minLength || value.length > 8192) return false;
  if (!/^[A-Za-z0-9+/=_\-.~]+$/.test(value) || !/[0-9]/.test(value) || !/[A-Za-z]/.test(value)) return false;
  if (
    /^(?:\/|~\/|\.\.?\/)/.test(value) ||
    /^[\d.]+$/.test(value) ||
    /^\d{4}-\d\d-\d\d/.test(value) ||
    /\.(?:root|log|txt|json|ya?ml|py|sh|pem|crt|cfg|ini|tar|gz|tgz|zip|sif)$/i.test(value)
  )
    return false;
  return shannon(value) >= 3.2;
}

/** Words that follow an option name in prose, never as its value. */
const PROSE_WORD =
  /^(?:via|is|was|are|were|be|been|for|to|the|a|an|and|or|in|on|at|of|by|with|without|from|option|flag|argument|parameter|instead|not|must|should|will|would|can|could|may|only|when|if|then|as|so|but|here|there|this|that|it|which|on\/off)[.,;:!?)]*$/i;

export type RuleReplace = (match: string, ...groups: string[]) => string;

export interface Rule {
  name: string;
  pattern: RegExp;
  replace: RuleReplace;
}

const COOKIE_ATTRIBUTE = /^(?:expires|path|domain|max-age|samesite|secure|httponly|priority|version|comment)$/i;

function redactCookiePairs(pairs: string): string {
  return pairs.replace(/(?<![A-Za-z0-9_.-])([A-Za-z0-9_.-]{1,128})=([^;,\s]{1,4096})/g, (p: string, n: string, v: string) =>
    COOKIE_ATTRIBUTE.test(n) || isHarmlessValue(v) ? p : `${n}=${placeholder('cookie')}`,
  );
}

/** Base64 of `user:password` (docker/podman `auths`, Basic credentials stored under `auth`): opaque even without digits. */
function isBase64Credential(value: string): boolean {
  if (value.length < 12 || value.length > 1024 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value) || value.length % 4 !== 0) return false;
  const decoded = Buffer.from(value, 'base64').toString('latin1');
  return /^[\x21-\x7e]{1,256}:[\x20-\x7e]{1,512}$/.test(decoded);
}

/** The value of a `key = value` pair: redacted when the key names a secret, or is secret-ish and the value opaque. */
function valueForKey(key: string, value: string): string | null {
  // A list or mapping (`'pw': ['rucio']`, the pilot's copytool activities) is structure, not a secret.
  if (/^[[{(]/.test(value) || isHarmlessValue(value) || NOT_SECRET_KEY.test(key)) return null;
  if (SECRET_KEY_END.test(key)) return placeholder(kindForKey(key));
  if (keyParts(key).some((p) => SECRETISH_PART.test(p)) && (looksOpaque(value, 12) || isBase64Credential(value))) return placeholder(kindForKey(key));
  return null;
}

/** Whether the text right before `offset` is inside a URL's authority (`https://user:…@`), where `user:` is no key. */
function insideUrlAuthority(text: string, offset: number): boolean {
  // (`^//` : inside a value searched again, whose scheme's colon was the separator of the outer pair)
  return /(?::|^)\/\/[^\s/'"]*$/.test(text.slice(Math.max(0, offset - 256), offset));
}

const TOKEN_CHARS = 'A-Za-z0-9_-';

const KEY_VALUE_SOURCE =
  /(?<![A-Za-z0-9_.-])((['"]?)([A-Za-z.][A-Za-z0-9_.-]{0,127})\2)([ \t]*[:=][ \t]*)(?:'([^'\n]{0,4096})'|"([^"\n]{0,4096})"|(\$\{[^}\s]{0,256}\}|[^\s'",;}{)\]]{1,4096}))/
    .source;
const KEY_VALUE = new RegExp(KEY_VALUE_SOURCE, 'g');
/** The same pattern for the one nested look into a value whose key is not secret (`msg: "failed: token=…"`). */
const KEY_VALUE_INNER = new RegExp(KEY_VALUE_SOURCE, 'g');

/**
 * Replacer of the key/value rule. A value under a key that is not secret may itself hold a pair
 * (`stage-in: token=…`, `"diag": "… password=…"`): it is searched once more, one level deep, so
 * the work stays linear.
 */
function keyValueReplace(nested: number): RuleReplace {
  return (m, keyPart = '', _q = '', key = '', sep = '', single?: string, double?: string, bare?: string, ...rest: unknown[]) => {
    const offset = rest.find((r) => typeof r === 'number') as number;
    const whole = rest.find((r) => typeof r === 'string') as string;
    if (sep.includes(':') && insideUrlAuthority(whole, offset)) return m;
    const value = single ?? double ?? bare ?? '';
    const redacted = valueForKey(key, value);
    const quote = single !== undefined ? "'" : double !== undefined ? '"' : '';
    if (redacted) return `${keyPart}${sep}${quote}${redacted}${quote}`;
    if (nested <= 0 || !/[:=]/.test(value)) return m;
    KEY_VALUE_INNER.lastIndex = 0;
    const inner = value.replace(KEY_VALUE_INNER, keyValueReplace(nested - 1) as (substring: string, ...args: unknown[]) => string);
    return inner === value ? m : `${keyPart}${sep}${quote}${inner}${quote}`;
  };
}

export const RULES: Rule[] = [
  // Multi-line: PEM that was base64-encoded once more (single line or wrapped).
  { name: 'base64-pem', pattern: BASE64_PEM, replace: () => placeholder('pem') },
  // Distinctive token formats, recognised anywhere.
  {
    name: 'jwt',
    pattern: new RegExp(`(?<![${TOKEN_CHARS}])eyJ[${TOKEN_CHARS}]{8,}\\.eyJ[${TOKEN_CHARS}]{8,}(?:\\.[${TOKEN_CHARS}]*){1,3}`, 'g'),
    replace: () => placeholder('jwt'),
  },
  {
    name: 'jwt-any',
    pattern: new RegExp(`(?<![${TOKEN_CHARS}])eyJ[${TOKEN_CHARS}]{10,}\\.[${TOKEN_CHARS}]{10,}(?:\\.[${TOKEN_CHARS}]{10,}){1,3}`, 'g'),
    replace: () => placeholder('jwt'),
  },
  {
    name: 'aws-key',
    pattern: /(?<![A-Za-z0-9])(?:AKIA|ASIA|AIDA|AROA|ABIA|ACCA|AGPA|AIPA|ANPA|ANVA|APKA)[0-9A-Z]{16}(?![A-Za-z0-9])/g,
    replace: () => placeholder('aws_key'),
  },
  {
    name: 'gitlab',
    pattern:
      /(?:(?<![A-Za-z0-9_-])|(?<=%[0-9A-Fa-f]{2}|\\[nrt]))(?:gl(?:pat|dt|rt|ptt|oas|cbt|imt|ft|soat|ffct|agent|wt|rtr)-[A-Za-z0-9_-]{10,}(?:\.[A-Za-z0-9_-]{1,64}){0,3}|GR1348941[A-Za-z0-9_-]{16,})/g,
    replace: () => placeholder('gitlab_token'),
  },
  { name: 'github', pattern: /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})/g, replace: () => placeholder('github_token') },
  { name: 'slack', pattern: /(?<![A-Za-z0-9-])(?:xox[abposre]|xapp)-[A-Za-z0-9-]{10,}/g, replace: () => placeholder('slack_token') },
  {
    name: 'webhook',
    pattern:
      /(?<![A-Za-z0-9])(https:\/\/(?:hooks\.slack\.com\/(?:services|workflows|triggers)\/|(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/\d{5,30}\/|[A-Za-z0-9.-]{1,253}\/hooks\/(?=[a-z0-9]{26}\b)))([A-Za-z0-9_/-]{10,512})/g,
    replace: (_m, lead = '') => `${lead}${placeholder('webhook')}`,
  },
  {
    name: 'llm-key',
    pattern:
      /(?<![A-Za-z0-9_-])(?:sk-(?:proj-|ant-(?:api\d{2}-|admin\d{2}-)?|or-v1-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}|AIza[0-9A-Za-z_-]{30,}|hf_[A-Za-z0-9]{30,}|gsk_[A-Za-z0-9]{30,}|r8_[A-Za-z0-9]{30,}|xai-[A-Za-z0-9]{40,}|pplx-[A-Za-z0-9]{40,})/g,
    replace: () => placeholder('llm_api_key'),
  },
  {
    name: 'api-key-formats',
    pattern:
      /(?<![A-Za-z0-9_-])(?:npm_[A-Za-z0-9]{36}|pypi-AgE[A-Za-z0-9_-]{50,}|dckr_pat_[A-Za-z0-9_-]{20,}|hv[sbr]\.[A-Za-z0-9_-]{24,}|ya29\.[A-Za-z0-9_-]{20,}|GOCSPX-[A-Za-z0-9_-]{20,}|(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{20,}|SG\.[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}|dapi[0-9a-f]{32}|gl(?:sa|c)_[A-Za-z0-9_=]{30,}|ATATT3[A-Za-z0-9_=-]{40,}|do[opr]_v1_[0-9a-f]{64}|AGE-SECRET-KEY-1[0-9A-Z]{50,}|shp(?:at|ca|pa|ss)_[0-9a-fA-F]{32}|lin_api_[A-Za-z0-9]{30,}|[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34})/g,
    replace: () => placeholder('api_key'),
  },
  { name: 'discord', pattern: /(?<![A-Za-z0-9_-])[MN][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,}/g, replace: () => placeholder('token') },
  // Rucio auth tokens: <account>-<identity>-<app>-<32 hex>.
  {
    name: 'rucio',
    pattern: /(?<![A-Za-z0-9_.@/=-])[a-z0-9_.]{1,64}-[A-Za-z0-9_.@/=]{1,256}-[a-z0-9_.-]{1,128}-[0-9a-f]{32}(?![A-Za-z0-9])/g,
    replace: () => placeholder('rucio_token'),
  },
  // Macaroons (base64 of "001..." location packets).
  { name: 'macaroon', pattern: /(?<![A-Za-z0-9+/_=-])MDAx[A-Za-z0-9+/_=-]{40,}/g, replace: () => placeholder('macaroon') },
  // Password hashes (htpasswd, shadow, LDAP): bcrypt, apr1, sha-crypt, yescrypt, argon2, {SHA}/{SSHA}.
  {
    name: 'password-hash',
    pattern:
      /(?<![^\s'"`:=,(])(?:\$2[abxy]?\$\d\d\$[./A-Za-z0-9]{53}|\$apr1\$[./A-Za-z0-9]{1,8}\$[./A-Za-z0-9]{22}|\$[156]\$(?:rounds=\d{1,9}\$)?[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{22,86}|\$y\$[./A-Za-z0-9]{1,32}\$[./A-Za-z0-9]{1,64}\$[./A-Za-z0-9]{43}|\$argon2(?:id|i|d)\$v=\d{1,3}\$m=\d{1,9},t=\d{1,4},p=\d{1,4}\$[A-Za-z0-9+/]{8,128}\$[A-Za-z0-9+/]{16,256}|\{S?SHA(?:256|512)?\}[A-Za-z0-9+/]{20,128}={0,2})/g,
    replace: () => placeholder('password_hash'),
  },
  // Rucio's token header: the token holds the account's DN, which may contain spaces (`OU=Organic Units`).
  {
    name: 'rucio-header',
    pattern: /(?<![A-Za-z0-9_-])(X-Rucio-Auth-Token['"]?[ \t]*[:=][ \t]*['"]?)([^\s'"][^\r\n'"]{0,1023})/gi,
    replace: (m, lead = '', value = '') => {
      const first = /^[^\s]*/.exec(value)?.[0] ?? '';
      if (isHarmlessValue(first)) return m;
      // The token ends with its 32-hex part; a DN inside it may hold spaces. Without one, the first word is the token.
      const tail = first.includes('/') ? /-[0-9a-f]{32}(?![A-Za-z0-9])/.exec(value) : null;
      const end = tail ? tail.index + tail[0].length : first.length;
      return `${lead}${placeholder('rucio_token')}${value.slice(end)}`;
    },
  },
  // Authorization headers (Bearer/Basic/Token/Negotiate), in any quoting.
  {
    name: 'authorization',
    pattern:
      /(?<![A-Za-z0-9_-])((?:Proxy-)?Authorization['"]?[ \t]*[:=][ \t]*['"]?[ \t]*)(Bearer|Basic|Token|Negotiate|Digest|JWT|Splunk|SSWS|ApiKey|OAuth)([ \t]+)(\$\{[^}\s]{0,256}\}|[^\s'",}]{1,8192})/gi,
    replace: (_m, lead = '', scheme = '', space = '', value = '') =>
      `${lead}${scheme}${space}${isHarmlessValue(value) ? value : placeholder(scheme.toLowerCase() === 'basic' ? 'basic_auth' : 'bearer')}`,
  },
  {
    name: 'bearer',
    pattern: /(?<![A-Za-z0-9_-])(Bearer[ \t]+)([A-Za-z0-9._~+/-]{16,8192}=*)/gi,
    replace: (_m, lead = '') => `${lead}${placeholder('bearer')}`,
  },
  // Cookie headers: every name=value pair.
  {
    name: 'cookie-header',
    pattern: /(?<![A-Za-z0-9_-])((?:Set-)?Cookie[ \t]*:[ \t]*)([^\r\n'"]{1,8192})/gi,
    replace: (_m, lead = '', pairs = '') => lead + redactCookiePairs(pairs),
  },
  // JDBC Oracle thin URLs: jdbc:oracle:thin:user/password@host.
  {
    name: 'jdbc-oracle',
    pattern: /(jdbc:oracle:[a-z]{1,10}:[A-Za-z0-9_$#.]{1,128}\/)([^\s@/'"]{1,512})@/gi,
    replace: (m, lead = '', pass = '') => (isHarmlessValue(pass) ? m : `${lead}${placeholder('password')}@`),
  },
  // Credentials in URLs: scheme://user:password@host (user kept; `${VAR}` references kept).
  {
    name: 'url-userinfo',
    pattern: /(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]{0,30}:\/\/)([^\s:/@'"[\]]{0,256}):([^\s@'"/[]{1,1024})@/g,
    replace: (m, scheme = '', user = '', pass = '') => (isHarmlessValue(pass) ? m : `${scheme}${user}:${placeholder('password')}@`),
  },
  // A token used as the URL's user name (git credential URLs, Sentry-style DSNs): https://<token>@host.
  {
    name: 'url-token-user',
    pattern: /(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]{0,30}:\/\/)([^\s:/@'"[\]]{16,512})@/g,
    replace: (m, scheme = '', user = '') => (looksOpaque(user, 20) ? `${scheme}${placeholder('token')}@` : m),
  },
  // Secret query parameters (presigned S3, macaroons, tokens in URLs).
  {
    name: 'query',
    pattern:
      /([?&;](?:authz|access_token|id_token|refresh_token|private_token|feed_token|rss_token|job_token|trigger_token|api_token|auth_token|token|auth|key|api_?key|apikey|access_key|secret_key|password|passwd|pwd|pw|pass|secret|client_secret|sig|signature|X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token|AWSAccessKeyId|Signature|X-Goog-Signature|X-Goog-Credential|sessionid|session|sv|se|sp)=)([^&\s'"#<>]{1,8192})/gi,
    replace: (m, lead = '', value = '') => {
      if (/^[?&;](?:sv|se|sp)=/i.test(lead) || isHarmlessValue(value)) return m;
      const kind: SecretKind = /amz|goog|sig/i.test(lead) ? 's3_signature' : /authz/i.test(lead) ? 'macaroon' : /pass|pw/i.test(lead) ? 'password' : 'token';
      return `${lead}${placeholder(kind)}`;
    },
  },
  // .netrc: machine host login user password secret (one line, or one entry over several lines).
  {
    name: 'netrc',
    pattern:
      /(?<![A-Za-z0-9_-])((?:machine|login|default)(?:[ \t]+[^\s]{1,256})?[ \t\r\n]+(?:(?:login|account)[ \t]+[^\s]{1,256}[ \t\r\n]+)?password[ \t]+)([^\s]{1,512})/g,
    replace: (m, lead = '', value = '') => (isHarmlessValue(value) ? m : `${lead}${placeholder('password')}`),
  },
  // .pgpass lines: host:port:database:user:password.
  {
    name: 'pgpass',
    pattern: /(?<![^\n])([ \t]*[A-Za-z0-9_.*-]{1,253}:(?:\d{1,5}|\*):[^\s:]{1,128}:[^\s:]{1,128}:)([^\s]{1,512})(?=\r?\n|$)/g,
    replace: (m, lead = '', value = '') => (isHarmlessValue(value) ? m : `${lead}${placeholder('password')}`),
  },
  // Command-line options: --password=x, --token x, --api-key=x, -Dx.password=y, -storepass x.
  {
    name: 'flag',
    // (a following option is never taken as the value: `--batch --passphrase X` is two options)
    pattern:
      /(?<![^\s])(--?[A-Za-z][A-Za-z0-9._-]{0,80})(=|[ \t]+(?!--?[A-Za-z][A-Za-z0-9-]{0,80}(?![^\s=])))(?:'([^'\n]{1,1024})'|"([^"\n]{1,1024})"|([^\s'"]{1,1024}))/g,
    replace: (m, flag = '', sep = '', single?: string, double?: string, bare?: string) => {
      const value = single ?? double ?? bare ?? '';
      // Prose about an option (`Using --password via the CLI is insecure`) holds no value.
      if (bare !== undefined && sep !== '=' && PROSE_WORD.test(value)) return m;
      // A value that is the next option (`--password --user x`) is no value; `-x7!Q` is one.
      if (/^--?[A-Za-z][A-Za-z0-9-]*$/.test(value) || /(?:file|path|dir|stdin|fd|env|source|type|name|url|length|expires?)$/i.test(flag)) return m;
      const name = flag.replace(/^--?/, '');
      const secret = SECRET_KEY_END.test(name) && name !== 'p' ? !isHarmlessValue(value) : sep === '=' && valueForKey(name, value) !== null;
      if (!secret) return m;
      const q = single !== undefined ? "'" : double !== undefined ? '"' : '';
      return `${flag}${sep}${q}${placeholder(kindForKey(name))}${q}`;
    },
  },
  // Function calls storing a secret: set_secret('WANDB_API_KEY', 'value').
  {
    name: 'call-pair',
    // (the first argument of a call only: in `'token_type': 'Bearer', 'expires_in'` no pair is stored)
    pattern: /(?<=\([ \t]{0,8})((['"])([A-Za-z0-9_.-]{1,128})\2[ \t]*,[ \t]*)(['"])([^'"\n]{1,4096})\4/g,
    replace: (m, lead = '', _q = '', key = '', q2 = '', value = '') => {
      const redacted = valueForKey(key, value);
      return redacted ? `${lead}${q2}${redacted}${q2}` : m;
    },
  },
  // key = value / key: value / "key": "value" / 'key': 'value' in env files, YAML, INI, JSON, Python reprs, headers.
  { name: 'key-value', pattern: KEY_VALUE, replace: keyValueReplace(1) },
  // Prose: "my password is Hunter2!", "the token was 4f9a…".
  {
    name: 'prose-password',
    pattern:
      /(?<![A-Za-z0-9_-])((?:password|passphrase|passwd|pwd|pin|token|secret|api key)[ \t]+(?:is|was|would be)[ \t]*:?[ \t]+)(['"`]?)([^\s'"`]{4,256})\2/gi,
    replace: (m, lead = '', q = '', value = '') => {
      const cleaned = value.replace(/[.,;!?)]+$/, '');
      const passwordLike = (/[0-9]/.test(cleaned) || /[^A-Za-z0-9]/.test(cleaned) || (/[a-z]/.test(cleaned) && /[A-Z]/.test(cleaned))) && cleaned.length >= 6;
      if (!passwordLike || isHarmlessValue(cleaned) || /^\[REDACTED/.test(cleaned)) return m;
      return `${lead}${q}${placeholder(/token|key/i.test(lead) ? 'token' : 'password')}${value.slice(cleaned.length)}${q}`;
    },
  },
];

/** Every regex of the redactor, for the linear-time test. */
export const ALL_PATTERNS: ReadonlyArray<{ name: string; pattern: RegExp }> = [...RULES.map((r) => ({ name: r.name, pattern: r.pattern })), ...BLOCK_PATTERNS];

function replaceSpans(text: string, spans: Array<[number, number]>, replacement: string): string {
  if (!spans.length) return text;
  spans.sort((a, b) => a[0] - b[0]);
  let out = '';
  let last = 0;
  for (const [start, end] of spans) {
    if (start < last) continue;
    out += text.slice(last, start) + replacement;
    last = end;
  }
  return out + text.slice(last);
}

const SECRETLINT_KIND: Record<string, SecretKind> = {
  '@secretlint/secretlint-rule-aws': 'aws_secret',
  '@secretlint/secretlint-rule-privatekey': 'pem',
  '@secretlint/secretlint-rule-basicauth': 'password',
  '@secretlint/secretlint-rule-database-connection-string': 'password',
  '@secretlint/secretlint-rule-slack': 'slack_token',
  '@secretlint/secretlint-rule-github': 'github_token',
  '@secretlint/secretlint-rule-openai': 'llm_api_key',
  '@secretlint/secretlint-rule-anthropic': 'llm_api_key',
};

/** secretlint's findings on what our own rules left: a URL keeps its host (only the user info goes). */
function redactGeneric(text: string): string {
  const ranges = secretlintRanges(text);
  if (!ranges.length) return text;
  let out = '';
  let last = 0;
  for (const r of ranges) {
    if (r.start < last) continue;
    const found = text.slice(r.start, r.end);
    if (found.includes('[REDACTED')) continue;
    const kind = SECRETLINT_KIND[r.rule] ?? 'secret';
    const url = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s:/@]*:)([^\s@]+)(@[\s\S]*)$/.exec(found);
    out += text.slice(last, r.start) + (url ? `${url[1]}${placeholder('password')}${url[3]}` : placeholder(kind));
    last = r.end;
  }
  return out + text.slice(last);
}

/** Replaces every secret in `text` by a placeholder. Idempotent; leaves everything else byte-identical. */
export function redact(text: string): string {
  if (!text || text.length < 6) return text;
  let out = redactPemBlocks(text, placeholder('pem'));
  out = redactBareKeyLines(out, placeholder('key_material'));
  for (const rule of RULES) {
    rule.pattern.lastIndex = 0;
    out = out.replace(rule.pattern, rule.replace as (substring: string, ...args: unknown[]) => string);
  }
  out = replaceSpans(out, commandLineSecrets(out), placeholder('password'));
  return redactGeneric(out);
}

const PEM_BEGIN = /-----BEGIN ([A-Z0-9 ]{1,60})-----/;
/** A line inside a PEM block: base64, blank, or a PGP armour header (after an optional quote or log gutter). */
const PEM_BODY_LINE = /^[\s>|#]*(?:[A-Za-z0-9+/=]{4,}|\[REDACTED:[a-z_]{1,20}\]|[A-Za-z-]{1,40}: .*)?[\s"',]*$/;

/**
 * Redacts a sequence of lines kept one by one (evidence lines of a log, continuation lines): a PEM
 * block spread over several lines is redacted whole, every body line replaced, even when its END
 * line is missing. Line count and order are kept; each line also passes `redact()`.
 */
export function redactLines(lines: readonly string[]): string[] {
  let inside: string | null = null;
  const out = lines.map((line) => {
    if (inside !== null) {
      if (line.includes(`-----END ${inside}-----`)) {
        inside = null;
        return redact(line);
      }
      if (!line.includes('-----BEGIN ') && PEM_BODY_LINE.test(line)) return line.trim() ? placeholder('pem') : line;
      inside = null;
    }
    const begin = PEM_BEGIN.exec(line);
    if (begin && !line.includes(`-----END ${begin[1]}-----`)) inside = begin[1] ?? '';
    return redact(line);
  });
  // The tail of a block whose BEGIN line was left out (the middle of a long block is often cut):
  // body lines right before an END line go too.
  for (let i = out.length - 1; i >= 0; i--) {
    if (!/-----END [A-Z0-9 ]{1,60}-----/.test(out[i] ?? '') || (out[i] ?? '').includes('-----BEGIN ')) continue;
    for (let j = i - 1; j >= 0; j--) {
      const line = out[j] ?? '';
      if (line.includes('-----') || !PEM_BODY_LINE.test(line)) break;
      if (line.trim()) out[j] = placeholder('pem');
    }
  }
  return out;
}

type NumberedLine = { n: number; text: string };

function isNumberedLines(value: unknown[]): value is NumberedLine[] {
  return (
    value.length > 1 &&
    value.every((v) => v !== null && typeof v === 'object' && typeof (v as NumberedLine).n === 'number' && typeof (v as NumberedLine).text === 'string')
  );
}

/** Evidence lines `{n, text}`: runs of consecutive line numbers are redacted as one block (`redactLines`). */
function redactNumberedLines(lines: NumberedLine[]): NumberedLine[] {
  const out: NumberedLine[] = [];
  let run: NumberedLine[] = [];
  const flush = (): void => {
    const texts = redactLines(run.map((l) => l.text));
    for (const [i, l] of run.entries()) out.push({ ...redactDeep(l), text: texts[i] ?? '' });
    run = [];
  };
  for (const line of lines) {
    const previous = run.at(-1);
    if (previous && line.n !== previous.n + 1) flush();
    run.push(line);
  }
  flush();
  return out;
}

/** Redacts every string inside a JSON-like value (objects, arrays); other values are returned as they are. */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return (isNumberedLines(value) ? redactNumberedLines(value) : value.map((v) => redactDeep(v))) as T;
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
