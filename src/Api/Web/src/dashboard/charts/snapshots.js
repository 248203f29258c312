// The snapshots and their headline counts: the table every other chart breaks down.
import { Card, dataTable } from '../card.js';
import { count, percent } from '../format.js';

export const snapshotsQuery = `{
  snapshots {
    id capturedAt apps dlApps appsWithModels modelFiles encryptedModelFiles uniqueModels
    quantizedModels precisionKnownModels quantizedShare
    formats { name modelFiles }
  }
}`;

export const columns = [
  { key: 'snapshot', label: 'snapshot' },
  { key: 'capturedAt', label: 'captured' },
  { key: 'apps', label: 'apps', format: count },
  { key: 'dlApps', label: 'DL apps', format: count },
  { key: 'dlShare', label: 'DL share', format: percent },
  { key: 'appsWithModels', label: 'apps with identified models', format: count },
  { key: 'modelFiles', label: 'model files', format: count },
  { key: 'encryptedModelFiles', label: 'encrypted files', format: count },
  { key: 'uniqueModels', label: 'unique models', format: count },
];

/** Draws the table from the snapshots main.js already fetched (the card's query link shows that query). */
export function mount(parent, context) {
  const card = new Card(parent, {
    id: 'snapshots',
    title: 'Snapshots',
    caption: 'Per snapshot: apps listed or scanned; DL apps ship at least one model file (encrypted ones included); '
      + 'apps with identified models, model files and unique models (distinct sha256) leave encrypted files out.',
    wide: true,
    table: false,
  });
  card.link(snapshotsQuery);
  if (!context.snapshots.length) {
    card.empty('No snapshot yet: ingest one (gaugenn ingest --snapshot ID FOLDER) or try gaugenn demo.');
    return;
  }
  const rows = context.snapshots.map(s => ({
    snapshot: s.id,
    capturedAt: s.capturedAt,
    apps: s.apps,
    dlApps: s.dlApps,
    dlShare: s.apps ? s.dlApps / s.apps : null,
    appsWithModels: s.appsWithModels,
    modelFiles: s.modelFiles,
    encryptedModelFiles: s.encryptedModelFiles,
    uniqueModels: s.uniqueModels,
  }));
  card.show(dataTable(columns, rows), { columns, rows });
}
