/**
 * Multi-line secrets, redacted whole: PEM blocks (certificates, proxies, private keys, OpenSSH and
 * PGP keys; with real or `\n`-escaped line breaks; also when the END line is missing), PEM that was
 * base64-encoded again (kubeconfig `client-key-data`, `X509_USER_PROXY` contents in env dumps), and
 * runs of bare key-material lines whose header was cut off (evidence windows, PuTTY key files).
 *
 * Everything here walks the text with `indexOf` and per-line checks: linear in the text length.
 */

const BEGIN = '-----BEGIN ';
const BODY_CHARS = /[A-Za-z0-9+/]{16}/;

function lineBreakAt(text: string, i: number): number {
  if (text.charCodeAt(i) === 10) return 1;
  if (text.charCodeAt(i) === 13 && text.charCodeAt(i + 1) === 10) return 2;
  if (text.charCodeAt(i) === 92 && text.charCodeAt(i + 1) === 110) return 2; // `\n` escaped in JSON / Python reprs
  return 0;
}

/** End of the body that starts at `from` when no END line exists: the run of base64-looking lines (bounded by `limit`). */
function bodyEndWithoutEndLine(text: string, from: number, limit: number): number {
  let pos = from;
  let end = from;
  while (pos < limit) {
    const br = lineBreakAt(text, pos);
    if (br) {
      pos += br;
      continue;
    }
    let next = pos;
    while (next < limit && !lineBreakAt(text, next)) next++;
    const line = text.slice(pos, next);
    if (line.trim() === '' || /^[ \t]*[A-Za-z0-9+/=]{8,}[ \t"',]*$/.test(line)) {
      if (line.trim() !== '') end = next;
      pos = next;
      continue;
    }
    // A partial last line glued to prose ("…fm" then end of text) still belongs to the body.
    const lead = /^[ \t]*[A-Za-z0-9+/=]{8,}/.exec(line);
    if (lead && next >= limit) end = pos + lead[0].length;
    break;
  }
  return end;
}

/** PEM blocks: BEGIN/END lines kept, the body replaced by one placeholder. */
export function redactPemBlocks(text: string, replacement: string): string {
  if (!text.includes(BEGIN)) return text;
  const begins: Array<{ at: number; label: string; bodyStart: number }> = [];
  const header = /-----BEGIN ([A-Z0-9 ]{1,60})-----/g;
  for (let m = header.exec(text); m; m = header.exec(text)) begins.push({ at: m.index, label: m[1] ?? '', bodyStart: m.index + m[0].length });
  let out = '';
  let last = 0;
  for (let i = 0; i < begins.length; i++) {
    const b = begins[i];
    if (!b || b.bodyStart < last) continue;
    const limit = begins[i + 1]?.at ?? text.length;
    const endMarker = `-----END ${b.label}-----`;
    const window = text.slice(b.bodyStart, limit);
    const endAt = window.indexOf(endMarker);
    const bodyEnd = endAt >= 0 ? b.bodyStart + endAt : bodyEndWithoutEndLine(text, b.bodyStart, limit);
    const body = text.slice(b.bodyStart, bodyEnd);
    if (!BODY_CHARS.test(body)) continue;
    const lead = /^(?:\r?\n|\\n)?/.exec(body)?.[0] ?? '';
    const trail = /(?:\r?\n|\\n)?$/.exec(body)?.[0] ?? '';
    out += text.slice(last, b.bodyStart) + lead + replacement + trail;
    last = bodyEnd;
  }
  return out + text.slice(last);
}

/**
 * PEM encoded once more in base64 (`LS0tLS1CRUdJTi…` is "-----BEGIN"), on one line or wrapped over
 * several (each continuation line a run of base64).
 */
export const BASE64_PEM = /(?<![A-Za-z0-9+/])LS0tLS1CRUdJTi[A-Za-z0-9+/=]*(?:(?:\r?\n|\\n)[ \t]*[A-Za-z0-9+/=]{16,})*/g;

/**
 * A line that is nothing but a long run of base64 with upper case, lower case and digits: key
 * material (a PEM body line whose BEGIN line was cut off, a PuTTY private line, a keytab dump).
 * Hex digests, words and file names (which have dots) never match.
 */
const BARE_KEY_LINE = /^([ \t>|#*-]*)([A-Za-z0-9+/]{40,}={0,2})([ \t]*)$/gm;

export function redactBareKeyLines(text: string, replacement: string): string {
  return text.replace(BARE_KEY_LINE, (m, lead: string, body: string, trail: string) =>
    /[A-Z]/.test(body) && /[a-z]/.test(body) && /[0-9]/.test(body) ? `${lead}${replacement}${trail}` : m,
  );
}

export const BLOCK_PATTERNS: ReadonlyArray<{ name: string; pattern: RegExp }> = [
  { name: 'base64-pem', pattern: BASE64_PEM },
  { name: 'bare-key-line', pattern: BARE_KEY_LINE },
];
