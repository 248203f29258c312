// One chart of the dashboard: its title, what it shows, the query it comes from (a link that opens it in GraphiQL),
// the chart itself, its data as a table and as a CSV download, and its state (data-state: loading, ready, empty,
// error) so that a reader — or a test — knows when it is drawn.
import { ApiError, gql } from '../shared/api.js';
import { download, toCsv } from './csv.js';
import { el } from './dom.js';

/** An answer that arrived after a newer query of the same card was sent (a select changed again): dropped. */
class Superseded extends Error {}

export class Card {
  /**
   * @param parent where the card goes
   * @param options id (also the CSV file's name), title, caption (what the chart shows), wide (two columns),
   *   table (false when the figure is itself the table)
   */
  constructor(parent, { id, title, caption, wide = false, table = true }) {
    this.id = id;
    this.withTable = table;
    this.ticket = 0;
    this.controls = el('div', { class: 'controls' });
    this.queryLink = el('a', { class: 'query', href: '/graphiql', title: "open this chart's query in GraphiQL" }, 'GraphQL');
    this.csvButton = el('button', { type: 'button', class: 'csv', disabled: true, title: 'download the data of this chart as CSV' }, 'CSV');
    this.csvButton.addEventListener('click', () => this.downloadCsv());
    this.body = el('div', { class: 'body' });
    this.tableHolder = el('div', { class: 'table-holder' });
    this.details = el('details', { class: 'data', hidden: true }, el('summary', {}, 'Data'), this.tableHolder);
    this.element = el('section', { class: wide ? 'card wide' : 'card', id, 'aria-labelledby': `${id}-title` },
      el('header', {}, el('h3', { id: `${id}-title` }, title), this.controls, el('div', { class: 'tools' }, this.queryLink, this.csvButton)),
      caption ? el('p', { class: 'caption' }, caption) : null,
      this.body,
      this.details);
    parent.append(this.element);
    this.loading();
  }

  loading() {
    this.setState('loading');
    this.body.replaceChildren(el('p', { class: 'message' }, 'Loading…'));
  }

  /** Points the card's GraphQL link at the query its data comes from, opened in GraphiQL. */
  link(text, variables = undefined) {
    const params = new URLSearchParams({ query: text });
    if (variables) params.set('variables', JSON.stringify(variables, null, 2));
    this.queryLink.href = `/graphiql?${params}`;
  }

  /** Runs the chart's query (shown through the GraphQL link) and answers its data, unless a newer query was sent since. */
  async query(text, variables = undefined) {
    const ticket = ++this.ticket;
    this.link(text, variables);
    this.loading();
    const data = await gql(text, variables);
    if (ticket !== this.ticket) throw new Superseded();
    return data;
  }

  /**
   * Shows the chart: figures (SVG or HTML from the chart library) and its data — columns ({key, label, format}) and
   * rows — as a table and as the CSV download (file name gaugenn-ID[-SUFFIX].csv).
   */
  show(figures, { columns, rows, suffix = '' }, note = null) {
    this.data = { columns, rows, fileName: `gaugenn-${this.id}${suffix ? `-${suffix}` : ''}.csv` };
    this.body.replaceChildren(...[figures].flat(), ...(note ? [el('p', { class: 'note' }, note)] : []));
    this.csvButton.disabled = false;
    if (this.withTable) {
      this.tableHolder.replaceChildren(dataTable(columns, rows));
      this.details.hidden = false;
    }
    this.setState('ready');
  }

  /** Nothing to draw: says why (e.g. no measurements yet) instead of an empty frame. */
  empty(message) {
    this.data = null;
    this.csvButton.disabled = true;
    this.details.hidden = true;
    this.body.replaceChildren(el('p', { class: 'message empty' }, message));
    this.setState('empty');
  }

  fail(error) {
    this.data = null;
    this.csvButton.disabled = true;
    this.details.hidden = true;
    const message = error instanceof ApiError ? error.message : `the page failed to draw this chart: ${error?.message ?? error}`;
    this.body.replaceChildren(el('p', { class: 'message error', role: 'alert' }, message));
    this.setState('error');
    // An ApiError is the server's word, shown above; anything else is a bug of this page, worth a console entry.
    if (!(error instanceof ApiError)) console.error(error);
  }

  /** Runs draw(), showing any failure in the card rather than leaving it loading. */
  async run(draw) {
    try {
      await draw();
    } catch (error) {
      if (!(error instanceof Superseded)) this.fail(error);
    }
  }

  downloadCsv() {
    if (this.data) download(this.data.fileName, toCsv(this.data.columns, this.data.rows));
  }

  setState(state) {
    this.element.dataset.state = state;
    this.element.setAttribute('aria-busy', String(state === 'loading'));
  }
}

/** The rows as an HTML table, formatted for reading (the CSV keeps the exact values). */
export function dataTable(columns, rows) {
  return el('table', {},
    el('thead', {}, el('tr', {}, columns.map(c => el('th', { scope: 'col', 'data-key': c.key }, c.label ?? c.key)))),
    el('tbody', {}, rows.map(row => el('tr', {}, columns.map(c =>
      el('td', { 'data-key': c.key, class: typeof row[c.key] === 'number' ? 'num' : null },
        c.format ? c.format(row[c.key], row) : row[c.key] ?? '–'))))));
}
