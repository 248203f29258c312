// How unique models spread over size and over MACs: the API's log-spaced histogram, in one snapshot or over all.
import { Card } from '../card.js';
import { slug } from '../csv.js';
import { select } from '../dom.js';
import { bytes, count, si } from '../format.js';
import { countAxis, plot, Plot } from '../plots.js';

const distributionQuery = `query Distribution($of: ModelMetric!, $snapshot: String, $bins: Int) {
  distribution(of: $of, snapshot: $snapshot, bins: $bins) {
    of snapshot models withValue min median max bins { from to models }
  }
}`;

const bins = 20;
const allSnapshots = '';

const metrics = [
  {
    of: 'BYTES', id: 'size-distribution', title: 'Model size distribution', unit: 'bytes', format: bytes, what: 'a known size',
    caption: 'Unique identified models (by sha256) per size bin; bins are equally wide in log10 between the smallest and the largest model.',
  },
  {
    of: 'MACS', id: 'macs-distribution', title: 'MAC distribution', unit: 'MACs per inference', format: si, what: 'known MACs',
    caption: 'Unique identified models per bin of multiply-accumulates of one inference (known nodes only), log-spaced.',
  },
];

const columns = [
  { key: 'snapshot', label: 'snapshot' },
  { key: 'of', label: 'metric' },
  { key: 'from', label: 'from (inclusive)' },
  { key: 'to', label: 'to (exclusive; the last bin inclusive)' },
  { key: 'models', label: 'models', format: count },
];

export function mount(parent, context) {
  return Promise.all(metrics.map(metric => {
    const card = new Card(parent, { id: metric.id, title: metric.title, caption: metric.caption });
    const options = [[allSnapshots, 'all snapshots'], ...context.snapshots.map(s => [s.id, s.id])];
    const load = snapshot => card.run(async () => {
      const { distribution } = await card.query(distributionQuery, { of: metric.of, snapshot: snapshot || null, bins });
      draw(card, metric, distribution);
    });
    card.controls.append(select('Snapshot', options, allSnapshots, load));
    return load(allSnapshots);
  }));
}

function draw(card, metric, d) {
  const scope = d.snapshot ? `in ${d.snapshot}` : 'over all snapshots';
  if (!d.withValue) {
    card.empty(d.models ? `None of the ${count(d.models)} unique models ${scope} has ${metric.what}.` : `No identified model ${scope} yet.`);
    return;
  }
  const rows = d.bins.map(b => ({ snapshot: d.snapshot ?? '', of: d.of, from: b.from, to: b.to, models: b.models }));
  const zeros = d.bins.filter(b => b.to === 0).reduce((sum, b) => sum + b.models, 0);
  // A log axis has no zero: the [0, 0] bin is told in the note, not drawn. A single value (min = max) is one bin of
  // no width, drawn a little wider so it shows.
  const drawn = d.bins.filter(b => b.to > 0).map(b => (b.from === b.to ? { ...b, x1: b.from / 1.15, x2: b.to * 1.15 } : { ...b, x1: b.from, x2: b.to }));
  const marks = [
    Plot.rectY(drawn, {
      x1: 'x1', x2: 'x2', y: 'models', fill: '#4e79a7', inset: 0.5,
      title: b => `${metric.format(b.from)} – ${metric.format(b.to)}: ${count(b.models)} model${b.models === 1 ? '' : 's'}`,
    }),
    Plot.ruleY([0]),
  ];
  const figures = drawn.length
    ? plot(card, `${metric.title} ${scope}`, {
      x: { type: 'log', label: metric.unit, tickFormat: metric.format, ticks: 6 },
      y: { label: 'models', grid: true, ...countAxis(Math.max(...drawn.map(b => b.models))) },
      marks,
    })
    : [];
  const parts = [`${count(d.withValue)} of ${count(d.models)} unique models ${scope} have ${metric.what}`,
    `median ${metric.format(d.median)}, from ${metric.format(d.min)} to ${metric.format(d.max)}`];
  if (zeros) parts.push(`${count(zeros)} with 0 ${metric.of === 'MACS' ? 'MACs' : 'bytes'} (not drawn on the log axis)`);
  card.show(figures, { columns, rows, suffix: slug(d.snapshot ?? 'all') }, `${parts.join('; ')}.`);
}
