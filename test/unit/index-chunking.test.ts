import { describe, expect, it } from 'vitest';
import { chunkDocument, chunkSections, cleanPdfText, htmlToMarkdown, splitSections } from '../../src/index/index.js';

const toc = [
  'Introduction',
  'Basic Concepts',
  'User Guide',
  'Administrator Guide',
  'Brokerage',
  'Job Sizing',
  'Retry Module',
  'Watchdogs',
  'Index',
  'Glossary',
].flatMap((title, i) => [String(i + 1), title, String(3 + i * 7)]);
const pdf = [
  'Manual',
  'INTRODUCTION:',
  ...toc,
  'CHAPTER',
  'ONE',
  'INTRODUCTION',
  'PanDA runs jobs on the grid and keeps their state in a central database. The pilot fetches',
  'work from the server.',
  '4',
  'Chapter 1. Introduction',
  'PanDAWMS',
  '(continued from previous page)',
  '1.1 Tasks and jobs',
  'A task is split into jobs by JEDI. Each job has a PanDA ID.',
  '1.1. Tasks and jobs',
  '5',
  'PanDAWMS',
  'Scout jobs measure the memory and the speed of the payload first.',
  '6',
  'Chapter 1. Introduction',
  'PanDAWMS',
  'The brokerage then chooses the sites.',
  '7',
  'Chapter 1. Introduction',
  'PanDAWMS',
  'More text on page eight.',
  '8',
  'Chapter 1. Introduction',
  'PanDAWMS',
  'Last words.',
  '9',
  'Chapter 1. Introduction',
  'PanDAWMS',
].join('\n');

describe('PDF-to-text cleaning', () => {
  it('drops running headers, footers, page numbers, continuation markers and the table of contents, keeping page numbers as metadata', () => {
    const lines = cleanPdfText(pdf);
    const texts = lines.map((l) => l.text);
    expect(texts).not.toContain('PanDAWMS');
    expect(texts).not.toContain('Chapter 1. Introduction');
    expect(texts).not.toContain('(continued from previous page)');
    expect(texts.filter((t) => /^\d+$/.test(t))).toEqual([]);
    expect(texts).not.toContain('Basic Concepts');
    const scout = lines.find((l) => l.text.startsWith('Scout jobs'));
    expect(scout?.page).toBe(6);
    expect(lines.find((l) => l.text.startsWith('A task is split'))?.page).toBe(5);
  });

  it('finds chapters and numbered sections and keeps every kept line verbatim', () => {
    const sections = splitSections('manual.txt', pdf, 'manual');
    expect(sections.map((s) => s.path.join(' > ')).filter(Boolean)).toEqual(['1. Introduction', '1. Introduction > 1.1 Tasks and jobs']);
    const chunks = chunkSections(sections, { targetChars: 400 });
    expect(chunks.map((c) => c.text).join('\n')).toContain('A task is split into jobs by JEDI. Each job has a PanDA ID.');
  });

  it('an unnumbered sub-heading names the chunks under it in the heading path without cutting the section', () => {
    const body = (topic: string): string[] =>
      Array.from({ length: 6 }, (_, i) => `Sentence ${i} about ${topic} explains one more detail of how the system handles it for users.`);
    const withSub = pdf.replace(
      'Scout jobs measure the memory and the speed of the payload first.',
      [
        'Scout jobs measure the memory and the speed of the payload first.',
        'Keeping credentials',
        ...body('credentials'),
        'They must be set like',
        'the example shows.',
      ].join('\n'),
    );
    const sections = splitSections('manual.txt', withSub, 'manual');
    // Still one numbered section: the sub-heading is not a boundary.
    expect(sections.map((s) => s.path.join(' > ')).filter(Boolean)).toEqual(['1. Introduction', '1. Introduction > 1.1 Tasks and jobs']);
    const chunks = chunkSections(sections, { targetChars: 200 });
    const under = chunks.filter((c) => c.text.includes('about credentials'));
    expect(under.length).toBeGreaterThan(1);
    expect(under.at(-1)?.section).toBe('1. Introduction > 1.1 Tasks and jobs > Keeping credentials');
    expect(chunks.find((c) => c.text.includes('A task is split'))?.section).toBe('1. Introduction > 1.1 Tasks and jobs');
    // A wrapped sentence ending on a function word is no heading.
    expect(chunks.some((c) => c.section.endsWith('They must be set like'))).toBe(false);
  });
});

describe('chunking', () => {
  it('follows markdown headings (not # comments inside code fences), caps size and overlaps whole lines', () => {
    const para = (n: number) => `Sentence number ${n} about the pilot and its copy tools, which move files.`;
    const body = Array.from({ length: 60 }, (_, i) => para(i)).join('\n');
    const md = `# Pilot\n\nIntro line.\n\n## Copy tools\n${body}\n\`\`\`\n# not a heading\nexport X=1\n\`\`\`\n## Rucio client\nThe pilot uses the Rucio API.\n`;
    const chunks = chunkSections(splitSections('pilot.md', md, 'Pilot'), { targetChars: 500, overlapChars: 100, maxChars: 2000 });
    expect(chunks.some((c) => c.section === 'Pilot > Rucio client')).toBe(true);
    expect(chunks.some((c) => c.section.includes('not a heading'))).toBe(false);
    for (const c of chunks) {
      expect(c.text.length).toBeLessThanOrEqual(2000);
      expect(c.context.length).toBeLessThanOrEqual(2000);
      expect(c.context).toContain(c.text);
    }
    const copy = chunks.filter((c) => c.section === 'Pilot > Copy tools');
    expect(copy.length).toBeGreaterThan(2);
    const lastLine = copy[0]?.text.split('\n').at(-1) ?? '';
    expect(copy[1]?.text).toContain(lastLine);
  });

  it('splits concatenated markdown pages at their front matter and names chunks by page title', () => {
    const text = '---\nid: a\ntitle: First page\n---\nAlpha text.\n---\ntitle: Second page\n---\n## Part\nBeta text.';
    const chunks = chunkDocument({ name: 'docs.md', text, source: 'docs.md' });
    expect(chunks.map((c) => [c.title, c.section ?? ''])).toEqual([
      ['First page', ''],
      ['Second page', 'Part'],
    ]);
  });

  it('strips navigation, scripts and footers from HTML and keeps headings', () => {
    const html =
      '<html><head><title>Retry module</title><script>var x=1</script></head><body><nav><a href="/">Home</a> Menu</nav>' +
      '<div class="sphinxsidebar">Sidebar links</div><h1>Job retry</h1><p>Failed jobs are retried by &quot;rules&quot;.</p><footer>© CERN</footer></body></html>';
    const doc = htmlToMarkdown(html);
    expect(doc.title).toBe('Retry module');
    expect(doc.markdown).toBe('# Job retry\nFailed jobs are retried by "rules".');
    const chunks = chunkDocument({ name: 'retry.html', text: html, source: 'retry.html', url: 'https://docs.example/retry.html' });
    expect(chunks[0]).toMatchObject({ title: 'Retry module', section: 'Job retry', url: 'https://docs.example/retry.html' });
  });
});
