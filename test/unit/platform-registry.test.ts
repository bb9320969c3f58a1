/**
 * The chat platforms are registered once (src/cli/platforms.ts): the names the watch CLI accepts and
 * the adapters the composition root builds come from that list.
 */
import { describe, expect, it } from 'vitest';
import { PLATFORM_NAMES, platforms } from '../../src/cli/platforms.js';
import { placeFromOption } from '../../src/cli/watch.js';
import { loadConfig } from '../../src/config.js';

describe('platform registry', () => {
  it('binds every registered platform to its config section', () => {
    const config = loadConfig({ DISCORD_TOKEN: 'x' }).config;
    const bound = platforms(config);
    expect(bound.map((p) => p.name)).toEqual([...PLATFORM_NAMES]);
    expect(bound.filter((p) => p.enabled).map((p) => p.name)).toEqual(['discord']);
  });

  it('the watch CLI accepts each registered platform and lists them when refusing another', () => {
    for (const name of PLATFORM_NAMES) expect(placeFromOption(`${name}:C1`, false).platform).toBe(name);
    expect(() => placeFromOption('irc:#panda', false)).toThrow(`platforms: console, ${PLATFORM_NAMES.join(', ')}`);
  });
});
