/**
 * The processes of the benchmarks, each on its own: the remote world (fake Slack, fake Lark, fake model),
 * the bare SDK baselines, and Deskmate itself, started as the Docker image starts it (`node
 * dist/…/src/main.js` with DESKMATE_ROLE and the other settings in its environment) with the benchmark's
 * probe preloaded. This process only generates load and reads the figures.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePort } from '../test/helpers/redis-server';
import type { FakePlatformFacts, ModelCounts, ShareFileRequest } from './fake-platforms';
import type { ServerStats } from './server-probe';

/** The repository root. */
export const root = resolve(__dirname, '..');
/**
 * Where the compiled project is. BENCH_BUILD_DIRECTORY=<dir> (relative to the root) runs servers from a tree
 * compiled beforehand instead, e.g. another commit's, to alternate two versions in one session.
 */
const buildDirectory = process.env.BENCH_BUILD_DIRECTORY ?? 'dist/bench-build';

/**
 * Compile the project (sources, fakes, benchmarks) to JavaScript once, so servers run as the Docker image
 * runs Deskmate: plain `node`, no TypeScript loader in the process (BENCH_TSX=1 runs them under tsx).
 */
export function buildForBenchmarks(): void {
  if (process.env.BENCH_TSX || process.env.BENCH_BUILD_DIRECTORY) return;
  execFileSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json', '--outDir', buildDirectory],
    { cwd: root, stdio: 'inherit' },
  );
}

/** Node arguments that run `<directory>/<name>.ts` (compiled, or under tsx), with modules preloaded first. */
export function nodeArguments(script: string, preload: string[] = []): string[] {
  if (process.env.BENCH_TSX) {
    return ['--import', 'tsx', ...preload.flatMap((each) => ['--import', `./${each}.ts`]), `${script}.ts`];
  }
  return [
    ...preload.flatMap((each) => ['--require', `./${buildDirectory}/${each}.js`]),
    `${buildDirectory}/${script}.js`,
  ];
}

/** The Node flags of the Docker image's CMD (`CMD ["node", …flags, "dist/src/main.js"]`). */
export function dockerNodeFlags(): string[] {
  const command = /^CMD (\[.*\])$/m.exec(readFileSync(join(root, 'Dockerfile'), 'utf8'))?.[1];
  const words = command ? (JSON.parse(command) as string[]) : [];
  if (words[0] !== 'node' || words.at(-1) !== 'dist/src/main.js')
    throw new Error('Dockerfile CMD is not node …');
  return words.slice(1, -1);
}

/**
 * BENCH_CPU_PROFILE=<dir> writes a V8 CPU profile of each server (open it in Chrome DevTools);
 * BENCH_PERF_MAP=1 has each server write `/tmp/perf-<pid>.map`, so Linux `perf` names its JavaScript frames;
 * BENCH_TRACE_GC=1 has it print each garbage collection (`--trace-gc`, or `--trace-gc-nvp` with BENCH_TRACE_GC=nvp;
 * shown with BENCH_SERVER_LOG_LEVEL set).
 */
function profileArguments(): string[] {
  const directory = process.env.BENCH_CPU_PROFILE;
  return [
    ...(directory ? ['--cpu-prof', `--cpu-prof-dir=${directory}`] : []),
    ...(process.env.BENCH_PERF_MAP ? ['--perf-basic-prof'] : []),
    ...(process.env.BENCH_TRACE_GC
      ? [process.env.BENCH_TRACE_GC === 'nvp' ? '--trace-gc-nvp' : '--trace-gc']
      : []),
  ];
}

/** Send `request` (a type, or a message with one) over IPC; resolve with the first message of type `answer`. */
function ask<T>(
  child: ChildProcess,
  request: string | ({ type: string } & Record<string, unknown>),
  answer: string,
): Promise<T> {
  const message = typeof request === 'string' ? { type: request } : request;
  const type = message.type;
  return new Promise<T>((resolveAnswer, reject) => {
    const onExit = () => reject(new Error(`process ${child.pid} exited before answering ${type}`));
    const listener = (message: { type: string }) => {
      if (message.type !== answer) return;
      child.off('message', listener);
      child.off('exit', onExit);
      resolveAnswer(message as T);
    };
    child.on('message', listener);
    child.once('exit', onExit);
    child.send(message);
  });
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill(signal);
  await exited;
}

/** The platform fakes (their own process, like a remote platform) and what requests to them need. */
export interface FakePlatforms extends FakePlatformFacts {
  /** The fakes' process. */
  pid: number | undefined;
  /** What the fake model has done so far. */
  model(): Promise<ModelCounts>;
  /** When each bot message was posted (epoch ms) since the last call. */
  posted(): Promise<number[]>;
  /** Share a file with a `summarize` mention: the message's ts and the file as events describe it. */
  shareFile(
    share: Omit<ShareFileRequest, 'type'>,
  ): Promise<{ ts: string; user: string; file: Record<string, unknown> }>;
  /** A new person, a member of the channel, mentions the bot with `text` at the top level: its ts and author. */
  newMemberMention(text: string): Promise<{ ts: string; user: string }>;
  /** When the bot's first message in the thread of `thread` (a ts) was posted (epoch ms), or null if not yet. */
  replyPostedAt(thread: string): Promise<number | null>;
  /** Files downloaded from the fake Slack so far. */
  downloads(): Promise<number>;
  /** Bot messages so far whose text contains `text` (the answer about a shared file: `Summary of <name>`). */
  answered(name: string): Promise<number>;
  stop(): Promise<void>;
}

/** Start the fakes (with 200 long threads seeded) in their own process. */
export async function startFakePlatforms(): Promise<FakePlatforms> {
  const child = spawn(process.execPath, nodeArguments('bench/fake-platforms'), {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const facts = await new Promise<FakePlatformFacts>((resolveFacts, reject) => {
    child.once('exit', (code) => reject(new Error(`fake platforms exited with ${code}`)));
    child.on('message', (message: { type: string; facts: FakePlatformFacts }) => {
      if (message.type === 'ready') resolveFacts(message.facts);
    });
  });
  child.removeAllListeners('exit');
  return {
    ...facts,
    pid: child.pid,
    model: async () => (await ask<{ counts: ModelCounts }>(child, 'model', 'model')).counts,
    posted: async () => (await ask<{ times: number[] }>(child, 'posted', 'posted')).times,
    shareFile: (share) =>
      ask<{ ts: string; user: string; file: Record<string, unknown> }>(
        child,
        { type: 'share-file', ...share },
        'shared',
      ),
    newMemberMention: (text) =>
      ask<{ ts: string; user: string }>(child, { type: 'new-member-mention', text }, 'new-member-mentioned'),
    replyPostedAt: async (thread) =>
      (await ask<{ at: number | null }>(child, { type: 'reply-posted', thread }, 'reply-posted')).at,
    downloads: async () => (await ask<{ count: number }>(child, 'downloads', 'downloads')).count,
    answered: async (name) =>
      (await ask<{ count: number }>(child, { type: 'answered', name }, 'answered')).count,
    stop: () => stopChild(child, 'SIGKILL'),
  };
}

/** A server under test in its own process. */
export interface ServerProcess {
  pid: number | undefined;
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  /** CPU time the process used so far (µs). */
  cpuMicros(): Promise<number>;
  /** Forget what the probe measured so far. */
  reset(): Promise<void>;
  /** Stop or go on measuring the event-loop delay (between the segments of a run). */
  pause(): Promise<void>;
  resume(): Promise<void>;
  /** What the probe measured since the last reset. */
  stats(): Promise<ServerStats>;
  stop(): Promise<void>;
}

function serverProcess(child: ChildProcess, port: number): ServerProcess {
  return {
    pid: child.pid,
    baseUrl: `http://127.0.0.1:${port}`,
    cpuMicros: async () => (await ask<{ cpuMicros: number }>(child, 'cpu', 'cpu')).cpuMicros,
    reset: async () => {
      await ask(child, 'reset', 'reset-done');
    },
    pause: async () => {
      await ask(child, 'pause', 'paused');
    },
    resume: async () => {
      await ask(child, 'resume', 'resumed');
    },
    stats: () => ask<ServerStats>(child, 'stats', 'stats'),
    // A profiled server stops on SIGINT (Deskmate shuts down cleanly), so its profile is written.
    stop: () => stopChild(child, process.env.BENCH_CPU_PROFILE ? 'SIGINT' : 'SIGKILL'),
  };
}

/** Start a bare SDK server (`bench/bare-server.ts`) against the fakes. */
export async function startBareServer(
  platform: 'slack' | 'lark',
  fakes: FakePlatforms,
): Promise<ServerProcess> {
  const port = await freePort();
  const config =
    platform === 'slack'
      ? {
          signingSecret: fakes.slack.signingSecret,
          botToken: fakes.slack.botToken,
          apiUrl: fakes.slack.apiUrl,
        }
      : { encryptKey: fakes.lark.encryptKey, verificationToken: fakes.lark.verificationToken };
  const child = spawn(
    process.execPath,
    [...profileArguments(), ...nodeArguments('bench/bare-server'), platform, String(port)],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      env: { ...process.env, BENCH_SERVER_CONFIG: JSON.stringify(config) },
    },
  );
  await new Promise<void>((resolveReady, reject) => {
    child.once('exit', (code) => reject(new Error(`bare ${platform} server exited with ${code}`)));
    child.on('message', (message: { type: string }) => {
      if (message.type === 'ready') resolveReady();
    });
  });
  child.removeAllListeners('exit');
  return serverProcess(child, port);
}

/** Deskmate's settings for one platform against the fakes, with the fake model and no rate limits. */
export function deskmateSettings(platform: 'slack' | 'lark', fakes: FakePlatforms): Record<string, string> {
  const common = {
    LLM_PROVIDER: 'openai',
    OPENAI_BASE_URL: fakes.modelUrl,
    OPENAI_API_KEY: 'bench',
    OPENAI_MODEL: 'bench-model',
    RATE_LIMIT_USER_PER_MINUTE: '0',
    RATE_LIMIT_WORKSPACE_PER_MINUTE: '0',
  };
  if (platform === 'slack') {
    return {
      ...common,
      SLACK_BOT_TOKEN: fakes.slack.botToken,
      SLACK_SIGNING_SECRET: fakes.slack.signingSecret,
      SLACK_API_URL: fakes.slack.apiUrl,
    };
  }
  return {
    ...common,
    LARK_APP_ID: fakes.lark.appId,
    LARK_APP_SECRET: fakes.lark.appSecret,
    LARK_ENCRYPT_KEY: fakes.lark.encryptKey,
    LARK_VERIFICATION_TOKEN: fakes.lark.verificationToken,
    LARK_DOMAIN: fakes.lark.url,
    LARK_MODE: 'webhook',
  };
}

/**
 * Start Deskmate (`src/main.ts` compiled, with the Node flags of the Docker image's CMD, as the image runs it)
 * with only the given settings, and wait until `/readyz` answers 200. The benchmark's probe is preloaded;
 * Deskmate's code runs unchanged.
 */
export async function startDeskmateServer(settings: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [...profileArguments(), ...dockerNodeFlags(), ...nodeArguments('src/main', ['bench/server-probe'])],
    {
      cwd: root,
      // BENCH_SERVER_LOG_LEVEL=info (say) shows Deskmate's logs.
      stdio: ['ignore', process.env.BENCH_SERVER_LOG_LEVEL ? 'inherit' : 'ignore', 'inherit', 'ipc'],
      env: {
        PATH: process.env.PATH,
        HOST: '127.0.0.1',
        PORT: String(port),
        DESKMATE_CONSOLE: 'off',
        LOG_LEVEL: process.env.BENCH_SERVER_LOG_LEVEL ?? 'silent',
        // The probe keeps each request's and collection's time only when tracing (see latency-trace.ts).
        ...(process.env.BENCH_LATENCY_TRACE ? { BENCH_LATENCY_TRACE: process.env.BENCH_LATENCY_TRACE } : {}),
        ...settings,
      },
    },
  );
  const server = serverProcess(child, port);
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`Deskmate exited with ${child.exitCode} before it was ready`);
    const ready = await fetch(`${server.baseUrl}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return server;
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error('Deskmate was not ready within 30 s');
    }
    await new Promise((done) => setTimeout(done, 20));
  }
}
