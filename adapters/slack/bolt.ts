/**
 * The two Bolt classes the adapter builds, loaded from their own modules rather than `@slack/bolt`'s index:
 * the index also loads the Express receiver (express and some forty packages), which Deskmate never uses (it
 * has its own receiver). That is 110 fewer modules in every process with Slack configured. Types still come
 * from `@slack/bolt`.
 */
import type { App as BoltApp, Assistant as BoltAssistant } from '@slack/bolt';

/** Bolt's `App` (from `@slack/bolt/dist/App`). */
export const App: typeof BoltApp = (require('@slack/bolt/dist/App') as { default: typeof BoltApp }).default;

/** Bolt's `Assistant` (from `@slack/bolt/dist/Assistant`). */
export const Assistant: typeof BoltAssistant = (
  require('@slack/bolt/dist/Assistant') as { Assistant: typeof BoltAssistant }
).Assistant;
