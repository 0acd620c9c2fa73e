import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const root = join(__dirname, '..', '..');
const manifest = readFileSync(join(root, 'adapters', 'slack', 'manifest.yaml'), 'utf8');

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

/**
 * The bot scopes each Web API method Deskmate calls needs (from each method's page on docs.slack.dev). Where
 * Slack accepts one scope per conversation type, every type Deskmate serves is listed. A method missing here
 * fails the test: a new call is a decision about the app's permissions.
 */
const scopesOfMethod: Record<string, string[]> = {
  'auth.test': [],
  'chat.getPermalink': [],
  'chat.postMessage': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.startStream': ['chat:write'],
  'chat.appendStream': ['chat:write'],
  'chat.stopStream': ['chat:write'],
  'conversations.history': ['channels:history', 'groups:history', 'im:history', 'mpim:history'],
  'conversations.replies': ['channels:history', 'groups:history', 'im:history', 'mpim:history'],
  'conversations.info': ['channels:read', 'groups:read', 'im:read', 'mpim:read'],
  'conversations.members': ['channels:read', 'groups:read', 'im:read', 'mpim:read'],
  'conversations.open': ['im:write'],
  'users.info': ['users:read'],
  'files.info': ['files:read'],
  // The SDK's helper: files.getUploadURLExternal and files.completeUploadExternal.
  'files.uploadV2': ['files:write'],
  'assistant.threads.setStatus': ['assistant:write'],
  'assistant.threads.setTitle': ['assistant:write'],
  'assistant.threads.setSuggestedPrompts': ['assistant:write'],
};

/** The bot scopes the subscribed events need. */
const scopesOfEvent: Record<string, string[]> = {
  app_mention: ['app_mentions:read'],
  'message.im': ['im:history'],
  assistant_thread_started: ['assistant:write'],
  assistant_thread_context_changed: ['assistant:write'],
  file_deleted: ['files:read'],
};

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((entry) => {
    const path = join(directory, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** The string literals an expression can evaluate to (`a ? 'x' : 'y'` gives both). */
function literalsOf(expression: ts.Expression): string[] | undefined {
  if (ts.isStringLiteralLike(expression)) return [expression.text];
  if (ts.isParenthesizedExpression(expression)) return literalsOf(expression.expression);
  if (ts.isConditionalExpression(expression)) {
    const whenTrue = literalsOf(expression.whenTrue);
    const whenFalse = literalsOf(expression.whenFalse);
    return whenTrue && whenFalse ? [...whenTrue, ...whenFalse] : undefined;
  }
  return undefined;
}

/** The names of a chain of property reads (`app.client.chat.postMessage`), if that is all it is. */
function namesOf(expression: ts.Expression): string[] | undefined {
  if (ts.isIdentifier(expression)) return [expression.text];
  if (!ts.isPropertyAccessExpression(expression)) return undefined;
  const head = namesOf(expression.expression);
  return head ? [...head, expression.name.text] : undefined;
}

/**
 * Every Web API method the code under a directory calls, with where: the first argument of `<…>api.call(…)`
 * and `client.apiCall(…)`, and SDK method chains such as `client.chat.postMessage(…)`. A call whose method is
 * not a literal is reported as unreadable (the test cannot check its scope).
 */
function webApiMethodsCalled(directory: string): { methods: Map<string, string>; unreadable: string[] } {
  const methods = new Map<string, string>();
  const unreadable: string[] = [];
  for (const file of sourceFiles(directory)) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const where = (node: ts.Node) =>
      `${relative(root, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
        const callee = node.expression;
        const owner = callee.expression.getText(source);
        const viaWrapper = callee.name.text === 'call' && /\bapi$/i.test(owner);
        const viaClient = callee.name.text === 'apiCall' && /\bclient$/i.test(owner);
        const chain = namesOf(callee) ?? [];
        const clientAt = chain.lastIndexOf('client');
        if (viaWrapper || viaClient) {
          const names = node.arguments[0] ? literalsOf(node.arguments[0]) : undefined;
          if (names) for (const name of names) if (!methods.has(name)) methods.set(name, where(node));
          // The wrapper itself passes its callers' method on; those callers are read here.
          const isWrapper = viaClient && relative(root, file) === join('adapters', 'slack', 'api.ts');
          if (!names && !isWrapper) unreadable.push(`${where(node)}: ${node.getText(source).slice(0, 60)}`);
        } else if (clientAt >= 0 && chain.length - clientAt > 2) {
          const name = chain.slice(clientAt + 1).join('.');
          if (!methods.has(name)) methods.set(name, where(node));
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { methods, unreadable };
}

describe('the Slack app manifest', () => {
  test('subscribes to every event the adapter handles', () => {
    expect(listUnder('bot_events').sort()).toEqual(
      [
        'app_mention',
        'assistant_thread_context_changed',
        'assistant_thread_started',
        'file_deleted',
        'message.im',
      ].sort(),
    );
  });

  test('asks for the scope of every Web API method the adapter calls, and for no scope nothing needs', () => {
    const scopes = listUnder('bot');
    const { methods, unreadable } = webApiMethodsCalled(join(root, 'adapters', 'slack'));
    expect(unreadable).toEqual([]);
    // The reading is real: these calls are known to be there.
    expect([...methods.keys()]).toEqual(
      expect.arrayContaining(['chat.postMessage', 'users.info', 'conversations.history', 'files.uploadV2']),
    );
    const unknown = [...methods].filter(([method]) => !(method in scopesOfMethod));
    expect(unknown.map(([method, where]) => `${method} (${where}): add it to scopesOfMethod`)).toEqual([]);
    const missing = [...methods].flatMap(([method, where]) =>
      scopesOfMethod[method]
        .filter((scope) => !scopes.includes(scope))
        .map((scope) => `${scope} for ${method} (${where})`),
    );
    expect(missing).toEqual([]);
    const events = listUnder('bot_events');
    // A subscribed event is a decision about the app's permissions too: each names its scopes here.
    expect(events.filter((event) => !(event in scopesOfEvent))).toEqual([]);
    const needed = new Set([
      ...[...methods.keys()].flatMap((method) => scopesOfMethod[method]),
      ...events.flatMap((event) => scopesOfEvent[event] ?? [`an unknown event ${event}`]),
      ...(manifest.includes('slash_commands:') ? ['commands'] : []),
    ]);
    expect(scopes.filter((scope) => !needed.has(scope))).toEqual([]);
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
