import type { ConversationRef } from '../../src/core/conversation';
import { replyStaysInside } from '../../src/pipeline/source-access';
import { RecordingPlatform } from '../fakes/recording-platform';

const place = (
  channel: string,
  kind: ConversationRef['kind'] = 'group',
  thread?: string,
): ConversationRef => ({
  platform: 'slack',
  workspace: 'T1',
  channel,
  kind,
  ...(thread ? { thread } : {}),
});

describe('who may read an answer: the reply stays inside the source’s readers', () => {
  const platform = new RecordingPlatform('slack');
  platform.audiences.set('CPUBLIC', { openTo: 'workspace', external: false });
  platform.audiences.set('CGENERAL', { openTo: 'workspace', external: false });
  platform.audiences.set('CSHARED', { openTo: 'workspace', external: true });
  platform.audiences.set('GPRIVATE', { openTo: 'members', external: false });

  test.each([
    ['a thread of the channel it is answered in', place('GPRIVATE', 'group', '1.2'), place('GPRIVATE'), true],
    ['a private channel, answered in a DM with Deskmate', place('GPRIVATE'), place('DALICE', 'dm'), true],
    ['a public channel, answered in another public channel', place('CPUBLIC'), place('CGENERAL'), true],
    ['a private channel, answered in a public channel', place('GPRIVATE'), place('CGENERAL'), false],
    [
      'a public channel, answered where outsiders read (Slack Connect)',
      place('CPUBLIC'),
      place('CSHARED'),
      false,
    ],
    ['a private channel, answered in another private channel', place('GPRIVATE'), place('GOTHER'), false],
    [
      'another workspace’s public channel',
      { ...place('CPUBLIC'), workspace: 'T2' },
      place('CGENERAL'),
      false,
    ],
  ])('%s: %p', async (_name, source, destination, inside) => {
    expect(await replyStaysInside(platform, source, destination)).toBe(inside);
  });
});
