// Builds elements from text only: every string from the warehouse (package names, categories, keys) lands in the page
// as a text node, never as markup.

/** An element with attributes and children (strings become text nodes; null children are skipped). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** A select of [value, label] options with one selected. */
export function select(label, options, selected, onChange) {
  const input = el('select', { 'aria-label': label },
    options.map(([value, text]) => el('option', { value, selected: value === selected }, text)));
  input.addEventListener('change', () => onChange(input.value));
  return el('label', { class: 'control' }, `${label} `, input);
}
