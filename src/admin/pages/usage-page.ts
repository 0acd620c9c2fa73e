import type { ModelPrice } from '../../llm/model-prices';
import { barChart } from '../charts';
import { count, dollars } from '../format';
import { html, type SafeHtml } from '../html';
import {
  type BudgetUse,
  totalsByKey,
  type UsageDimension,
  type UsageFigures,
  type UsageReport,
  type UsageRow,
  usageDimensions,
} from '../usage-data';
import type { Words } from '../wording';

/** A model seen in the period and the price its cost is estimated at. */
export interface PriceInUse {
  /** The model id. */
  model: string;
  /** Its price, when known. */
  price?: ModelPrice;
  /** Where the price comes from. */
  source: 'configured' | 'default' | 'unknown';
}

/** What the usage page shows. */
export interface UsageView {
  /** The period's usage. */
  report: UsageReport;
  /** The breakdown picked. */
  dimension: UsageDimension;
  /** Today's use of the daily budget per workspace; undefined without a budget. */
  budgets?: BudgetUse[];
  /** The month's cost so far per workspace. */
  monthCost: Map<string, number>;
  /** The prices of the models seen. */
  prices: PriceInUse[];
}

function costCell(figures: UsageFigures, words: Words): SafeHtml {
  return html`<td class="number">${dollars(figures.cost)}${figures.unpriced ? html` <span class="muted" title="${words.usage.unknownPrice}">*</span>` : ''}</td>`;
}

/** The period's cost: unknown when no token had a price, a lower bound when some had none. */
function costFigure(total: UsageFigures | undefined, words: Words): string {
  if (!total?.unpriced) return dollars(total?.cost ?? 0);
  return total.cost > 0 ? words.usage.costAtLeast(dollars(total.cost)) : words.usage.costUnknown;
}

/** The Audit page's records of a breakdown key over some days (none for a model: the trail has no such filter). */
function auditLink(dimension: UsageDimension, key: string, from: string, to: string): string | undefined {
  const field = { workspace: 'workspace', user: 'requester', skill: 'skill', model: undefined }[dimension];
  if (!field || (dimension === 'skill' && key === 'none')) return undefined;
  return `/admin/audit?${new URLSearchParams({ from, to, [field]: key })}`;
}

function keyCell(dimension: UsageDimension, key: string, from: string, to: string, words: Words): SafeHtml {
  const link = auditLink(dimension, key, from, to);
  return link
    ? html`<td><a href="${link}" title="${words.usage.auditLink}"><code>${key}</code></a></td>`
    : html`<td><code>${key}</code></td>`;
}

function figureCells(figures: UsageFigures, words: Words): SafeHtml {
  return html`<td class="number">${count(figures.requests)}</td><td class="number">${figures.calls === undefined ? '—' : count(figures.calls)}</td><td class="number">${count(figures.inputTokens)}</td><td class="number">${count(figures.outputTokens)}</td>${costCell(figures, words)}`;
}

function headerCells(first: string[], words: Words): SafeHtml {
  const text = words.usage;
  return html`${first.map((label) => html`<th>${label}</th>`)}<th class="number">${text.requests}</th><th class="number">${text.calls}</th><th class="number">${text.tokensIn}</th><th class="number">${text.tokensOut}</th><th class="number">${text.cost}</th>`;
}

/** The usage page: totals, charts per day, a breakdown table, budgets, prices and the CSV link. */
export function usagePage(view: UsageView, words: Words): SafeHtml {
  const text = words.usage;
  const { report } = view;
  const workspaceRows = report.rows.filter((row) => row.dimension === 'workspace');
  const perDay = (pick: (row: UsageRow) => number) =>
    report.days.map((day) =>
      workspaceRows.filter((row) => row.day === day).reduce((sum, row) => sum + pick(row), 0),
    );
  const labels = report.days.map((day) => day.slice(5));
  const total = totalsByKey(workspaceRows.map((row) => ({ ...row, key: 'all' })))[0];
  const unpriced = view.prices.filter((entry) => entry.source === 'unknown').map((entry) => entry.model);
  const summary = html`<div class="cards">
<section class="card"><h2>${text.calls}</h2><p class="figure" id="total-calls">${count(total?.calls ?? 0)}</p></section>
<section class="card"><h2>${text.tokensIn}</h2><p class="figure">${count(total?.inputTokens ?? 0)}</p></section>
<section class="card"><h2>${text.tokensOut}</h2><p class="figure">${count(total?.outputTokens ?? 0)}</p></section>
<section class="card"><h2>${text.cost}</h2><p class="figure" id="total-cost">${costFigure(total, words)}</p>${unpriced.length > 0 ? html`<p class="muted" id="unpriced-note">${text.unpricedNote(unpriced.join(', '))}</p>` : ''}</section>
</div>`;
  const callsChart = barChart({
    id: 'calls-chart',
    title: text.callsPerDay,
    labels,
    series: [{ name: text.calls, className: 'series-a', values: perDay((row) => row.calls ?? 0) }],
    labelEvery: 5,
  });
  const tokensChart = barChart({
    id: 'tokens-chart',
    title: text.tokensPerDay,
    labels,
    series: [
      { name: text.tokensIn, className: 'series-a', values: perDay((row) => row.inputTokens) },
      { name: text.tokensOut, className: 'series-b', values: perDay((row) => row.outputTokens) },
    ],
    labelEvery: 5,
  });
  const rows = report.rows.filter((row) => row.dimension === view.dimension);
  const firstDay = report.days[0] ?? '';
  const lastDay = report.days.at(-1) ?? '';
  const options = usageDimensions.map(
    (dimension) =>
      html`<option value="${dimension}"${dimension === view.dimension ? html` selected` : ''}>${text.by[dimension]}</option>`,
  );
  const breakdown =
    rows.length === 0
      ? html`<p class="muted">${text.nothing}</p>`
      : html`<table id="breakdown"><thead><tr>${headerCells([text.by[view.dimension]], words)}</tr></thead><tbody>${totalsByKey(
          rows,
        ).map(
          (entry) =>
            html`<tr>${keyCell(view.dimension, entry.key, firstDay, lastDay, words)}${figureCells(entry, words)}</tr>`,
        )}</tbody></table>
${rows.some((row) => row.unpriced) ? html`<p class="muted" id="unpriced-mark">${text.unpricedMark}</p>` : ''}
<details><summary>${text.perDay}</summary><table id="per-day"><thead><tr>${headerCells([text.day, text.by[view.dimension]], words)}</tr></thead><tbody>${[
          ...rows,
        ]
          .reverse()
          .map(
            (row) =>
              html`<tr><td>${row.day}</td>${keyCell(view.dimension, row.key, row.day, row.day, words)}${figureCells(row, words)}</tr>`,
          )}</tbody></table></details>`;
  const budgets = view.budgets
    ? html`<table id="budgets"><thead><tr><th>${text.by.workspace}</th><th>${text.budgetMeter}</th><th>${text.budgetTokens}</th><th class="number">${text.monthToDate}</th></tr></thead><tbody>${view.budgets.map(
        (use) =>
          html`<tr><td><code>${use.workspace}</code></td><td><meter min="0" max="${use.budget}" low="${use.budget * 0.7}" high="${use.budget * 0.9}" optimum="0" value="${Math.min(use.used, use.budget)}">${count(use.used)}</meter></td><td>${text.budgetToday(use.used, use.budget)} (${Math.round((use.used / use.budget) * 100)}%)</td><td class="number">${dollars(view.monthCost.get(use.workspace) ?? 0)}</td></tr>`,
      )}</tbody></table>
<p class="muted" id="budget-note">${text.budgetNote}</p>`
    : html`<p class="muted">${text.noBudget}</p>`;
  const prices =
    view.prices.length === 0
      ? html`<p class="muted">${text.nothing}</p>`
      : html`<table id="prices"><thead><tr><th>${text.by.model}</th><th class="number">${text.input}</th><th class="number">${text.output}</th><th>${text.source}</th></tr></thead><tbody>${view.prices.map(
          (entry) =>
            html`<tr><td><code>${entry.model}</code></td><td class="number">${entry.price ? `$${entry.price.inputPerMillion}` : '—'}</td><td class="number">${entry.price ? `$${entry.price.outputPerMillion}` : '—'}</td><td>${entry.source === 'configured' ? text.configured : entry.source === 'default' ? text.defaults : text.unknownPrice}</td></tr>`,
        )}</tbody></table>`;
  return html`<p class="muted">${text.period(report.days.length)}</p>
${summary}
<section><h2>${text.callsPerDay}</h2>${callsChart}</section>
<section><h2>${text.tokensPerDay}</h2>${tokensChart}</section>
<section><h2>${text.breakdown}</h2>
<form method="get" action="/admin/usage" class="inline" data-auto-submit><label>${words.ui.groupBy} <select name="by">${options}</select></label> <button type="submit">${words.ui.showBreakdown}</button></form>
${breakdown}
${view.dimension === 'skill' ? html`<p class="muted">${text.skillCostNote}</p>` : ''}
<p><a class="button" href="/admin/usage.csv" download>${text.downloadCsv}</a></p>
</section>
<section><h2>${text.budgets}</h2>${budgets}</section>
<section><h2>${text.prices}</h2>${prices}</section>`;
}
