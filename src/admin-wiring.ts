import type { AdminConsole, PlaygroundEngine } from './admin';
import type { Config } from './config';
import type { Adapter } from './core/adapter';
import type { JobQueue } from './core/job-queue';
import type { LlmProvider } from './core/llm-provider';
import type { Logger } from './core/logger';
import type { KnowledgeBase } from './core/skill';
import type { StateStore } from './core/state-store';
import type { Metrics } from './observability/metrics';
import { packageVersion } from './package-root';

/**
 * The web console's route (`/admin`): its playground runs the jobs' own model, skills and knowledge base (built
 * here on first use in a `web` process, the knowledge base read only), and shows replies through the adapters'
 * renderers. Loaded only when it is on.
 */
export function adminConsole(
  config: Config,
  parts: {
    store: StateStore;
    logger: Logger;
    metrics: Metrics;
    queue: JobQueue;
    adapters: Adapter[];
    llm?: LlmProvider;
    /** The jobs' knowledge base, in a process that runs jobs. */
    knowledge?: KnowledgeBase;
    localLogin: boolean;
  },
): AdminConsole {
  const { consoleKnowledgeFor, createAdminConsole } = require('./admin') as typeof import('./admin');
  const { renderReply } = require('../adapters/slack/render') as typeof import('../adapters/slack/render');
  const { renderCard } = require('../adapters/lark/render') as typeof import('../adapters/lark/render');
  const knowledgeLogger = parts.logger.child({ component: 'knowledge' });
  const consoleKnowledge = consoleKnowledgeFor(config.knowledge, parts.knowledge?.index, knowledgeLogger);
  /** The playground's knowledge base: the jobs' own, or in a `web` process the console's reader and models. */
  const playgroundKnowledge = async (): Promise<KnowledgeBase> => {
    if (parts.knowledge) return parts.knowledge;
    const { knowledgeModels } =
      require('./knowledge/create-knowledge') as typeof import('./knowledge/create-knowledge');
    return {
      index: (await consoleKnowledge()).index,
      ...knowledgeModels(config.knowledge, knowledgeLogger, config.maskPersonalData),
    };
  };
  let engine: Promise<PlaygroundEngine> | undefined;
  return createAdminConsole({
    config,
    store: parts.store,
    logger: parts.logger.child({ component: 'admin' }),
    queueDepth: () => parts.queue.depth(),
    adapters: () =>
      parts.adapters.map((adapter) => ({ name: adapter.platform.name, ready: adapter.ready() })),
    playground() {
      engine ??= playgroundKnowledge().then((knowledge) => ({
        llm:
          parts.llm ??
          (require('./job-runner') as typeof import('./job-runner')).createJobModel(config, parts),
        skills: (require('./skills') as typeof import('./skills')).createSkills(),
        settings: { defaultTimezone: config.defaultTimezone, retention: config.retention },
        knowledge,
      }));
      return engine;
    },
    renderers: {
      slack: (reply) => renderReply(reply),
      lark: (reply) => renderCard(reply, { kind: 'group' }),
    },
    localLogin: parts.localLogin,
    version: packageVersion(),
    knowledge: consoleKnowledge,
  });
}
