import type { AuditRecord } from '../../audit/audit-log';
import { auditFilterFields } from '../../audit/export';
import { anyErrorOutcome } from '../audit-data';
import type { AuditQuery } from '../audit-handlers';
import { effectKindWords, knownOutcomes, outcomeWords, routeWords } from '../code-wording';
import { count, duration } from '../format';
import { html, type SafeHtml } from '../html';
import { isErrorOutcome } from '../overview-data';
import type { Words } from '../wording';

/** What the audit page shows: the query, and the page of records when the query could be answered. */
export interface AuditView {
  /** The checked query. */
  query: AuditQuery;
  /** AUDIT_RETENTION_DAYS. */
  retentionDays: number;
  /** This page's records, newest first (absent when the query has problems). */
  records?: AuditRecord[];
  /** How many records match in the whole range. */
  total?: number;
  /** This page (1-based). */
  page?: number;
  /** How many pages. */
  pages?: number;
  /** The skills the skill filter offers. */
  skills: readonly string[];
}

/** The query string of the range and filter, with a page when given. */
function linkQuery(query: AuditQuery, page?: number): string {
  const parameters = new URLSearchParams({ from: query.from, to: query.to });
  for (const field of auditFilterFields) {
    const value = query.filter[field];
    if (value) parameters.set(field, value);
  }
  if (page && page > 1) parameters.set('page', String(page));
  return parameters.toString();
}

function row(record: AuditRecord, words: Words): SafeHtml {
  const text = words.audit;
  const language = words.language;
  const { conversation } = record;
  const failed = isErrorOutcome(record.outcome);
  const effects =
    record.effects.length === 0
      ? text.none
      : record.effects.map(
          (effect, index) =>
            html`${index > 0 ? html`<br>` : ''}${text.actions[effect.action] ?? effect.action} ${effectKindWords(effect.kind, language)} <code>${effect.id}</code>`,
        );
  const said = outcomeWords(record.outcome, language);
  const outcome =
    said === record.outcome
      ? html`<code>${record.outcome}</code>`
      : html`${said} <code>${record.outcome}</code>`;
  return html`<tr data-job="${record.jobId}"${failed ? html` class="failed"` : ''}><td>${record.at.slice(0, 19).replace('T', ' ')}</td><td>${text.platforms[record.platform] ?? record.platform}</td><td><code>${record.platform}:${record.workspace}</code></td><td><code>${conversation.channel}</code>${conversation.thread ? html` · ${text.thread} <code>${conversation.thread}</code>` : ''} · ${text.kinds[conversation.kind] ?? conversation.kind}</td><td><code>${record.requester}</code></td><td>${record.skill ?? text.none}${record.routedBy ? html`<br><span class="muted">${text.routedBy} ${routeWords(record.routedBy, language)}</span>` : ''}</td><td>${record.models.length === 0 ? text.none : record.models.map((model, index) => html`${index > 0 ? html`<br>` : ''}<code>${model}</code>`)}</td><td class="number">${count(record.tokens.input)} / ${count(record.tokens.output)}</td><td>${failed ? html`<span class="bad">✗ ${text.error}: ${outcome}</span>` : html`<span class="good">${outcome}</span>`}</td><td class="number">${duration(record.durationMs)}</td><td>${effects}</td></tr>`;
}

/** A dropdown of the filter: any, the choices in words, and the asked value when it is none of them. */
function filterSelect(
  field: string,
  label: string,
  asked: string | undefined,
  choices: Array<[value: string, words: string]>,
  anyWords: string,
): SafeHtml {
  const all = asked && !choices.some(([value]) => value === asked) ? [...choices, [asked, asked]] : choices;
  return html`<label>${label} <select name="${field}"><option value="">${anyWords}</option>${all.map(
    ([value, shown]) =>
      html`<option value="${value}"${value === asked ? html` selected` : ''}>${shown}</option>`,
  )}</select></label> `;
}

/** The filter's fields: dropdowns for platform, skill and outcome; text for workspace and requester. */
function filterFields(view: AuditView, words: Words): SafeHtml[] {
  const text = words.audit;
  const { filter } = view.query;
  const language = words.language;
  const outcomes: Array<[string, string]> = [
    [anyErrorOutcome, text.anyError],
    ...knownOutcomes.map((code): [string, string] => [code, `${outcomeWords(code, language)} (${code})`]),
  ];
  return auditFilterFields.map((field) => {
    if (field === 'platform') {
      const platforms = Object.entries(text.platforms);
      return filterSelect(field, text.platform, filter.platform, platforms, text.any);
    }
    if (field === 'skill') {
      const skills = view.skills.map((skill): [string, string] => [skill, skill]);
      return filterSelect(field, text.skill, filter.skill, skills, text.any);
    }
    if (field === 'outcome') return filterSelect(field, text.outcome, filter.outcome, outcomes, text.any);
    return html`<label>${text[field]} <input type="text" name="${field}" value="${filter[field] ?? ''}" placeholder="${text.any}" size="12"></label> `;
  });
}

/** The audit page: the range and filter form, problems or notes, the records of one page, paging, download. */
export function auditPage(view: AuditView, words: Words): SafeHtml {
  const text = words.audit;
  const { query } = view;
  const shown = query.problems.length > 0 ? query.asked : { from: query.from, to: query.to };
  const filterInputs = filterFields(view, words);
  const form = html`<form method="get" action="/admin/audit" class="inline" id="audit-form"><label>${text.from} <input type="date" name="from" value="${shown.from}"></label> <label>${text.to} <input type="date" name="to" value="${shown.to}"></label> ${filterInputs}<button type="submit">${text.show}</button></form>`;
  const intro = html`<p class="muted" id="audit-intro">${text.intro(view.retentionDays)}</p>`;
  if (query.problems.length > 0 || !view.records) {
    return html`${intro}
${form}
<ul class="plain" id="audit-problems">${query.problems.map((problem) => html`<li class="error">${problem}</li>`)}</ul>`;
  }
  const notes = query.notes.map((note) => html`<p class="muted audit-note">${note}</p>`);
  const page = view.page ?? 1;
  const pages = view.pages ?? 1;
  const filtered = auditFilterFields.some((field) => query.filter[field]);
  const paging = html`<nav class="paging" id="audit-paging">${page > 1 ? html`<a href="/admin/audit?${linkQuery(query, page - 1)}" rel="prev">${text.previous}</a> ` : ''}<span>${text.pageOf(page, pages)}</span>${page < pages ? html` <a href="/admin/audit?${linkQuery(query, page + 1)}" rel="next">${text.next}</a>` : ''}</nav>`;
  const table =
    view.records.length === 0
      ? html`<p class="muted" id="audit-nothing">${text.nothing}${
          filtered
            ? html` <a id="audit-clear-filters" href="/admin/audit?from=${query.from}&amp;to=${query.to}">${text.clearFilters}</a>`
            : ''
        }</p>`
      : html`<table id="audit-records"><thead><tr><th>${text.time}</th><th>${text.platform}</th><th>${text.workspace}</th><th>${text.conversation}</th><th>${text.requester}</th><th>${text.skill}</th><th>${text.models}</th><th class="number">${text.tokens}</th><th>${text.outcome}</th><th class="number">${text.duration}</th><th>${text.effects}</th></tr></thead><tbody>${view.records.map(
          (record) => row(record, words),
        )}</tbody></table>`;
  return html`${intro}
${form}
${notes}
<p id="audit-summary">${text.summary(view.total ?? 0, query.from, query.to)}</p>
${table}
${pages > 1 ? paging : ''}
<p><a class="button" id="audit-download" href="/admin/audit.jsonl?${linkQuery(query)}" download>${text.download}</a></p>`;
}
