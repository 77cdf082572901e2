import type { SourceName } from '../../domain/movie.js';
import { html, jsonScript, type Html } from '../html.js';
import type { KpiPageData } from '../kpi-data.js';

/** The KPI page: the four indicators of `report` as charts (chart.js), each with its table. */

export const windows = ['24h', '7d', '30d', '90d', 'all'] as const;
export type KpiWindow = (typeof windows)[number];

const colours: Record<SourceName, string> = { tmdb: '#1c7ed6', omdb: '#f59f00', imdb: '#d6336c' };
const sourceLabel: Record<SourceName, string> = { tmdb: 'TMDb', omdb: 'OMDb', imdb: 'IMDb via Zyte' };
const pct = (part: number, whole: number): number =>
  whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10;
const usd = (v: number): string => `$${v.toFixed(v < 1 ? 4 : 2)}`;

interface ChartSpec {
  type: 'bar';
  data: {
    labels: string[];
    datasets: { label: string; data: number[]; backgroundColor: string | string[]; stack?: string }[];
  };
  options: Record<string, unknown>;
}

function stackedOptions(yTitle: string, stacked: boolean): Record<string, unknown> {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    scales: { x: { stacked }, y: { stacked, beginAtZero: true, title: { display: true, text: yTitle } } },
  };
}

function chart(id: string, title: string, spec: ChartSpec, table: Html): Html {
  return html`<section class="kpi" data-testid="kpi-${id}">
    <h2>${title}</h2>
    <div class="chart-box"><canvas data-chart="${id}" aria-label="${title}" role="img"></canvas></div>
    <script type="application/json" id="chart-${id}">
      ${jsonScript(spec)}
    </script>
    ${table}
  </section>`;
}

function option(value: string, label: string, selected: string): Html {
  return html`<option value="${value}" ${value === selected ? html`selected` : ''}>${label}</option>`;
}

export function kpiPage(
  data: KpiPageData,
  filter: { window: KpiWindow; festival: string },
  festivals: readonly string[],
): Html {
  const { report } = data;
  const success: ChartSpec = {
    type: 'bar',
    data: {
      labels: report.lookups.bySource.map((s) => sourceLabel[s.source]),
      datasets: [
        {
          label: 'success rate %',
          data: report.lookups.bySource.map((s) => pct(s.successes, s.attempts)),
          backgroundColor: '#2f9e44',
        },
        {
          label: 'found rate %',
          data: report.lookups.bySource.map((s) => pct(s.found, s.attempts)),
          backgroundColor: '#1c7ed6',
        },
      ],
    },
    options: { ...stackedOptions('% of attempts', false), scales: { y: { beginAtZero: true, max: 100 } } },
  };
  const tiers: ChartSpec = {
    type: 'bar',
    data: {
      labels: report.fallback.byTier.map((t) => `tier ${t.level} · ${sourceLabel[t.source]}`),
      datasets: [
        { label: 'found', data: report.fallback.byTier.map((t) => t.found), backgroundColor: '#2f9e44' },
        {
          label: 'fell through',
          data: report.fallback.byTier.map((t) => t.attempts - t.found),
          backgroundColor: '#adb5bd',
        },
      ],
    },
    options: stackedOptions('attempts', true),
  };
  const days = data.costByDay;
  const daily: ChartSpec = {
    type: 'bar',
    data: {
      labels: days.map((d) => d.day),
      datasets: (['omdb', 'imdb', 'tmdb'] as const).map((s) => ({
        label: sourceLabel[s],
        data: days.map((d) => d.bySource[s] ?? 0),
        backgroundColor: colours[s],
      })),
    },
    options: stackedOptions('USD per UTC day', true),
  };
  const limited = data.budgets.flatMap((b) => [
    ...(b.day === null ? [] : [{ label: `${sourceLabel[b.source]} today`, ...b.day }]),
    ...(b.month === null ? [] : [{ label: `${sourceLabel[b.source]} this month`, ...b.month }]),
  ]);
  const budgets: ChartSpec = {
    type: 'bar',
    data: {
      labels: limited.map((l) => l.label),
      datasets: [
        { label: 'spent USD', data: limited.map((l) => l.spentUsd), backgroundColor: '#e8590c' },
        { label: 'budget USD', data: limited.map((l) => l.limitUsd), backgroundColor: '#dee2e6' },
      ],
    },
    options: { ...stackedOptions('USD', false), indexAxis: 'y', scales: { x: { type: 'logarithmic' } } },
  };
  const festivalsChart: ChartSpec = {
    type: 'bar',
    data: {
      labels: report.festivals.map((f) => f.festival),
      datasets: [
        { label: 'full', data: report.festivals.map((f) => f.full), backgroundColor: '#2f9e44' },
        { label: 'minimal', data: report.festivals.map((f) => f.minimal), backgroundColor: '#f59f00' },
        { label: 'stub', data: report.festivals.map((f) => f.stub), backgroundColor: '#e03131' },
      ],
    },
    options: stackedOptions('movies', true),
  };

  return html`<form class="filters" method="get" action="/kpis" data-testid="kpi-filters">
      <label
        >window
        <select name="since">
          ${windows.map((w) => option(w, w === 'all' ? 'all time' : `last ${w}`, filter.window))}
        </select></label
      >
      <label
        >festival
        <select name="festival">
          ${option('', 'all festivals', filter.festival)}${festivals.map((f) => option(f, f, filter.festival))}
        </select></label
      >
      <button type="submit">Apply</button>
    </form>
    <p class="muted">
      Same query as
      <code
        >festival-resolver
        report${filter.window === 'all' ? '' : ` --since ${filter.window}`}${filter.festival === '' ? '' : ` --festival ${filter.festival}`}</code
      >
      · ${report.lookups.total} upstream attempts · generated ${report.generatedAt}
    </p>
    <div class="kpi-grid">
      ${chart(
        'success',
        '(a) Lookup success by source',
        success,
        html`<table class="grid">
          <thead>
            <tr>
              <th>source</th>
              <th>attempts</th>
              <th>successes</th>
              <th>found</th>
            </tr>
          </thead>
          <tbody>
            ${report.lookups.bySource.map(
              (s) =>
                html`<tr>
                  <td>${sourceLabel[s.source]}</td>
                  <td>${s.attempts}</td>
                  <td>${s.successes} (${pct(s.successes, s.attempts)} %)</td>
                  <td>${s.found} (${pct(s.found, s.attempts)} %)</td>
                </tr>`,
            )}
          </tbody>
        </table>`,
      )}
      ${chart(
        'tiers',
        '(b) Fallback effectiveness by tier',
        tiers,
        html`<table class="grid">
            <thead>
              <tr>
                <th>tier</th>
                <th>attempts</th>
                <th>found</th>
                <th>fell through because</th>
              </tr>
            </thead>
            <tbody>
              ${report.fallback.byTier.map(
                (t) =>
                  html`<tr>
                    <td>${t.level} ${sourceLabel[t.source]}</td>
                    <td>${t.attempts}</td>
                    <td>${t.found}</td>
                    <td>
                      ${Object.entries(t.fallbackReasons)
                        .sort((a, b) => b[1] - a[1])
                        .map(([r, n]) => `${r} ${n}`)
                        .join(', ')}
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>
          <table class="grid">
            <thead>
              <tr>
                <th>source hierarchy</th>
                <th>import type</th>
                <th>movies</th>
              </tr>
            </thead>
            <tbody>
              ${report.fallback.byHierarchy.map(
                (h) =>
                  html`<tr>
                    <td>${h.hierarchy}</td>
                    <td>${h.importType}</td>
                    <td>${h.movies}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`,
      )}
      ${chart(
        'cost-daily',
        `(c) Cost by source per day — total ${usd(report.cost.totalUsd)}`,
        daily,
        html`<table class="grid">
          <thead>
            <tr>
              <th>source</th>
              <th>attempts</th>
              <th>cost</th>
            </tr>
          </thead>
          <tbody>
            ${report.cost.bySource.map(
              (c) =>
                html`<tr>
                  <td>${sourceLabel[c.source]}</td>
                  <td>${c.attempts}</td>
                  <td>${usd(c.costUsd)}</td>
                </tr>`,
            )}
          </tbody>
        </table>`,
      )}
      ${chart(
        'budgets',
        '(c) Spend today and this month against the budgets',
        budgets,
        html`<table class="grid">
            <thead>
              <tr>
                <th>budget</th>
                <th>spent</th>
                <th>limit</th>
                <th>left</th>
              </tr>
            </thead>
            <tbody>
              ${limited.map(
                (l) =>
                  html`<tr>
                    <td>${l.label}</td>
                    <td>${usd(l.spentUsd)}</td>
                    <td>${usd(l.limitUsd)}</td>
                    <td>${usd(l.remainingUsd)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
          ${data.budgets.map((b) => (b.quota === null ? '' : html`<p class="small">${sourceLabel[b.source]} daily request quota: ${b.quota.used} of ${b.quota.limit} used</p>`))}`,
      )}
      ${chart(
        'festivals',
        '(d) Festival import health',
        festivalsChart,
        html`<table class="grid">
          <thead>
            <tr>
              <th>festival</th>
              <th>nominations</th>
              <th>movies</th>
              <th>full</th>
              <th>minimal</th>
              <th>stub</th>
              <th>stub share</th>
              <th>cost</th>
              <th>per nomination</th>
            </tr>
          </thead>
          <tbody>
            ${report.festivals.map(
              (f) =>
                html`<tr>
                  <td>${f.festival}</td>
                  <td>${f.nominations}</td>
                  <td>${f.movies}</td>
                  <td>${f.full}</td>
                  <td>${f.minimal}</td>
                  <td>${f.stub}</td>
                  <td>${pct(f.stub, f.movies)} %</td>
                  <td>${usd(f.costUsd)}</td>
                  <td>${usd(f.costPerNominationUsd)}</td>
                </tr>`,
            )}
          </tbody>
        </table>`,
      )}
    </div>`;
}
