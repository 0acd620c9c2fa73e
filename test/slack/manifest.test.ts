import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const manifest = readFileSync(join(__dirname, '..', '..', 'adapters', 'slack', 'manifest.yaml'), 'utf8');

/** The items of a YAML list under a key (one level, `- item` lines, comments dropped). */
function listUnder(key: string): string[] {
  const start = manifest.indexOf(`${key}:`);
  const lines = manifest.slice(start).split('\n').slice(1);
  const items: string[] = [];
  for (const line of lines) {
    const match = /^\s+-\s+([^\s#]+)/.exec(line);
    if (!match) break;
    items.push(match[1]);
  }
  return items;
}

describe('the Slack app manifest', () => {
  test('subscribes to every event the adapter handles', () => {
    expect(listUnder('bot_events').sort()).toEqual(
      ['app_mention', 'assistant_thread_context_changed', 'assistant_thread_started', 'message.im'].sort(),
    );
  });

  test('asks for every scope the Web API calls need', () => {
    const scopes = listUnder('bot');
    for (const scope of [
      'app_mentions:read',
      'assistant:write',
      'channels:history',
      'groups:history',
      'im:history',
      'im:write',
      'channels:read',
      'groups:read',
      'chat:write',
      'commands',
      'files:read',
      'files:write',
      'users:read',
    ]) {
      expect(scopes).toContain(scope);
    }
  });

  test('declares the slash commands, and sends everything to the one /slack/events route', () => {
    const commands = [...manifest.matchAll(/- command: (\/\S+)/g)].map((match) => match[1]);
    expect(commands).toEqual(['/deskmate', '/summarize', '/draft', '/todo', '/schedule']);
    const urls = [...manifest.matchAll(/(?:url|request_url): (\S+)/g)].map(
      (match) => new URL(match[1]).pathname,
    );
    expect(urls.length).toBe(commands.length + 2);
    expect(new Set(urls)).toEqual(new Set(['/slack/events']));
    expect(manifest).toMatch(/interactivity:\s+is_enabled: true/);
    expect(manifest).toMatch(/assistant_view:\s+assistant_description: \S/);
  });
});
