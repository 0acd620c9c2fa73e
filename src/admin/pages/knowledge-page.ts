import type { KnowledgeSource } from '../../core/knowledge-index';
import { count, utcTime } from '../format';
import { html, type SafeHtml, safeHref } from '../html';
import type { KnowledgeOverview, VoteCounts } from '../knowledge-data';
import type { KnowledgeWords } from '../knowledge-wording';

function votes(counts: VoteCounts | undefined, text: KnowledgeWords): SafeHtml {
  if (!counts || counts.up + counts.down === 0) return html`<span class="muted">${text.noVotes}</span>`;
  return html`${text.voteCounts(count(counts.up), count(counts.down))}`;
}

function lastSync(data: KnowledgeOverview, text: KnowledgeWords): SafeHtml {
  const syncing = data.syncing
    ? html`<span id="knowledge-syncing">${text.syncing(data.syncing.finished, data.syncing.jobs, utcTime(data.syncing.startedAt))}</span><br>`
    : '';
  return html`${syncing}${lastPass(data, text)}`;
}

function lastPass(data: KnowledgeOverview, text: KnowledgeWords): SafeHtml {
  const record = data.lastSync;
  if (!record) {
    if (data.syncing) return html``;
    return html`<span class="muted">${data.folderConfigured ? text.neverSynced : text.folderNotSet}</span>`;
  }
  const at = utcTime(record.finishedAt);
  if (record.folderMissing) return html`<span class="bad">${text.folderMissing(at)}</span>`;
  const found = text.syncFound(record.files, record.indexed, record.unchanged, record.removed, record.failed);
  return html`${text.synced(at)}<br><span class="muted">${found}</span>${
    record.accessProblems > 0
      ? html`<br><span class="bad">${text.accessProblems(record.accessProblems)}</span>`
      : ''
  }`;
}

function action(source: KnowledgeSource, data: KnowledgeOverview, csrfToken: string, text: KnowledgeWords) {
  if (source.origin === 'folder') return html`<span class="muted">${text.removeFromFolder}</span>`;
  if (!data.canForget) return '';
  return html`<form method="post" action="/admin/knowledge/forget" class="inline forget"><input type="hidden" name="_csrf" value="${csrfToken}"><input type="hidden" name="source" value="${source.id}"><button type="submit">${text.forget}</button></form>`;
}

function sourceRow(
  source: KnowledgeSource,
  data: KnowledgeOverview,
  csrfToken: string,
  text: KnowledgeWords,
) {
  const title = source.link
    ? html`<a href="${safeHref(source.link)}" rel="noopener noreferrer">${source.title}</a>`
    : html`${source.title}`;
  const added = source.addedBy
    ? html`<br><span class="muted">${text.addedBy(text.person(source.addedBy))}</span>`
    : '';
  return html`<tr data-source="${source.id}"><td>${title}</td><td>${text.origins[source.origin]}${added}</td><td class="readers">${source.access.map(
    (principal, index) => html`${index > 0 ? html`<br>` : ''}${text.principal(principal)}`,
  )}</td><td>${utcTime(source.indexedAt)}</td><td>${votes(data.votesBySource.get(source.id), text)}</td><td>${action(source, data, csrfToken, text)}</td></tr>`;
}

/** The knowledge page when this process has no knowledge base: how to turn one on. */
export function knowledgeNotConfiguredPage(text: KnowledgeWords): SafeHtml {
  return html`<section id="knowledge-empty"><p>${text.notConfigured}</p><p>${text.howToTurnOn}</p></section>`;
}

/** The knowledge page: the engine and its counts, the folder's last sync, feedback, and every source. */
export function knowledgePage(
  data: KnowledgeOverview,
  text: KnowledgeWords,
  csrfToken: string,
  notice?: string,
): SafeHtml {
  const entry = (label: string, value: SafeHtml | string, id: string) =>
    html`<div><dt>${label}</dt><dd id="${id}">${value}</dd></div>`;
  const { status } = data;
  const summary = html`<dl class="stats" id="knowledge-status">
${entry(text.engine, status.engine, 'knowledge-engine')}
${entry(text.search, status.vectors ? text.withEmbeddings : text.keywordOnly, 'knowledge-search')}
${entry(text.sources, count(status.sources), 'knowledge-sources')}
${entry(text.chunks, count(status.chunks), 'knowledge-chunks')}
${entry(text.lastSync, lastSync(data, text), 'knowledge-last-sync')}
${entry(text.feedback, votes(data.votesOverall, text), 'knowledge-feedback')}
</dl>`;
  const list =
    data.sources.length === 0 && !data.folderConfigured
      ? html`<section id="knowledge-empty"><p>${text.nothingYet}</p><p>${text.howToTurnOn}</p></section>`
      : data.sources.length === 0
        ? html`<p id="knowledge-empty-index" class="muted">${text.emptyIndex}</p>`
        : html`<table id="knowledge-sources-table"><thead><tr><th>${text.sourceTitle}</th><th>${text.origin}</th><th>${text.readers}</th><th>${text.indexedAt}</th><th>${text.votes}</th><th>${text.action}</th></tr></thead><tbody>${data.sources.map(
            (source) => sourceRow(source, data, csrfToken, text),
          )}</tbody></table>`;
  return html`${notice ? html`<p id="knowledge-notice" class="good">${notice}</p>` : ''}${summary}${
    data.canForget ? '' : html`<p id="knowledge-web-role" class="muted">${text.webRole}</p>`
  }<h2>${text.sources}</h2>${list}`;
}

/** The step before a Forget: what will happen, a button that forgets (with `confirm=yes`) and a way back. */
export function forgetConfirmationPage(
  source: KnowledgeSource,
  csrfToken: string,
  text: KnowledgeWords,
): SafeHtml {
  return html`<section id="knowledge-forget-confirm"><p>${text.confirmQuestion(source.title)}</p><form method="post" action="/admin/knowledge/forget" class="inline forget"><input type="hidden" name="_csrf" value="${csrfToken}"><input type="hidden" name="source" value="${source.id}"><input type="hidden" name="confirm" value="yes"><button type="submit">${text.confirmForget}</button></form> <a href="/admin/knowledge">${text.keep}</a></section>`;
}
