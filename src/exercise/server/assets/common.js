// What both exercise pages share: the words of the page's language, the access token
// from the link, building elements (data always goes in as text, never as HTML),
// sending actions, and the live event stream. See docs/exercise.md, "The server".
'use strict';

const W = JSON.parse(document.getElementById('words').textContent);
const TOKEN = new URLSearchParams(location.search).get('t') || '';

/** An element with attributes (`on…` are listeners) and children (text or elements). */
function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'style') e.style.cssText = v; // through the CSSOM: the page's policy forbids style attributes
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const kid of kids.flat(Infinity)) {
    if (kid === null || kid === undefined || kid === false) continue;
    e.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
  }
  return e;
}

/** Shows an error above the page (until the next action succeeds). */
function showError(message) {
  const box = document.getElementById('error');
  box.textContent = message;
  box.hidden = false;
}

function clearError() {
  const box = document.getElementById('error');
  box.textContent = '';
  box.hidden = true;
}

/** Sends an action; true when it was carried out, otherwise the error is shown. */
async function act(path, action) {
  let response;
  try {
    response = await fetch(path, {
      method: 'POST',
      headers: { 'Authorization': 'Bearer ' + TOKEN, 'Content-Type': 'application/json' },
      body: JSON.stringify(action),
      cache: 'no-store',
    });
  } catch (e) {
    showError(String(e));
    return false;
  }
  if (response.ok) {
    clearError();
    return true;
  }
  let message = response.status + ' ' + response.statusText;
  try {
    message = (await response.json()).error || message;
  } catch (e) { /* not JSON: keep the status */ }
  showError(message);
  return false;
}

/** Follows the view's event stream; the browser reconnects by itself after a break. */
function live(path, render) {
  const conn = document.getElementById('conn');
  const source = new EventSource(path + '?t=' + encodeURIComponent(TOKEN));
  source.addEventListener('state', ev => {
    conn.textContent = W.connected;
    conn.className = 'conn';
    render(JSON.parse(ev.data));
  });
  source.addEventListener('failure', ev => {
    showError(ev.data);
    source.close();
  });
  source.onerror = () => {
    conn.textContent = W.reconnecting;
    conn.className = 'conn lost';
  };
}

// ---- regions: each part of a page is redrawn only when its own data changed, so a
// form being filled in keeps its text, ticks and focus while the clock runs.
const slots = new Map();
const drawn = new Map();

/** The element kept under `key` inside `parent` (made and appended the first time). */
function slot(parent, key, tag, cls) {
  let e = slots.get(key);
  if (!e) {
    e = el(tag || 'div', { class: cls });
    slots.set(key, e);
    parent.append(e);
  }
  return e;
}

/** Redraws `container` with `build()` when `data` differs from the last time. */
function fill(container, data, build) {
  const sig = JSON.stringify(data);
  if (drawn.get(container) === sig) return;
  drawn.set(container, sig);
  const kept = typed(container);
  container.replaceChildren(build());
  retype(container, kept);
}

/** What the person entered in the region's fields, to put back after a redraw. */
function typed(container) {
  const kept = [];
  container.querySelectorAll('input[name], select[name], textarea[name]').forEach(f => {
    if (f.type === 'checkbox') kept.push([f.name, f.value, f.checked]);
    else kept.push([f.name, null, f.value]);
  });
  return kept;
}

function retype(container, kept) {
  for (const [name, value, entered] of kept) {
    container.querySelectorAll('[name="' + CSS.escape(name) + '"]').forEach(f => {
      if (f.type === 'checkbox') { if (f.value === value) f.checked = entered; }
      else if (f.tagName !== 'SELECT') f.value = entered;
      else if (f.value !== entered && [...f.options].some(o => o.value === entered && !o.disabled)) {
        f.value = entered;
        f.dispatchEvent(new Event('change'));
      }
    });
  }
}

// ---- pieces both pages show
function clockView(c) {
  const state = c.ended ? ['neutral', W.ended] : c.paused ? ['off', W.paused] : ['on', W.running];
  return el('span', {},
    c.now_clock, ' ',
    el('span', { class: 'id' }, '(' + fmt(c.now_min) + ' ' + W.minutes + ')'),
    el('span', { class: 'badge ' + state[0] }, state[1]),
    ' ', el('span', { class: 'id' }, W.speed + ' ×' + fmt(c.speed)));
}

function setClock(c) {
  fill(document.getElementById('clock'), c, () => clockView(c));
}

function fmt(x) {
  if (x === null || x === undefined) return '';
  return Math.abs(x - Math.round(x)) < 0.05 ? String(Math.round(x)) : x.toFixed(1);
}

function factList(facts) {
  if (!facts.length) return el('span', { class: 'empty' }, '–');
  return el('ul', { class: 'facts' }, facts.map(f =>
    el('li', {}, el('span', { class: 'sev sev' + f.severity, title: W.severity }, f.severity), f.text, ' ',
      el('span', { class: 'id' }, f.id))));
}

function table(heads, rows) {
  return el('table', {},
    el('thead', {}, el('tr', {}, heads.map(h => Array.isArray(h) ? el('th', { class: h[1] }, h[0]) : el('th', {}, h)))),
    el('tbody', {}, rows));
}

function options(list, selected) {
  return list.map(o => el('option', { value: o.value, disabled: o.disabled, selected: o.value === selected }, o.label));
}

function requestsTable(requests) {
  if (!requests.length) return el('p', { class: 'empty' }, W.none);
  return table(['#', W.incident, W.from, W.holder, W.resource, [W.count, 'num'], W.state, [W.made, 'num']],
    requests.map(r => el('tr', {}, el('td', {}, r.id), el('td', {}, r.incident), el('td', {}, r.from),
      el('td', {}, r.holder), el('td', {}, r.resource), el('td', { class: 'num' }, r.count),
      el('td', {}, r.state), el('td', { class: 'num' }, fmt(r.made_min) + ' ' + W.minutes))));
}
