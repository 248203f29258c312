// Churn between any two snapshots chosen with two selects: what happened to apps and to their models.
import { Card } from '../card.js';
import { slug } from '../csv.js';
import { el, select } from '../dom.js';
import { count } from '../format.js';
import { countAxis, plot, Plot, widthOf } from '../plots.js';

/** The summary's fields, grouped and named for the chart; the CSV keeps the API's field names. */
const fields = {
  apps: [
    ['appsBefore', 'in the first'], ['appsAfter', 'in the second'], ['appsContinuing', 'continuing'], ['appsNew', 'new'],
    ['appsDelisted', 'delisted'], ['appsVersionChanged', 'new version'], ['appsAdoptedDl', 'adopted DL'],
    ['appsDroppedDl', 'dropped DL'], ['appsWithModelChanges', 'with model changes'], ['appsWithUpdatedModels', 'with updated models'],
    ['appsFrameworkMigrated', 'changed framework'], ['newAppsWithModels', 'new, with models'],
  ],
  models: [
    ['modelsUnchanged', 'unchanged'], ['modelsUpdated', 'updated'], ['modelsAdded', 'added'], ['modelsRemoved', 'removed'],
    ['modelsInNewApps', 'in new apps'], ['modelsInDelistedApps', 'in delisted apps'],
    ['uniqueModelSha256New', 'unique sha256 new'], ['uniqueModelSha256Gone', 'unique sha256 gone'],
  ],
};

const churnQuery = `query Churn($from: String!, $to: String!) {
  churn(from: $from, to: $to) {
    from to
    summary { ${Object.values(fields).flat().map(([name]) => name).join(' ')} }
  }
}`;

const columns = [
  { key: 'from', label: 'from' },
  { key: 'to', label: 'to' },
  { key: 'group', label: 'of' },
  { key: 'field', label: 'field' },
  { key: 'label', label: 'meaning' },
  { key: 'value', label: 'value', format: count },
];

export function mount(parent, context) {
  const card = new Card(parent, {
    id: 'churn',
    title: 'Churn between two snapshots',
    caption: 'Apps new, delisted or continuing between the two snapshots, and what happened to the models of continuing '
      + 'apps (matched by path; same sha256 = unchanged). Any two snapshots compare with the same definitions.',
    wide: true,
  });
  const ids = context.snapshots.map(s => s.id);
  if (ids.length < 2) {
    card.empty(ids.length ? `Churn compares two snapshots; there is only ${ids[0]} so far.` : 'No snapshot yet.');
    return Promise.resolve();
  }
  const pair = { from: ids[ids.length - 2], to: ids[ids.length - 1] };
  const load = () => card.run(async () => {
    const { churn } = await card.query(churnQuery, { ...pair });
    draw(card, churn);
  });
  const options = ids.map(id => [id, id]);
  card.controls.append(
    select('From', options, pair.from, value => { pair.from = value; load(); }),
    select('To', options, pair.to, value => { pair.to = value; load(); }));
  return load();
}

function draw(card, churn) {
  const rows = Object.entries(fields).flatMap(([group, list]) =>
    list.map(([field, label]) => ({ from: churn.from, to: churn.to, group, field, label, value: churn.summary[field] })));
  const half = Math.max(320, Math.floor((widthOf(card) - 24) / 2));
  const chart = (group, colour) => {
    const data = rows.filter(r => r.group === group);
    return el('div', { class: 'panel' }, el('h4', {}, group === 'apps' ? 'Apps' : 'Models (of continuing apps unless named)'),
      plot(card, `Churn of ${group} from ${churn.from} to ${churn.to}`, {
        width: half,
        height: 36 + 24 * data.length,
        marginLeft: 150,
        x: { label: group, grid: true, ...countAxis(Math.max(...data.map(r => r.value))) },
        y: { domain: data.map(r => r.label), label: null },
        marks: [
          Plot.barX(data, { x: 'value', y: 'label', fill: colour, title: r => `${group} ${r.label}: ${count(r.value)}` }),
          Plot.text(data, { x: 'value', y: 'label', text: r => count(r.value), dx: 4, textAnchor: 'start' }),
          Plot.ruleX([0]),
        ],
      }));
  };
  card.show(el('div', { class: 'panels' }, chart('apps', '#4e79a7'), chart('models', '#f28e2c')),
    { columns, rows, suffix: `${slug(churn.from)}-${slug(churn.to)}` });
}
