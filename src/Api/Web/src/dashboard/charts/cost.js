// What a model costs to run: latency and energy per inference across device tiers and generations (Measure),
// for one measured model chosen in a select — by default the measured model shipped by the most apps.
import { gql } from '../../shared/api.js';
import { Card } from '../card.js';
import { slug } from '../csv.js';
import { el, select } from '../dom.js';
import { count, mj, ms, shortSha } from '../format.js';
import { plot, Plot, widthOf } from '../plots.js';

const measuredQuery = `query Measured($after: String) {
  measurements(first: 1000, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { modelSha256 model { format task appCount } } }
  }
}`;

const compareQuery = `query Compare($model: String!) {
  tier: compare(model: $model, by: TIER) { key runs devices p50Ms p90Ms p99Ms meanMs energyMjPerInference }
  generation: compare(model: $model, by: GENERATION) { key runs devices p50Ms p90Ms p99Ms meanMs energyMjPerInference }
}`;

/** Runs read to list the measured models (1,000 a page). */
const maxPages = 10;

const tierOrder = ['low', 'mid', 'high', 'host'];

const groupings = [['tier', 'By tier'], ['generation', 'By generation (release year)']];

const noMeasurements = "No measurements yet: benchmark a model on this machine (gaugenn bench) or import a tool's output (gaugenn import).";

const latencyColumns = [
  { key: 'model', label: 'model' }, { key: 'by', label: 'by' }, { key: 'key', label: 'group' },
  { key: 'runs', label: 'runs', format: count }, { key: 'devices', label: 'devices', format: count },
  { key: 'p50Ms', label: 'p50', format: ms }, { key: 'p90Ms', label: 'p90', format: ms }, { key: 'p99Ms', label: 'p99', format: ms },
  { key: 'meanMs', label: 'mean', format: ms },
];

/** The latency statistics a chart can show; tools print different ones (benchncnn and MNN an average only). */
const statistics = [['p50Ms', 'p50'], ['meanMs', 'mean'], ['p90Ms', 'p90'], ['p99Ms', 'p99']];

const energyColumns = [
  { key: 'model', label: 'model' }, { key: 'by', label: 'by' }, { key: 'key', label: 'group' },
  { key: 'runs', label: 'runs', format: count }, { key: 'devices', label: 'devices', format: count },
  { key: 'energyMjPerInference', label: 'energy per inference', format: mj },
];

export async function mount(parent) {
  const toolbar = el('div', { class: 'toolbar', id: 'cost-model' });
  parent.before(toolbar);
  const latency = new Card(parent, {
    id: 'latency',
    title: 'Latency by tier and generation',
    caption: "The chosen model's latency per device tier and per release year: for each group, the median over its runs "
      + "of each run's figure: p50, mean, p90 or p99 (the one most groups have unless chosen).",
    wide: true,
  });
  const energy = new Card(parent, {
    id: 'energy',
    title: 'Energy by tier and generation',
    caption: "The chosen model's energy per inference, from power traces of its runs (idle power taken off), per device tier and per release year.",
    wide: true,
  });
  latency.link(measuredQuery);
  energy.link(measuredQuery);
  let models;
  try {
    models = await measuredModels();
  } catch (error) {
    latency.fail(error);
    energy.fail(error);
    return;
  }
  if (!models.list.length) {
    latency.empty(noMeasurements);
    energy.empty(noMeasurements);
    return;
  }
  // The statistic chosen in the latency card stays chosen when another model is picked.
  const chosen = { statistic: null };
  const load = sha => Promise.all([
    latency.run(async () => drawLatency(latency, sha, await latency.query(compareQuery, { model: sha }), chosen)),
    energy.run(async () => drawEnergy(energy, sha, await energy.query(compareQuery, { model: sha }))),
  ]);
  const options = models.list.map(m => [m.sha256,
    `${shortSha(m.sha256)} ${m.format ?? 'not in any app'}${m.task ? ` ${m.task}` : ''} · ${count(m.appCount)} app${m.appCount === 1 ? '' : 's'}, ${count(m.runs)} run${m.runs === 1 ? '' : 's'}`]);
  toolbar.append(select('Measured model', options, models.list[0].sha256, load));
  if (models.truncated) toolbar.append(el('span', { class: 'note' }, `models of the first ${count(maxPages * 1000)} runs listed`));
  await load(models.list[0].sha256);
}

/** Every model with a measurement, the most reused first (then the most runs, then by sha256). */
async function measuredModels() {
  const found = new Map();
  let after = null;
  let page = 0;
  let more = true;
  while (more && page < maxPages) {
    const { measurements } = await gql(measuredQuery, { after });
    for (const { node } of measurements.edges) {
      const known = found.get(node.modelSha256) ?? { sha256: node.modelSha256, format: node.model?.format, task: node.model?.task, appCount: node.model?.appCount ?? 0, runs: 0 };
      known.runs++;
      found.set(node.modelSha256, known);
    }
    more = measurements.pageInfo.hasNextPage;
    after = measurements.pageInfo.endCursor;
    page++;
  }
  const list = [...found.values()].sort((a, b) => b.appCount - a.appCount || b.runs - a.runs || (a.sha256 < b.sha256 ? -1 : 1));
  return { list, truncated: more };
}

function ordered(by, groups) {
  const rank = key => (by === 'tier'
    ? (tierOrder.includes(key) ? tierOrder.indexOf(key) : tierOrder.length)
    : (/^\d+$/.test(key) ? Number(key) : Number.MAX_SAFE_INTEGER));
  return [...groups].sort((a, b) => rank(a.key) - rank(b.key) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function rowsOf(sha, data) {
  return groupings.flatMap(([by]) => ordered(by, data[by]).map(g => ({ model: sha, by, ...g })));
}

function panels(card, draw) {
  const width = Math.max(320, Math.floor((widthOf(card) - 24) / 2));
  return el('div', { class: 'panels' }, groupings.map(([by, heading]) => el('div', { class: 'panel' }, el('h4', {}, heading), draw(by, width))));
}

function drawLatency(card, sha, data, chosen) {
  const rows = rowsOf(sha, data);
  const available = statistics.filter(([key]) => rows.some(r => r[key] !== null));
  if (!available.length) {
    card.empty(`Model ${shortSha(sha)} has runs but none with a latency.`);
    return;
  }
  // Unless one was chosen, the statistic most groups have (tools print different ones; p50 first on a tie).
  const coverage = ([k]) => rows.filter(r => r[k] !== null).length;
  const [key, name] = available.find(([k]) => k === chosen.statistic)
    ?? available.reduce((best, next) => (coverage(next) > coverage(best) ? next : best));
  card.controls.replaceChildren(select('Statistic', available, key, value => {
    chosen.statistic = value;
    drawLatency(card, sha, data, chosen);
  }));
  const timed = rows.filter(r => r[key] !== null);
  const title = r => `${r.key}: ${name} ${ms(r[key])} (${count(r.runs)} run${r.runs === 1 ? '' : 's'} on ${count(r.devices)} device${r.devices === 1 ? '' : 's'})`;
  const figure = panels(card, (by, width) => {
    const data = timed.filter(r => r.by === by);
    return plot(card, `${name} latency of ${shortSha(sha)} by ${by}`, {
      width,
      x: { domain: data.map(r => r.key), label: null, padding: 0.3 },
      y: { label: `${name} ms per inference`, grid: true, zero: true, nice: true },
      marks: [
        Plot.barY(data, { x: 'key', y: key, fill: '#4e79a7', title }),
        Plot.text(data, { x: 'key', y: key, text: r => ms(r[key]), dy: -8 }),
        Plot.ruleY([0]),
      ],
    });
  });
  const without = rows.filter(r => r[key] === null).map(r => `${r.key} (${r.by})`);
  card.show(figure, { columns: latencyColumns, rows, suffix: slug(shortSha(sha)) },
    without.length ? `No ${name} printed by the runs of: ${without.join(', ')}; another statistic may have it.` : null);
}

function drawEnergy(card, sha, data) {
  const rows = rowsOf(sha, data).map(r => Object.fromEntries(energyColumns.map(c => [c.key, r[c.key]])));
  const measured = rows.filter(r => r.energyMjPerInference !== null);
  if (!measured.length) {
    card.empty(`No energy measured for model ${shortSha(sha)} yet: import a power trace of one of its runs (gaugenn import).`);
    return;
  }
  const title = r => `${r.key}: ${mj(r.energyMjPerInference)} per inference (${count(r.runs)} run${r.runs === 1 ? '' : 's'} on ${count(r.devices)} device${r.devices === 1 ? '' : 's'})`;
  const figure = panels(card, (by, width) => {
    const data = measured.filter(r => r.by === by);
    return plot(card, `Energy of ${shortSha(sha)} by ${by}`, {
      width,
      x: { domain: data.map(r => r.key), label: null, padding: 0.3 },
      y: { label: 'mJ per inference', grid: true, zero: true, nice: true },
      marks: [
        Plot.barY(data, { x: 'key', y: 'energyMjPerInference', fill: '#e15759', title }),
        Plot.text(data, { x: 'key', y: 'energyMjPerInference', text: r => mj(r.energyMjPerInference), dy: -8 }),
        Plot.ruleY([0]),
      ],
    });
  });
  const without = rows.filter(r => r.energyMjPerInference === null).map(r => `${r.key} (${r.by})`);
  card.show(figure, { columns: energyColumns, rows, suffix: slug(shortSha(sha)) },
    without.length ? `No energy measured for: ${without.join(', ')}.` : null);
}
