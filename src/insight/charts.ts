import * as echarts from 'echarts';
import type { CohortDashboard } from './cohort-dashboard.ts';
import { FUNNEL } from './cohort-dashboard.ts';
import type { QuestionRow } from './question-stats.ts';

/** A chart for the page: the SVG, and the title and description people and screen readers get. */
export interface Chart {
  id: string;
  title: string;
  description: string;
  svg: string;
}
type T = (key: string, opts?: Record<string, unknown>) => string;

// readable in print and for colour-blind readers (Okabe–Ito), the order of the funnel
const STATUS_COLOURS = ['#8c8c8c', '#0072b2', '#56b4e9', '#009e73', '#d55e00'];
const SERIES_COLOURS = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#d55e00'];
// the width ECharts measures on the server is the one the browser draws: one plain family
const FONT = { fontFamily: 'sans-serif', fontSize: 12, color: '#222' };

/**
 * ECharts lays out labels by measuring text; without a canvas (the server) it uses widths of a narrow
 * Arial, and browsers with wider sans-serif fonts (DejaVu Sans on Linux) then overflow legends and
 * clip axis labels. A generous per-character estimate keeps labels inside on every common font.
 */
function measureText(text: string, font?: string): { width: number } {
  const size = Number(/(\d+(?:\.\d+)?)px/.exec(font ?? '')?.[1] ?? 12);
  let em = 0;
  for (const ch of text) {
    if (/[il.,:;|!'’ ]/.test(ch)) em += 0.34;
    else if (/[fjtr()[\]]/.test(ch)) em += 0.42;
    else if (/[mwMW]/.test(ch)) em += 0.92;
    else if (/[A-ZÄÖÜ]/.test(ch)) em += 0.74;
    else em += 0.64;
  }
  return { width: em * size * 1.1 };
}
echarts.setPlatformAPI({ measureText });

/**
 * Renders an ECharts option on the server as SVG (ECharts SSR, no DOM, no animation) and makes it
 * an accessible image: role="img" named by a <title> and described by a <desc>, the numbers
 * themselves in the data table beside it. The drawing is ECharts'; we only add the labelling.
 */
export function renderChart(id: string, title: string, description: string, option: echarts.EChartsOption, size = { width: 760, height: 320 }): Chart {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    chart.setOption({ animation: false, textStyle: FONT, ...option });
    const raw = chart.renderToSVGString();
    const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const svg = raw
      .replace(
        /^<svg width="(\d+)" height="(\d+)"/,
        (_m, w: string, h: string) =>
          `<svg role="img" aria-labelledby="${id}-title ${id}-desc" class="chart" width="${w}" height="${h}" preserveAspectRatio="xMinYMin meet"`,
      )
      .replace(/^(<svg[^>]*>)/, `$1<title id="${id}-title">${esc(title)}</title><desc id="${id}-desc">${esc(description)}</desc>`);
    return { id, title, description, svg };
  } finally {
    chart.dispose();
  }
}

/** The funnel per module as stacked bars: how many members are in each status. */
export function funnelChart(d: CohortDashboard, t: T): Chart {
  const names = d.funnel.map((m) => m.title);
  const desc = d.funnel.map((m) => `${m.title}: ${FUNNEL.map((s) => `${t(`insight:status.${s}`)} ${m.counts[s]}`).join(', ')}`).join('. ');
  return renderChart('chart-funnel', t('insight:charts.funnel'), desc, {
    color: STATUS_COLOURS,
    legend: { bottom: 0, itemGap: 20, textStyle: FONT },
    grid: { left: 28, right: 24, top: 16, bottom: 88, containLabel: true },
    xAxis: { type: 'value', minInterval: 1, max: Math.max(1, d.cohort.learners) },
    yAxis: { type: 'category', data: names, inverse: true },
    series: FUNNEL.map((s) => ({
      type: 'bar',
      stack: 'all',
      name: t(`insight:status.${s}`),
      data: d.funnel.map((m) => m.counts[s]),
      label: { show: true, formatter: (p: { value: unknown }) => (Number(p.value) ? String(p.value) : '') },
    })),
  });
}

/** Cumulative members done per module, week by week. */
export function progressChart(d: CohortDashboard, t: T, weekLabel: (w: Date) => string): Chart {
  const last = d.weekly.series.map((s) => `${s.title}: ${s.cumulative.at(-1) ?? 0}`).join(', ');
  const desc = t('insight:charts.progressDesc', { weeks: d.weekly.weeks.length, last });
  return renderChart('chart-progress', t('insight:charts.progress'), desc, {
    color: SERIES_COLOURS,
    legend: { bottom: 0, itemGap: 20, textStyle: FONT },
    grid: { left: 28, right: 24, top: 16, bottom: 88, containLabel: true },
    xAxis: { type: 'category', data: d.weekly.weeks.map(weekLabel), axisLabel: { hideOverlap: true } },
    yAxis: { type: 'value', minInterval: 1, max: Math.max(1, d.cohort.learners) },
    series: d.weekly.series.map((s, i) => ({
      type: 'line',
      name: s.title,
      data: s.cumulative,
      symbol: ['circle', 'rect', 'triangle', 'diamond'][i % 4],
      lineStyle: { type: (['solid', 'dashed', 'dotted'] as const)[i % 3] },
    })),
  });
}

/** Minutes per module as box plots (median and spread). */
export function timeSpentChart(d: CohortDashboard, t: T): Chart {
  const desc = d.timeSpent
    .map((m) =>
      m.minutes
        ? t('insight:charts.timeDescModule', { title: m.title, ...m.minutes, learners: m.learners })
        : t('insight:charts.timeDescNone', { title: m.title }),
    )
    .join(' ');
  return renderChart('chart-time', t('insight:charts.time'), desc, {
    color: SERIES_COLOURS,
    grid: { left: 28, right: 24, top: 16, bottom: 40, containLabel: true },
    xAxis: { type: 'value', name: t('insight:charts.minutes'), nameLocation: 'middle', nameGap: 24 },
    yAxis: { type: 'category', data: d.timeSpent.map((m) => m.title), inverse: true },
    series: [
      { type: 'boxplot', data: d.timeSpent.map((m) => (m.minutes ? [m.minutes.min, m.minutes.q1, m.minutes.median, m.minutes.q3, m.minutes.max] : [])) },
    ],
  });
}

/** Share correct per question, the hardest first (at most 20 bars; the table has them all). */
export function questionsChart(rows: QuestionRow[], t: T): Chart {
  const shown = rows.filter((r) => r.correctShare !== null).slice(0, 20);
  const desc = shown.map((r) => `${r.text}: ${Math.round(r.correctShare! * 100)} %`).join('; ') || t('insight:questions.none');
  const short = (s: string) => (s.length > 38 ? `${s.slice(0, 37)}…` : s);
  return renderChart(
    'chart-questions',
    t('insight:charts.questions'),
    desc,
    {
      color: ['#0072b2'],
      grid: { left: 28, right: 56, top: 16, bottom: 40, containLabel: true },
      xAxis: { type: 'value', min: 0, max: 100, name: '%', axisLabel: { formatter: '{value} %' } },
      yAxis: { type: 'category', data: shown.map((r) => short(r.text)), inverse: true },
      series: [{ type: 'bar', data: shown.map((r) => Math.round(r.correctShare! * 100)), label: { show: true, position: 'right', formatter: '{c} %' } }],
    },
    { width: 720, height: Math.max(160, 60 + shown.length * 26) },
  );
}
