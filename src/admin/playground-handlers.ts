import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AdminServices, SignedInRequest } from './admin-context';
import { isHttps } from './auth/cookies';
import { html } from './html';
import { sendSignedInPage } from './page-handlers';
import {
  type PlaygroundValues,
  playgroundForm,
  playgroundRunPage,
  valuesOfRun,
} from './pages/playground-page';
import {
  type PlaygroundEngine,
  type PlaygroundRun,
  playgroundSkills,
  runPlayground,
} from './playground/run-playground';
import {
  datedSample,
  findSample,
  parsePastedThread,
  sampleThreads,
  type ThreadLine,
} from './playground/samples';
import { redirect } from './respond';

/** How long a run (its thread and replies) is kept for its page and its citation links. */
const runTtlSeconds = 24 * 60 * 60;
const runKey = (id: string) => `admin:playground:${id}`;

/** This console's origin as the browser reached it, for absolute citation links (a malformed Host is not used). */
export function originOf(request: IncomingMessage): string {
  const host = request.headers.host ?? '';
  const valid = /^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(host) || /^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host);
  return `${isHttps(request) ? 'https' : 'http'}://${valid ? host : '127.0.0.1'}`;
}

function modelName(services: AdminServices, engine: PlaygroundEngine): string | undefined {
  if (!engine.llm.configured) return undefined;
  const { llm } = services.options.config;
  const id = llm.provider === 'bedrock' ? llm.bedrockModelId : llm.openaiModel;
  return `${llm.provider} · ${id ?? ''}`;
}

function showForm(
  services: AdminServices,
  context: SignedInRequest,
  engine: PlaygroundEngine,
  status: number,
  error?: string,
  values?: PlaygroundValues,
): void {
  const choices = {
    samples: sampleThreads.map((sample) => datedSample(sample, new Date(), engine.settings.defaultTimezone)),
    skills: playgroundSkills(engine.skills).map((skill) => {
      const chinese = skill.commandWords.find((word) => /\p{Script=Han}/u.test(word));
      return { name: skill.name, label: chinese ? `${skill.name} · ${chinese}` : skill.name };
    }),
    model: modelName(services, engine),
    language: context.language,
  };
  const body = playgroundForm(choices, context.words, context.csrfToken, error, values);
  sendSignedInPage(services, context, 'playground', context.words.playground.title, body, status);
}

async function findRun(services: AdminServices, runId: string): Promise<PlaygroundRun | undefined> {
  if (!/^[A-Za-z0-9_-]{16}$/.test(runId)) return undefined;
  return services.options.store.getJson<PlaygroundRun>(runKey(runId));
}

/** `GET /admin/playground`: the form; `?from=<run>` ("Run another") filled with that run's choices. */
export async function playground(services: AdminServices, context: SignedInRequest): Promise<void> {
  const from = context.query.get('from');
  const run = from ? await findRun(services, from) : undefined;
  showForm(services, context, await services.options.playground(), 200, undefined, run && valuesOfRun(run));
}

/**
 * `POST /admin/playground`: run the request through the real router and skills against the playground's
 * platform, keep the run for a day, and show it at its own address (so a reload does not run it again).
 */
export async function runFromForm(services: AdminServices, context: SignedInRequest): Promise<void> {
  const form = context.form ?? new URLSearchParams();
  const engine = await services.options.playground();
  const threadName = form.get('thread') ?? '';
  let thread: ThreadLine[];
  if (threadName === 'pasted') {
    thread = parsePastedThread(form.get('pasted') ?? '');
    if (thread.length === 0) {
      const posted: PlaygroundValues = {
        thread: 'pasted',
        pasted: form.get('pasted') ?? '',
        skill: form.get('skill') ?? 'auto',
        request: (form.get('request') ?? '').slice(0, 2000),
        model: form.get('model') ?? 'configured',
      };
      return showForm(services, context, engine, 400, context.words.playground.emptyThread, posted);
    }
  } else {
    const sample = findSample(threadName) ?? sampleThreads[0];
    thread = datedSample(sample, new Date(), engine.settings.defaultTimezone).messages;
  }
  const offered = playgroundSkills(engine.skills).map((skill) => skill.name);
  const asked = form.get('skill') ?? 'auto';
  const runId = randomBytes(12).toString('base64url');
  const run = await runPlayground(
    engine,
    {
      runId,
      thread,
      threadName: threadName === 'pasted' ? 'pasted' : (findSample(threadName) ?? sampleThreads[0]).id,
      skill: offered.includes(asked) ? asked : 'auto',
      request: (form.get('request') ?? '').slice(0, 2000),
      offline: form.get('model') === 'offline' || !engine.llm.configured,
      linkBase: `${originOf(context.request)}/admin/playground/runs/${runId}`,
    },
    { audit: services.audit, logger: services.options.logger },
  );
  await services.options.store.setJson(runKey(runId), run, runTtlSeconds);
  redirect(context.response, `/admin/playground/runs/${runId}`);
}

/** `GET /admin/playground/runs/<id>`: a run's replies as Slack and Lark show them, and its thread. */
export async function showRun(
  services: AdminServices,
  context: SignedInRequest,
  runId: string,
): Promise<void> {
  const run = await findRun(services, runId);
  const { words } = context;
  if (!run) {
    const body = html`<p class="muted">${words.playground.notFound}</p>`;
    return sendSignedInPage(services, context, 'playground', words.playground.title, body, 404);
  }
  const body = playgroundRunPage(run, services.options.renderers, words);
  sendSignedInPage(services, context, 'playground', words.playground.title, body);
}
