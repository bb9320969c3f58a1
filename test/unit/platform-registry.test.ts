/**
 * The chat platforms are registered once (src/cli/platforms.ts): the names the watch CLI accepts and
 * the adapters the composition root builds come from that list.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readThreadExport } from '../../agents/ingest/index.js';
import { PLATFORM_NAMES, platforms } from '../../src/cli/platforms.js';
import { placeFromOption } from '../../src/cli/watch.js';
import { loadConfig } from '../../src/config.js';

describe('platform registry', () => {
  it('binds every registered platform to its config section', () => {
    const bound = platforms(loadConfig({ DISCORD_TOKEN: 'x' }));
    expect(bound.map((p) => p.name)).toEqual([...PLATFORM_NAMES]);
    expect(bound.filter((p) => p.enabled).map((p) => p.name)).toEqual(['discord']);
  });

  it('the watch CLI accepts each registered platform and lists them when refusing another', () => {
    for (const name of PLATFORM_NAMES) expect(placeFromOption(`${name}:C1`, false).platform).toBe(name);
    expect(() => placeFromOption('irc:#panda', false)).toThrow(`platforms: console, ${PLATFORM_NAMES.join(', ')}`);
  });

  it('a thread export line is read for each registered platform and refused, with the list, for another', () => {
    const dir = mkdtempSync(join(tmpdir(), 'askpanda-export-'));
    try {
      const line = (platform: string) =>
        JSON.stringify({
          platform,
          channel: { id: 'C1', name: 'help', private: false },
          thread_id: '1',
          permalink: 'https://chat.example.org/1',
          messages: [{ id: '1', user: 'U1', ts: '2026-01-01T00:00:00Z', text: 'how do I resubmit a task?' }],
        });
      const file = join(dir, 'threads.jsonl');
      writeFileSync(file, `${PLATFORM_NAMES.map(line).join('\n')}\n`);
      expect(readThreadExport(file, PLATFORM_NAMES).map((t) => t.platform)).toEqual([...PLATFORM_NAMES]);
      writeFileSync(file, `${line('irc')}\n`);
      expect(() => readThreadExport(file, PLATFORM_NAMES)).toThrow(
        `Line 1 of ${file} is not a thread export (platform "irc" is not one of ${PLATFORM_NAMES.join(', ')})`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
