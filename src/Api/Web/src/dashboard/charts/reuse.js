// Reuse: the unique models shipped by the most distinct apps, over all snapshots.
import { Card } from '../card.js';
import { bytes, count, shortSha } from '../format.js';
import { countAxis, plot, Plot } from '../plots.js';

const reuseQuery = `query Reuse($first: Int) {
  models(first: $first, orderBy: { field: APP_COUNT, direction: DESC }) {
    totalCount
    edges { node { sha256 format task appCount fileCount bytes firstSeen lastSeen } }
  }
}`;

const top = 15;

const columns = [
  { key: 'sha256', label: 'sha256' },
  { key: 'format', label: 'format' },
  { key: 'task', label: 'task' },
  { key: 'appCount', label: 'apps', format: count },
  { key: 'fileCount', label: 'files', format: count },
  { key: 'bytes', label: 'bytes', format: count },
  { key: 'firstSeen', label: 'first seen' },
  { key: 'lastSeen', label: 'last seen' },
];

/** How a model is named on the chart: short sha256, format and task. */
export function modelLabel(m) {
  return `${shortSha(m.sha256)} ${m.format}${m.task ? ` ${m.task}` : ''}`;
}

export function mount(parent) {
  const card = new Card(parent, {
    id: 'reuse',
    title: 'Model reuse',
    caption: `The ${top} unique models (by sha256) shipped by the most distinct apps over all snapshots; ties by sha256.`,
  });
  return card.run(async () => {
    const { models } = await card.query(reuseQuery, { first: top });
    const rows = models.edges.map(e => e.node);
    if (!rows.length) {
      card.empty('No model yet: ingest a snapshot first.');
      return;
    }
    const labels = rows.map(modelLabel);
    const figure = plot(card, 'Distinct apps per model, most reused first', {
      height: 40 + 22 * rows.length,
      marginLeft: Math.min(300, 12 + 6.5 * Math.max(...labels.map(l => l.length))),
      x: { label: 'apps shipping it', grid: true, ...countAxis(Math.max(...rows.map(m => m.appCount))) },
      y: { domain: labels, label: null },
      marks: [
        Plot.barX(rows, {
          x: 'appCount', y: modelLabel, fill: '#59a14f',
          title: m => `${m.sha256} (${m.format}${m.task ? `, ${m.task}` : ''}, ${bytes(m.bytes)}): ${count(m.appCount)} app${m.appCount === 1 ? '' : 's'}, ${count(m.fileCount)} file${m.fileCount === 1 ? '' : 's'}`,
        }),
        Plot.ruleX([0]),
      ],
    });
    card.show(figure, { columns, rows }, `${rows.length} of ${count(models.totalCount)} unique models shown.`);
  });
}
