// DL adoption over snapshots, one line per framework, category or task: the share of apps shipping a model of it.
import { Card } from '../card.js';
import { count, percent } from '../format.js';
import { palette, plot, Plot } from '../plots.js';

const adoptionQuery = `query Adoption($by: AdoptionBy!) {
  adoption(by: $by) { key points { snapshot apps outOf share } }
}`;

/** Lines drawn at most; the table and the CSV have every key. Ten fit the palette. */
const shownLines = 10;

/** The series every app shipping any model counts in (encrypted ones too): snapshots.dlApps of snapshots.apps. */
export const anyModel = 'any model';

const columns = [
  { key: 'snapshot', label: 'snapshot' },
  { key: 'key', label: 'key' },
  { key: 'apps', label: 'apps', format: count },
  { key: 'outOf', label: 'out of', format: count },
  { key: 'share', label: 'share', format: percent },
];

const kinds = [
  {
    by: 'FRAMEWORK', plural: 'frameworks', id: 'adoption-framework', title: 'DL adoption by framework',
    caption: 'Share of apps shipping at least one identified model of each framework, per snapshot; the dark line counts apps '
      + 'shipping any model file, encrypted ones included.',
  },
  {
    by: 'CATEGORY', plural: 'categories', id: 'adoption-category', title: 'DL adoption by store category',
    caption: "Share of each category's apps shipping at least one identified model (encrypted files not counted), per snapshot.",
  },
  {
    by: 'TASK', plural: 'tasks', id: 'adoption-task', title: 'DL adoption by task',
    caption: 'Share of apps shipping at least one model of each inferred task, per snapshot.',
  },
];

export function mount(parent, context) {
  return Promise.all(kinds.map(kind => {
    const card = new Card(parent, { id: kind.id, title: kind.title, caption: kind.caption });
    return card.run(async () => {
      const { adoption } = await card.query(adoptionQuery, { by: kind.by });
      draw(card, kind, context, adoption);
    });
  }));
}

function draw(card, kind, context, adoption) {
  const ids = context.snapshots.map(s => s.id);
  if (!ids.length || !adoption.length) {
    card.empty(ids.length ? `No app ships a model with a known ${kind.by.toLowerCase()} yet.` : 'No snapshot yet.');
    return;
  }
  const rows = [];
  for (const series of adoption) {
    const byId = new Map(series.points.map(p => [p.snapshot, p]));
    for (const snapshot of context.snapshots) {
      const point = byId.get(snapshot.id);
      if (point) rows.push({ snapshot: snapshot.id, key: series.key, apps: point.apps, outOf: point.outOf, share: point.share });
      // A framework or task absent from a snapshot is shipped by none of its apps (outOf is the snapshot's apps);
      // a category absent from a snapshot has no apps there, so it has no share to draw.
      else if (kind.by !== 'CATEGORY') rows.push({ snapshot: snapshot.id, key: series.key, apps: 0, outOf: snapshot.apps, share: 0 });
    }
  }
  if (kind.by === 'FRAMEWORK') {
    for (const s of context.snapshots) rows.push({ snapshot: s.id, key: anyModel, apps: s.dlApps, outOf: s.apps, share: s.apps ? s.dlApps / s.apps : 0 });
  }

  const latest = ids[ids.length - 1];
  const weight = key => rows.find(r => r.key === key && r.snapshot === latest)?.apps ?? -1;
  const keys = adoption.map(s => s.key).sort((a, b) => weight(b) - weight(a) || (a < b ? -1 : a > b ? 1 : 0));
  const shown = keys.slice(0, kind.by === 'FRAMEWORK' ? shownLines - 1 : shownLines);
  const domain = kind.by === 'FRAMEWORK' ? [anyModel, ...shown] : shown;
  const range = kind.by === 'FRAMEWORK' ? ['#222222', ...shown.map(context.colourOf)] : palette;
  const drawn = rows.filter(r => domain.includes(r.key)).map(r => ({ ...r, percent: r.share * 100 }));
  const title = r => `${r.key} · ${r.snapshot}: ${count(r.apps)} of ${count(r.outOf)} apps (${percent(r.share)})`;

  const figure = plot(card, `${kind.title}, per snapshot`, {
    x: { type: 'point', domain: ids, label: null, padding: 0.4 },
    y: { label: '% of apps', zero: true, grid: true, nice: true },
    color: { domain, range, legend: true },
    marks: [
      Plot.ruleY([0]),
      Plot.line(drawn, { x: 'snapshot', y: 'percent', stroke: 'key', strokeWidth: r => (r.key === anyModel ? 3 : 1.75) }),
      Plot.dot(drawn, { x: 'snapshot', y: 'percent', fill: 'key', r: 4, title }),
    ],
  });
  const note = keys.length > shown.length
    ? `${shown.length} of ${keys.length} ${kind.plural} drawn (most apps in ${latest}); the table and the CSV have all.`
    : null;
  card.show(figure, { columns, rows }, note);
}
