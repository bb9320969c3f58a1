/**
 * HTML → markdown-ish text for chunking: headings become `#` lines, paragraphs and list items become
 * lines, code stays verbatim; navigation, headers, footers, sidebars, scripts and styles are dropped.
 */

const SKIP = new Set(['script', 'style', 'nav', 'header', 'footer', 'aside', 'noscript', 'form', 'svg', 'template', 'iframe', 'button']);
const SKIP_CLASS = /(^|[\s_-])(nav|navbar|sidebar|sidebar-?\w*|menu|breadcrumbs?|toc|toctree-wrapper|footer|header|skip-link|related|sphinxsidebar)($|[\s_-])/i;
const VOID = new Set(['br', 'hr', 'img', 'input', 'meta', 'link', 'area', 'base', 'col', 'embed', 'source', 'track', 'wbr']);
const BLOCK = new Set([
  'p',
  'div',
  'section',
  'article',
  'main',
  'li',
  'tr',
  'table',
  'ul',
  'ol',
  'dl',
  'dt',
  'dd',
  'blockquote',
  'pre',
  'br',
  'hr',
  'figure',
  'figcaption',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
]);

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  rsquo: '’',
  lsquo: '‘',
  rdquo: '”',
  ldquo: '“',
  copy: '©',
};

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

export interface HtmlDocument {
  title: string | null;
  markdown: string;
}

export function htmlToMarkdown(html: string): HtmlDocument {
  const titleMatch = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html);
  const title = titleMatch?.[1] ? decodeEntities(titleMatch[1]).replace(/\s+/g, ' ').trim() : null;
  const body = /<body[^>]*>([\s\S]*)<\/body>/i.exec(html)?.[1] ?? html;
  const out: string[] = [];
  let line = '';
  let skipDepth = 0;
  const skipStack: string[] = [];
  let pre = 0;
  const flush = (): void => {
    const t = pre > 0 ? line : line.replace(/[ \t]+/g, ' ').trim();
    if (t) out.push(t);
    line = '';
  };
  const tagRe = /<!--[\s\S]*?-->|<(\/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>|([^<]+)|</g;
  for (const m of body.matchAll(tagRe)) {
    const [whole, closing, rawName, attrs, text] = m;
    if (whole.startsWith('<!--')) continue;
    if (text !== undefined || whole === '<') {
      if (skipDepth > 0) continue;
      const decoded = decodeEntities(text ?? '<');
      if (pre > 0) {
        const parts = decoded.split('\n');
        parts.forEach((p, i) => {
          if (i > 0) flush();
          line += p;
        });
      } else line += decoded.replace(/\s+/g, ' ');
      continue;
    }
    const name = (rawName ?? '').toLowerCase();
    const selfClosing = VOID.has(name) || (attrs ?? '').trim().endsWith('/');
    if (!closing) {
      const skipped =
        SKIP.has(name) || /role\s*=\s*["']?navigation/i.test(attrs ?? '') || SKIP_CLASS.test(/class\s*=\s*["']([^"']*)/i.exec(attrs ?? '')?.[1] ?? '');
      if (skipDepth > 0 || skipped) {
        if (!selfClosing) {
          skipStack.push(name);
          skipDepth += 1;
        }
        continue;
      }
      if (BLOCK.has(name)) flush();
      const level = /^h([1-6])$/.exec(name)?.[1];
      if (level) line = `${'#'.repeat(Number(level))} `;
      if (name === 'li') line = '* ';
      if (name === 'pre') {
        out.push('```');
        pre += 1;
      }
      if (name === 'code' && pre === 0) line += '`';
      if (name === 'td' || name === 'th') line += ' | ';
    } else {
      if (skipDepth > 0) {
        const at = skipStack.lastIndexOf(name);
        if (at >= 0) {
          skipDepth -= skipStack.length - at;
          skipStack.length = at;
        }
        continue;
      }
      if (name === 'code' && pre === 0) line += '`';
      if (name === 'pre' && pre > 0) {
        flush();
        out.push('```');
        pre -= 1;
      }
      if (BLOCK.has(name)) flush();
    }
  }
  flush();
  return { title, markdown: out.join('\n') };
}
