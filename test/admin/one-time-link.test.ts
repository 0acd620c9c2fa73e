// Proves: `npm start` in a terminal with no platform and no ADMIN_PASSWORD opens the web console on 127.0.0.1
// and prints a one-time sign-in link to the terminal (never to the logs); the link signs in once; any other
// token, or the same one again, is refused. Piped input (no terminal) gets no web console at all.

import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { parseConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { startDeskmate } from '../../src/main';
import { createCaptureLogger } from '../helpers/capture-logger';
import { ConsoleClient } from './console-client';

function consoleConfig() {
  const result = parseConfig({ PORT: '0', LLM_PROVIDER: 'offline', LOG_LEVEL: 'silent' });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  expect(result.config.console).toBe(true);
  return result.config;
}

describe('the web console beside the console assistant', () => {
  test('a terminal gets a one-time link on 127.0.0.1 that signs in once', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
    });
    const { logger, lines } = createCaptureLogger();
    const deskmate = await startDeskmate(consoleConfig(), logger, { input, output, interactive: true });
    try {
      const match =
        /Web console: (http:\/\/127\.0\.0\.1:(\d+))(\/admin\/login\/link\/[\w-]{43}) \(one-time sign-in link\)/.exec(
          printed,
        );
      expect(match).not.toBeNull();
      const [, base, port, link] = match as RegExpExecArray;
      expect(deskmate.adminLoginLink).toBe(`${base}${link}`);
      expect(deskmate.http?.server.address()).toMatchObject({
        address: '127.0.0.1',
        port: Number(port),
      } as AddressInfo);
      expect(JSON.stringify(lines)).not.toContain(link.slice(-43));

      // Without a password the sign-in page says where the link is; no password signs in.
      const stranger = new ConsoleClient(base);
      expect(await (await stranger.get('/admin/login')).text()).toContain(
        'one-time link printed in the terminal',
      );

      // A wrong token is refused and counted; the real one signs in once.
      expect((await stranger.get(`/admin/login/link/${'x'.repeat(43)}`)).status).toBe(403);
      const client = new ConsoleClient(base);
      const signedIn = await client.get(link);
      expect(signedIn.status).toBe(303);
      expect(signedIn.headers.get('location')).toBe('/admin');
      expect((await client.get('/admin')).status).toBe(200);
      const again = new ConsoleClient(base);
      const used = await again.get(link);
      expect(used.status).toBe(403);
      expect(await used.text()).toContain('used already');
      expect(again.cookies.has('deskmate_admin_session')).toBe(false);
    } finally {
      input.end();
      await deskmate.consoleFinished;
      expect(deskmate.endsWithConsole).toBe(true);
      await deskmate.stop();
    }
  });

  test('piped input: no web console and no HTTP server', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    output.resume();
    const deskmate = await startDeskmate(consoleConfig(), createLogger({ level: 'silent' }), {
      input,
      output,
      interactive: false,
    });
    expect(deskmate.http).toBeUndefined();
    expect(deskmate.adminLoginLink).toBeUndefined();
    input.end();
    await deskmate.consoleFinished;
    await deskmate.stop();
  });
});
