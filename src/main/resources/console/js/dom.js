// Building DOM nodes without HTML strings: every value from the API goes in as text, never as markup.

/** h('td', {class: 'num', dataset: {label: '户数'}}, 'text', node, …) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the children of el. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A labelled form field: <div class="field"><label for=id>text</label>control</div>. */
export function field(labelText, control) {
  if (!control.id) control.id = 'f-' + Math.random().toString(36).slice(2, 9);
  return h('div', { class: 'field' }, h('label', { for: control.id }, labelText), control);
}

/** A <select> of [value, text] pairs. */
export function select(id, options, value) {
  const el = h('select', { id, name: id });
  for (const [v, text] of options) el.append(h('option', { value: v }, text));
  if (value !== undefined && value !== null) el.value = value;
  return el;
}

/** A table whose cells know their column (for the phone layout): columns = [{label, cls?}], rows of nodes/text. */
export function table(columns, rows, { caption, cards = false, rowAttrs } = {}) {
  const t = h('table', { class: cards ? 'cards' : '' },
    caption ? h('caption', {}, caption) : null,
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.cls }, c.label)))),
    h('tbody', {}, rows.map((cells, i) => h('tr', rowAttrs ? rowAttrs(i) : {},
      cells.map((cell, j) => h('td', { class: columns[j].cls, dataset: { label: columns[j].label } }, cell))))));
  return h('div', { class: cards ? 'table-wrap cards' : 'table-wrap' }, t);
}

let toastTimer;
/** A short message in the polite live region. */
export function toast(message) {
  const el = document.getElementById('toast');
  el.textContent = message;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.textContent = ''; }, 5000);
}
