// Quantised share over time: of a snapshot's unique models whose precision is known, those with quantised weights.
import { Card } from '../card.js';
import { count, percent } from '../format.js';
import { plot, Plot } from '../plots.js';
import { snapshotsQuery } from './snapshots.js';

const columns = [
  { key: 'snapshot', label: 'snapshot' },
  { key: 'quantizedModels', label: 'quantised models', format: count },
  { key: 'precisionKnownModels', label: 'precision known', format: count },
  { key: 'quantizedShare', label: 'share', format: percent },
];

export function mount(parent, context) {
  const card = new Card(parent, {
    id: 'quantised-share',
    title: 'Quantised share over time',
    caption: "Of each snapshot's unique identified models whose precision is known (dissected), the share with quantised weights.",
  });
  card.link(snapshotsQuery);
  const rows = context.snapshots.map(s => ({
    snapshot: s.id, quantizedModels: s.quantizedModels, precisionKnownModels: s.precisionKnownModels, quantizedShare: s.quantizedShare,
  }));
  const known = rows.filter(r => r.quantizedShare !== null);
  if (!known.length) {
    card.empty(rows.length ? "No model's precision is known yet (models are dissected at ingest; gaugenn reanalyse redoes it)." : 'No snapshot yet.');
    return;
  }
  const drawn = known.map(r => ({ ...r, percent: r.quantizedShare * 100 }));
  const figure = plot(card, 'Quantised share of unique models per snapshot', {
    x: { type: 'point', domain: rows.map(r => r.snapshot), label: null, padding: 0.4 },
    y: { label: '% of models quantised', zero: true, grid: true, nice: true },
    marks: [
      Plot.ruleY([0]),
      Plot.line(drawn, { x: 'snapshot', y: 'percent', stroke: '#4e79a7', strokeWidth: 2 }),
      Plot.dot(drawn, {
        x: 'snapshot', y: 'percent', fill: '#4e79a7', r: 4,
        title: r => `${r.snapshot}: ${count(r.quantizedModels)} of ${count(r.precisionKnownModels)} models quantised (${percent(r.quantizedShare)})`,
      }),
    ],
  });
  const missing = rows.length - known.length;
  card.show(figure, { columns, rows }, missing ? `${missing} snapshot(s) have no model of known precision and are not drawn.` : null);
}
