import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createChannelList, parseChannelRef } from '../../agents/ingest/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('ingested channel list', () => {
  it('starts from the configured channels; admins add and remove, others are refused; the list survives a restart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'askpanda-channels-'));
    dirs.push(dir);
    const options = {
      file: join(dir, 'ingest-channels.json'),
      configured: ['slack:C0HELP', 'mattermost:abcdefghijklmnopqrstuvwxyz', 'irc:nope'],
      admins: ['slack:UADMIN'],
      platforms: ['slack', 'mattermost', 'discord'],
    };
    const list = createChannelList(options);
    expect(list.channels()).toEqual([
      { platform: 'slack', channelId: 'C0HELP' },
      { platform: 'mattermost', channelId: 'abcdefghijklmnopqrstuvwxyz' },
    ]);
    expect(() => list.add('discord:123', 'slack:UOTHER')).toThrow(/not an admin/);
    expect(() => list.add('teams:123', 'slack:UADMIN')).toThrow('is not of the form platform:channelId (slack, mattermost, discord)');
    list.add('discord:123', 'slack:UADMIN');
    list.remove('slack:C0HELP', 'slack:UADMIN');
    const reopened = createChannelList(options);
    expect(reopened.channels()).toEqual([
      { platform: 'mattermost', channelId: 'abcdefghijklmnopqrstuvwxyz' },
      { platform: 'discord', channelId: '123' },
    ]);
    expect(parseChannelRef(' slack:C1 ', options.platforms)).toEqual({ platform: 'slack', channelId: 'C1' });
    expect(parseChannelRef('teams:C1', options.platforms)).toBeNull();
    expect(parseChannelRef('teams:C1', [...options.platforms, 'teams'])).toEqual({ platform: 'teams', channelId: 'C1' });
  });
});
