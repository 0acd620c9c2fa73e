import { html, type SafeHtml } from './html';

/** One series of a chart: a name for the legend, a CSS class for its colour, a value per label. */
export interface ChartSeries {
  /** Shown in the legend and in each point's tooltip. */
  name: string;
  /** The CSS class that colours it (`series-a`, `series-b`). */
  className: string;
  /** One value per label. */
  values: number[];
}

/** A chart: labels along the bottom, one or more series, a title for screen readers. */
export interface ChartData {
  /** The chart's id (tests and links find it by this). */
  id: string;
  /** What the chart shows. */
  title: string;
  /** One label per point (days, minutes). */
  labels: string[];
  /** The series. */
  series: ChartSeries[];
  /** Show every n-th label (the rest stay in the tooltips). */
  labelEvery?: number;
  /** What the labels along the bottom are in (`Times in UTC`), shown under the chart. */
  axisNote?: string;
}

const width = 760;
const height = 220;
const left = 52;
const right = 28;
const top = 12;
const bottom = 30;
const plotWidth = width - left - right;
const plotHeight = height - top - bottom;

/** The y axis: a whole, round step (1, 2 or 5 times a power of ten) and how many steps reach the top. */
export interface Scale {
  /** The value between two grid lines. */
  step: number;
  /** The number of steps from 0 to the top line (1 to 4). */
  steps: number;
}

/** A y axis for counts up to `value`: whole-number ticks (never 2.5 calls), at most four steps, 0 to 4 when empty. */
export function countScale(value: number): Scale {
  if (value <= 4) return { step: 1, steps: 4 };
  const rough = value / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step =
    [1, 2, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= rough) ?? 10 * power;
  return { step, steps: Math.ceil(value / step) };
}

/** Short numbers for axes: 1200 → 1.2k, 3400000 → 3.4M. */
export function shortNumber(value: number): string {
  if (value >= 1_000_000) return `${Number((value / 1_000_000).toFixed(1))}M`;
  if (value >= 1_000) return `${Number((value / 1_000).toFixed(1))}k`;
  return String(Number(value.toFixed(2)));
}

function axes(scale: Scale, labels: string[], labelEvery: number, step: number): SafeHtml[] {
  const parts: SafeHtml[] = [];
  for (let tick = 0; tick <= scale.steps; tick += 1) {
    const value = scale.step * tick;
    const y = top + plotHeight - (plotHeight / scale.steps) * tick;
    parts.push(html`<line class="grid" x1="${left}" x2="${width - right}" y1="${y}" y2="${y}"></line>`);
    parts.push(
      html`<text class="axis" x="${left - 6}" y="${y + 4}" text-anchor="end">${shortNumber(value)}</text>`,
    );
  }
  labels.forEach((label, index) => {
    if (index % labelEvery !== 0 && index !== labels.length - 1) return;
    const x = left + step * index + step / 2;
    parts.push(
      html`<text class="axis" x="${x.toFixed(1)}" y="${height - 10}" text-anchor="middle">${label}</text>`,
    );
  });
  return parts;
}

function legend(chart: ChartData): SafeHtml {
  return html`<ul class="legend">${chart.series.map(
    (entry) => html`<li><span class="swatch ${entry.className}"></span>${entry.name}</li>`,
  )}${chart.axisNote ? html`<li class="axis-note">${chart.axisNote}</li>` : ''}</ul>`;
}

/**
 * A bar chart as inline SVG (no script, no style attribute): series stacked per label, each bar with its
 * label and value in `data-` attributes and a tooltip.
 */
export function barChart(chart: ChartData): SafeHtml {
  const count = Math.max(chart.labels.length, 1);
  const step = plotWidth / count;
  const totals = chart.labels.map((_, index) =>
    chart.series.reduce((sum, entry) => sum + (entry.values[index] ?? 0), 0),
  );
  const scale = countScale(Math.max(0, ...totals));
  const maximum = scale.step * scale.steps;
  const bars: SafeHtml[] = [];
  chart.labels.forEach((label, index) => {
    let stacked = 0;
    for (const entry of chart.series) {
      const value = entry.values[index] ?? 0;
      const barHeight = (value / maximum) * plotHeight;
      const y = top + plotHeight - ((stacked + value) / maximum) * plotHeight;
      stacked += value;
      if (value <= 0) continue;
      bars.push(
        html`<rect class="bar ${entry.className}" x="${(left + step * index + step * 0.15).toFixed(1)}" y="${y.toFixed(1)}" width="${(step * 0.7).toFixed(1)}" height="${Math.max(barHeight, 1).toFixed(1)}" data-label="${label}" data-series="${entry.name}" data-value="${value}"><title>${label} · ${entry.name}: ${value.toLocaleString('en-US')}</title></rect>`,
      );
    }
  });
  return html`<figure class="chart" id="${chart.id}"><svg viewBox="0 0 ${width} ${height}" role="img" aria-label="${chart.title}">${axes(scale, chart.labels, chart.labelEvery ?? 1, step)}${bars}</svg>${legend(chart)}</figure>`;
}

/** A line chart as inline SVG: one polyline per series, each with its total in a `data-` attribute. */
export function lineChart(chart: ChartData): SafeHtml {
  const count = Math.max(chart.labels.length, 1);
  const step = plotWidth / count;
  const scale = countScale(Math.max(0, ...chart.series.flatMap((entry) => entry.values)));
  const maximum = scale.step * scale.steps;
  const lines = chart.series.map((entry) => {
    const points = entry.values
      .map((value, index) => {
        const x = left + step * index + step / 2;
        const y = top + plotHeight - (value / maximum) * plotHeight;
        return `${x.toFixed(1)},${y.toFixed(1)}`;
      })
      .join(' ');
    const total = entry.values.reduce((sum, value) => sum + value, 0);
    return html`<polyline class="line ${entry.className}" points="${points}" data-series="${entry.name}" data-total="${total}"><title>${entry.name}: ${total}</title></polyline>`;
  });
  return html`<figure class="chart" id="${chart.id}"><svg viewBox="0 0 ${width} ${height}" role="img" aria-label="${chart.title}">${axes(scale, chart.labels, chart.labelEvery ?? 1, step)}${lines}</svg>${legend(chart)}</figure>`;
}
