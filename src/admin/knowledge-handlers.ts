import { randomBytes, randomUUID } from 'node:crypto';
import type { AdminServices, SignedInRequest } from './admin-context';
import { html } from './html';
import { readKnowledge } from './knowledge-data';
import { sendSignedInPage } from './page-handlers';
import { forgetConfirmationPage, knowledgeNotConfiguredPage, knowledgePage } from './pages/knowledge-page';
import { redirect, sendText } from './respond';
import { consoleActionsWorkspace } from './usage-data';
import type { Words } from './wording';

/** `GET /admin/knowledge`: what the knowledge base holds, or how to turn it on. */
export async function knowledge(services: AdminServices, context: SignedInRequest): Promise<void> {
  const text = context.words.knowledge;
  const configured = await services.options.knowledge?.();
  if (!configured) {
    sendSignedInPage(services, context, 'knowledge', text.title, knowledgeNotConfiguredPage(text));
    return;
  }
  let data: Awaited<ReturnType<typeof readKnowledge>>;
  try {
    data = await readKnowledge(configured, services.options.store);
  } catch (error) {
    // An index that cannot be opened or read (a missing bucket, OpenSearch down) is said on the page.
    services.options.logger.warn({ err: error }, 'knowledge index not readable for the console');
    const body = html`<p id="knowledge-error" class="error">${text.unreadable}</p>`;
    sendSignedInPage(services, context, 'knowledge', text.title, body, 503);
    return;
  }
  const notice =
    context.query.get('done') === 'gone'
      ? text.alreadyGone
      : await forgottenNotice(services, context.query.get('forgot'), context.words);
  sendSignedInPage(
    services,
    context,
    'knowledge',
    text.title,
    knowledgePage(data, text, context.csrfToken, notice),
  );
}

/** How long the "was forgotten" notice waits for the page it was sent to. */
const noticeTtlSeconds = 5 * 60;
const noticeKey = (id: string) => `admin:knowledge-forgotten:${id}`;

/** The notice of a Forget just done, naming the source: read once, so a reload no longer shows it. */
async function forgottenNotice(
  services: AdminServices,
  noticeId: string | null,
  words: Words,
): Promise<string | undefined> {
  if (!noticeId || !/^[A-Za-z0-9_-]{22}$/.test(noticeId)) return undefined;
  const notice = await services.options.store.getJson<{ title: string }>(noticeKey(noticeId));
  if (!notice) return undefined;
  await services.options.store.delete(noticeKey(noticeId));
  return words.ui.forgotten(notice.title);
}

/** The source a Forget names, when this console may forget it; else the answer is sent and nothing returned. */
async function forgettable(services: AdminServices, context: SignedInRequest, sourceId: string) {
  const text = context.words.knowledge;
  const configured = await services.options.knowledge?.();
  if (!configured?.canForget) return void sendText(context.response, 409, text.cannotForget);
  const source = (await configured.index.sources()).find((candidate) => candidate.id === sourceId);
  if (!source) return void redirect(context.response, '/admin/knowledge?done=gone');
  if (source.origin === 'folder') return void sendText(context.response, 400, text.folderRefused);
  return { configured, source };
}

/** `GET /admin/knowledge/forget?source=…`: asks before forgetting (the form posts back with `confirm=yes`). */
export async function confirmForget(services: AdminServices, context: SignedInRequest): Promise<void> {
  const found = await forgettable(services, context, context.query.get('source') ?? '');
  if (!found) return;
  const text = context.words.knowledge;
  const body = forgetConfirmationPage(found.source, context.csrfToken, text);
  sendSignedInPage(services, context, 'knowledge', text.confirmTitle, body);
}

/**
 * `POST /admin/knowledge/forget` (CSRF checked before): remove a shared file or linked document from the
 * index. Folder files are refused (the next sync would bring them back): they leave with their file. The
 * table's button is sent to the question first (`GET …/forget`); only the form there, with `confirm=yes`, forgets.
 */
export async function forgetSource(services: AdminServices, context: SignedInRequest): Promise<void> {
  const found = await forgettable(services, context, context.form?.get('source') ?? '');
  if (!found) return;
  const { configured, source } = found;
  // The question is a page of its own (GET): Back from it, or to it after forgetting, never resends a form.
  if (context.form?.get('confirm') !== 'yes') {
    return redirect(context.response, `/admin/knowledge/forget?source=${encodeURIComponent(source.id)}`);
  }
  const started = Date.now();
  await configured.index.remove(source.id);
  // On the audit trail like a `kb forget` in chat: who (the console), what (the source's id), no text.
  await services.audit
    .write({
      at: new Date().toISOString(),
      jobId: `console-forget-${randomUUID()}`,
      platform: 'console',
      workspace: consoleActionsWorkspace,
      conversation: { channel: 'knowledge', kind: 'dm' },
      requester: 'admin',
      skill: 'kb',
      routedBy: 'console',
      models: [],
      tokens: { input: 0, output: 0 },
      outcome: 'ok',
      durationMs: Date.now() - started,
      effects: [{ action: 'deleted', kind: 'knowledge_source', id: source.id }],
    })
    .catch((error: unknown) =>
      services.options.logger.warn({ err: error, source: source.id }, 'console forget not audited'),
    );
  services.options.logger.info(
    { source: source.id, origin: source.origin },
    'knowledge source forgotten from the console',
  );
  const noticeId = randomBytes(16).toString('base64url');
  await services.options.store.setJson(noticeKey(noticeId), { title: source.title }, noticeTtlSeconds);
  redirect(context.response, `/admin/knowledge?forgot=${noticeId}`);
}
