/**
 * The two Bolt classes the adapter builds, loaded from their own modules rather than `@slack/bolt`'s index:
 * the index also loads the Express receiver (express and some forty packages), which Deskmate never uses (it
 * has its own receiver). That is 110 fewer modules in every process with Slack configured. Types still come
 * from `@slack/bolt`.
 *
 * Bolt's `App` module in turn requires both of Bolt's receivers when it loads, though it builds one only when
 * it is given none. Deskmate always gives its own (receiver.ts) and runs Socket Mode with the SDK's client
 * (socket-mode.ts, loaded only when SLACK_APP_TOKEN is set), so those two modules are registered as
 * placeholders while `App` loads. They would bring @slack/oauth, jsonwebtoken, raw-body and @slack/socket-mode
 * with undici (about 250 modules, and undici loads Node's own fetch bundle): about 10 MB of resident memory
 * in every process with Slack. A test (modules-loaded) checks that none of them is loaded and that each placeholder refuses
 * to be built.
 */
import { Module } from 'node:module';
import { dirname, join } from 'node:path';
import type { App as BoltApp, Assistant as BoltAssistant } from '@slack/bolt';
import { DeskmateError } from '../../src/core/errors';

/** What stands in for a Bolt receiver: building one is a programming error (App was not given a receiver). */
class UnusedBoltReceiver {
  constructor() {
    throw new DeskmateError(
      'internal',
      "Bolt's own receivers are not loaded: give App Deskmate's receiver (DeferredAckReceiver)",
    );
  }
}

/** Bolt's receiver modules that App requires at load and Deskmate never builds. */
export const unusedBoltReceivers = ['HTTPReceiver', 'SocketModeReceiver'];

/** Load `App` with its two receiver modules registered as placeholders (unless they are loaded already). */
function loadApp(): typeof BoltApp {
  const appPath = require.resolve('@slack/bolt/dist/App');
  const placeholders = unusedBoltReceivers
    .map((name) => join(dirname(appPath), 'receivers', `${name}.js`))
    .filter((path) => require.cache[path] === undefined);
  for (const path of placeholders) {
    const placeholder = new Module(path);
    placeholder.filename = path;
    placeholder.loaded = true;
    placeholder.exports = { __esModule: true, default: UnusedBoltReceiver };
    require.cache[path] = placeholder;
  }
  try {
    return (require(appPath) as { default: typeof BoltApp }).default;
  } finally {
    // A later `require('@slack/bolt')` (not Deskmate's) loads the real receivers.
    for (const path of placeholders) delete require.cache[path];
  }
}

/** Bolt's `App` (from `@slack/bolt/dist/App`). */
export const App: typeof BoltApp = loadApp();

/** Bolt's `Assistant` (from `@slack/bolt/dist/Assistant`). */
export const Assistant: typeof BoltAssistant = (
  require('@slack/bolt/dist/Assistant') as { Assistant: typeof BoltAssistant }
).Assistant;
