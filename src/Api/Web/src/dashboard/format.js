// How numbers read on the page. The CSV downloads carry the values exactly as the API answered them.

const grouped = new Intl.NumberFormat('en-US');

export function count(n) {
  return n === null || n === undefined ? '–' : grouped.format(n);
}

/** A share in [0, 1] as a percentage with one decimal: 11/12 → "91.7 %". */
export function percent(share) {
  return share === null || share === undefined ? '–' : `${(share * 100).toFixed(1)} %`;
}

/** Bytes in decimal units (kB = 1,000 B), three significant digits. */
export function bytes(n) {
  return scaled(n, [[1e9, 'GB'], [1e6, 'MB'], [1e3, 'kB']], 'B');
}

/** Large counts with SI prefixes: 30,760,960 → "30.8 M". */
export function si(n) {
  return scaled(n, [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']], '');
}

function scaled(n, units, base) {
  if (n === null || n === undefined) return '–';
  for (const [size, unit] of units) {
    if (Math.abs(n) >= size) return `${Number((n / size).toPrecision(3))} ${unit}`;
  }
  return `${Number.isInteger(n) ? n : Number(n.toPrecision(3))}${base ? ` ${base}` : ''}`.trim();
}

/** Milliseconds with up to three decimals; millijoules likewise. */
export function ms(n) {
  return n === null || n === undefined ? '–' : `${trim(n)} ms`;
}

export function mj(n) {
  return n === null || n === undefined ? '–' : `${trim(n)} mJ`;
}

function trim(n) {
  return Number(n.toFixed(3)).toString();
}

/** A model's short name: the first 12 hex digits of its sha256. */
export function shortSha(sha) {
  return sha.slice(0, 12);
}
