// Chart defaults shared by every card, drawn with Observable Plot as SVG in the page.
import * as Plot from '@observablehq/plot';

/** Tableau 10, Plot's default categorical scheme, as values so a series can be given a colour of its own. */
export const palette = ['#4e79a7', '#f28e2c', '#e15759', '#76b7b2', '#59a14f', '#edc949', '#af7aa1', '#ff9da7', '#9c755f', '#bab0ab'];

/**
 * One colour per framework on every chart: frameworks ranked by their model files over all snapshots take the palette
 * in turn; a name no snapshot counts files of (asked in sorted order by the caller) comes after them.
 */
export function frameworkColours(snapshots) {
  const totals = new Map();
  for (const s of snapshots) for (const f of s.formats) totals.set(f.name, (totals.get(f.name) ?? 0) + f.modelFiles);
  const ranked = [...totals.keys()].sort((a, b) => totals.get(b) - totals.get(a) || (a < b ? -1 : 1));
  return name => {
    if (!ranked.includes(name)) ranked.push(name);
    return palette[ranked.indexOf(name) % palette.length];
  };
}

/** The card body's width, so a chart fills its card; SVGs then scale down with the page. */
export function widthOf(card) {
  return Math.max(320, Math.floor(card.body.getBoundingClientRect().width) || 640);
}

/** A chart with the house defaults (font, margins) and an accessible label. */
export function plot(card, label, options) {
  return Plot.plot({
    width: widthOf(card),
    height: 280,
    marginLeft: 56,
    style: { fontSize: '12px', fontFamily: 'inherit', overflow: 'visible' },
    ariaLabel: label,
    ...options,
  });
}

/**
 * An axis of counts: ticks on whole numbers only, a step of 1, 2 or 5 times a power of ten giving at most six
 * ticks, the domain reaching the tick at or above the largest count.
 */
export function countAxis(max) {
  const top = Math.max(1, max);
  let step = 1;
  for (let scale = 1; step * 5 < top; scale *= 10) step = [1, 2, 5].map(m => m * scale).find(s => s * 5 >= top) ?? 10 * scale;
  const ticks = [];
  for (let value = 0; value < top + step; value += step) ticks.push(value);
  return { domain: [0, ticks[ticks.length - 1]], ticks, tickFormat: value => value.toLocaleString('en-US') };
}

export { Plot };
