// Framework share per snapshot: how a snapshot's identified model files split over formats, as stacked bars.
import { Card } from '../card.js';
import { count, percent } from '../format.js';
import { plot, Plot } from '../plots.js';
import { snapshotsQuery } from './snapshots.js';

const columns = [
  { key: 'snapshot', label: 'snapshot' },
  { key: 'framework', label: 'framework (format)' },
  { key: 'modelFiles', label: 'model files', format: count },
  { key: 'ofModelFiles', label: 'of model files', format: count },
  { key: 'share', label: 'share', format: percent },
];

export function mount(parent, context) {
  const card = new Card(parent, {
    id: 'framework-share',
    title: 'Framework share per snapshot',
    caption: "Each snapshot's identified model files by format (the framework that runs them); encrypted files are left out.",
  });
  card.link(snapshotsQuery);
  const rows = context.snapshots.flatMap(s => {
    const total = s.formats.reduce((sum, f) => sum + f.modelFiles, 0);
    return s.formats.map(f => ({ snapshot: s.id, framework: f.name, modelFiles: f.modelFiles, ofModelFiles: total, share: total ? f.modelFiles / total : 0 }));
  });
  if (!rows.length) {
    card.empty(context.snapshots.length ? 'No identified model file in any snapshot yet.' : 'No snapshot yet.');
    return;
  }
  // Frameworks stacked in the order of their files over all snapshots, largest at the bottom.
  const totals = new Map();
  for (const r of rows) totals.set(r.framework, (totals.get(r.framework) ?? 0) + r.modelFiles);
  const order = [...totals.keys()].sort((a, b) => totals.get(b) - totals.get(a) || (a < b ? -1 : 1));
  const figure = plot(card, 'Framework share of model files per snapshot', {
    x: { domain: context.snapshots.map(s => s.id), label: null, padding: 0.35 },
    y: { label: '% of model files', domain: [0, 100], grid: true },
    color: { domain: order, range: order.map(context.colourOf), legend: true },
    marks: [
      Plot.barY(rows, {
        x: 'snapshot', y: r => r.share * 100, fill: 'framework', order,
        title: r => `${r.snapshot} · ${r.framework}: ${count(r.modelFiles)} of ${count(r.ofModelFiles)} model files (${percent(r.share)})`,
      }),
      Plot.ruleY([0]),
    ],
  });
  card.show(figure, { columns, rows });
}
