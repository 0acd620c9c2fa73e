import { lineChart } from '../charts';
import { outcomeWords } from '../code-wording';
import { count, utcTime } from '../format';
import { html, type SafeHtml } from '../html';
import { modelWindowMinutes, type OverviewData } from '../overview-data';
import type { Words } from '../wording';

function statusCard(
  title: string,
  state: 'good' | 'warn' | 'bad' | 'neutral',
  lines: SafeHtml | string,
): SafeHtml {
  return html`<section class="card status-${state}"><h2>${title}</h2><div>${lines}</div></section>`;
}

/** The overview: adapters, store, model, queue, the last three hours, recent errors, the processes. */
export function overviewPage(data: OverviewData, words: Words): SafeHtml {
  const text = words.overview;
  const platforms =
    data.adapters.length === 0
      ? statusCard(text.platforms, 'neutral', text.noPlatform)
      : statusCard(
          text.platforms,
          data.adapters.every((adapter) => adapter.ready) ? 'good' : 'bad',
          html`<ul class="plain">${data.adapters.map(
            (adapter) =>
              html`<li data-adapter="${adapter.name}">${adapter.name}: <span class="${adapter.ready ? 'good' : 'bad'}">${adapter.ready ? text.connected : text.notReady}</span></li>`,
          )}</ul>`,
        );
  const store = statusCard(
    text.store,
    data.store === 'down' ? 'bad' : data.store === 'up' ? 'good' : 'neutral',
    data.store === 'memory' ? text.memory : data.store === 'up' ? text.redisUp : text.redisDown,
  );
  const overrides = Object.entries(data.model.overrides);
  const health = data.modelHealth;
  const failing = data.model.provider !== 'offline' && health.failures > 0;
  const failures = failing
    ? html`<p id="model-failures" class="bad">${text.modelFailures(health.failures, modelWindowMinutes)}${health.codes.map(
        (entry, index) =>
          html`${index > 0 ? ', ' : ''}${outcomeWords(entry.code, words.language)} <code>${entry.code}</code> × ${count(entry.count)}`,
      )} <a href="/admin/audit?outcome=error">${text.seeInAudit}</a></p>`
    : '';
  const model = statusCard(
    text.model,
    data.model.provider === 'offline' ? 'neutral' : !failing ? 'good' : health.answered > 0 ? 'warn' : 'bad',
    data.model.provider === 'offline'
      ? text.offline
      : html`${data.model.provider}: <code>${data.model.model ?? ''}</code>${overrides.map(
          ([skill, id]) => html`<br>${skill}: <code>${id}</code>`,
        )}${failures}`,
  );
  const queue = statusCard(
    text.queue,
    data.queueDepth === undefined ? 'bad' : 'neutral',
    data.queueDepth === undefined
      ? text.queueUnknown
      : html`<span id="queue-depth">${text.queueDepth(data.queueDepth)}</span>`,
  );
  const chart = lineChart({
    id: 'activity-chart',
    title: text.activity,
    labels: data.activity.labels,
    series: [
      { name: text.jobs, className: 'series-a', values: data.activity.jobs },
      { name: text.errors, className: 'series-error', values: data.activity.errors },
    ],
    labelEvery: 30,
    axisNote: words.ui.timesInUtc,
  });
  const errors =
    data.recentErrors.length === 0
      ? html`<p class="muted">${text.noErrors}</p>`
      : html`<table id="recent-errors"><thead><tr><th>${text.code}</th><th class="number">${text.count}</th><th>${text.lastSeen}</th><th>${text.skill}</th></tr></thead><tbody>${data.recentErrors.map(
          (error) =>
            html`<tr><td>${outcomeWords(error.code, words.language)} <code>${error.code}</code></td><td class="number">${count(error.count)}</td><td>${utcTime(error.lastSeen)}</td><td>${error.skills.join(', ')}</td></tr>`,
        )}</tbody></table>`;
  const processes =
    data.processes.length === 0
      ? html`<p class="muted">${text.noProcesses}</p>`
      : html`<table id="processes"><thead><tr><th>${text.process}</th><th>${text.role}</th><th>${text.version}</th><th>${text.adapters}</th><th>${text.started}</th><th>${text.lastSeen}</th></tr></thead><tbody>${data.processes.map(
          (process) =>
            html`<tr><td>${process.host} <span class="muted">#${process.pid}</span></td><td>${process.role}</td><td>${process.version}</td><td>${process.adapters.join(', ')}</td><td>${utcTime(process.startedAt)}</td><td>${utcTime(process.seenAt)}</td></tr>`,
        )}</tbody></table>`;
  return html`<div class="cards">${platforms}${store}${model}${queue}</div>
<section><h2>${text.activity}</h2>${chart}<p id="last-hour">${text.lastHour(data.lastHour.jobs, data.lastHour.errors)}</p></section>
<section><h2>${text.recentErrors}</h2>${errors}</section>
<section><h2>${text.processes}</h2>${processes}</section>`;
}
