// The dashboard: fetches the snapshots once, then lets every chart fetch and draw its own data. main[data-state]
// turns "ready" when every chart has drawn (or said why it could not).
import './style.css';
import { ApiError, gql, setApiKey } from '../shared/api.js';
import { el } from './dom.js';
import { frameworkColours } from './plots.js';
import * as adoption from './charts/adoption.js';
import * as churn from './charts/churn.js';
import * as cost from './charts/cost.js';
import * as distributions from './charts/distributions.js';
import * as frameworkShare from './charts/frameworkShare.js';
import * as quantised from './charts/quantised.js';
import * as reuse from './charts/reuse.js';
import * as snapshots from './charts/snapshots.js';

const main = document.getElementById('dashboard');
const notice = document.getElementById('notice');
const cards = group => document.querySelector(`#${group} .cards`);

function tell(message, ...extra) {
  notice.replaceChildren(el('p', {}, message), ...extra);
  notice.hidden = false;
}

/** A host bound beyond loopback asks for its API key: ask once, keep it for this tab, start again. */
function askForKey(error) {
  const input = el('input', { type: 'password', autocomplete: 'off', 'aria-label': 'API key' });
  const form = el('form', { class: 'key' }, input, el('button', { type: 'submit' }, 'Use key'));
  form.addEventListener('submit', event => {
    event.preventDefault();
    setApiKey(input.value.trim());
    location.reload();
  });
  tell(`${error.message}. Enter it here: this tab keeps it (sessionStorage) until it is closed.`, form);
  main.dataset.state = 'error';
}

async function start() {
  let context;
  try {
    const list = (await gql(snapshots.snapshotsQuery)).snapshots;
    context = { snapshots: list, colourOf: frameworkColours(list) };
  } catch (error) {
    if (error instanceof ApiError && error.unauthenticated) askForKey(error);
    else {
      tell(`The warehouse did not answer: ${error.message}`);
      main.dataset.state = 'error';
    }
    return;
  }
  if (!context.snapshots.length) tell('The warehouse has no snapshot yet: ingest one (gaugenn ingest) or run gaugenn demo, then reload this page.');
  // Cards appear in the order they are mounted; each mount creates its cards before it awaits anything.
  snapshots.mount(cards('overview'), context);
  const drawn = [adoption.mount(cards('adoption'), context)];
  frameworkShare.mount(cards('adoption'), context);
  quantised.mount(cards('adoption'), context);
  drawn.push(
    distributions.mount(cards('models'), context),
    reuse.mount(cards('models'), context),
    churn.mount(cards('change'), context),
    cost.mount(cards('cost'), context));
  await Promise.all(drawn);
  main.dataset.state = 'ready';
}

start();
