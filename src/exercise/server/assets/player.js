// The page of one played organisation: per unit its inbox (mark handled), what it
// knows, a send form (recipients from its links, channels that work now), a request
// form; the conferences its units take part in; its requests.
'use strict';

const ORG = document.body.dataset.org;
const BASE = '/api/play/' + encodeURIComponent(ORG);

function send(action) {
  return act(BASE + '/act', action);
}

function inbox(u) {
  if (!u.inbox.length) return el('div', {}, el('h3', {}, W.inbox), el('p', { class: 'empty' }, W.inbox_empty));
  const rows = u.inbox.map(m => el('tr', { 'data-msg': m.msg },
    el('td', { class: 'time' }, m.delivered_clock),
    el('td', {}, m.from ? m.from_name : W.exercise_control),
    el('td', {}, W.kind_names[m.kind] || m.kind),
    el('td', {}, m.channel),
    el('td', {}, factList(m.facts)),
    el('td', {}, el('button', {
      class: 'handled',
      onclick: ev => { ev.target.disabled = true; send({ do: 'handled', unit: u.id, msg: m.msg }).then(ok => { if (!ok) ev.target.disabled = false; }); },
    }, W.handled))));
  return el('div', {}, el('h3', {}, W.inbox + ' (' + u.inbox.length + ')'),
    table([W.time, W.from, W.kind, W.channel, W.facts, ''], rows));
}

function channelOptions(recipient) {
  const list = [{ value: '', label: W.channel_auto }];
  for (const c of recipient ? recipient.channels : []) {
    list.push({ value: c.id, label: c.works ? c.id : c.id + ' (' + W.channel_down + ')', disabled: !c.works });
  }
  return options(list, '');
}

function sendForm(u) {
  if (!u.recipients.length) return el('div', {}, el('h3', {}, W.send), el('p', { class: 'empty' }, W.no_recipients));
  const to = el('select', { name: 'to' }, options(u.recipients.map(r => ({ value: r.unit, label: r.name + ' – ' + (W.kind_names[r.flow] || r.flow) }))));
  const channel = el('select', { name: 'channel' }, channelOptions(u.recipients[0]));
  to.addEventListener('change', () => channel.replaceChildren(...channelOptions(u.recipients.find(r => r.unit === to.value))));
  const facts = u.known.map(f => el('label', { class: 'fact' },
    el('input', { type: 'checkbox', name: 'fact', value: f.id }), ' ', f.text, ' ', el('span', { class: 'id' }, f.id)));
  const text = el('textarea', { name: 'text', rows: 2 });
  const severity = el('select', { name: 'severity' }, options([1, 2, 3, 4, 5].map(s => ({ value: String(s), label: String(s) })), '3'));
  const form = el('form', { class: 'send' },
    el('div', { class: 'row' }, el('label', {}, W.to + ' ', to), el('label', {}, W.channel + ' ', channel)),
    facts.length ? el('fieldset', {}, el('legend', {}, W.facts), facts) : null,
    el('label', { class: 'block' }, W.new_text, text),
    el('div', { class: 'row' }, el('label', {}, W.severity + ' ', severity), el('button', { type: 'submit' }, W.send_button)));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    const chosen = [...form.querySelectorAll('input[name=fact]:checked')].map(i => i.value);
    const words = text.value.trim();
    const ok = await send({
      do: 'send', unit: u.id, to: to.value, facts: chosen,
      text: words || null, severity: words ? Number(severity.value) : null, channel: channel.value || null,
    });
    if (ok) {
      form.querySelectorAll('input[name=fact]').forEach(i => { i.checked = false; });
      text.value = '';
    }
  });
  return el('div', {}, el('h3', {}, W.send), form);
}

function requestForm(u, v) {
  if (!v.incidents.length || !v.resources.length) return el('div', {});
  const incident = el('select', { name: 'incident' }, options(v.incidents.map(i => ({ value: i, label: i }))));
  const resource = el('select', { name: 'resource' }, options(v.resources.map(r => ({ value: r, label: r }))));
  const count = el('input', { type: 'number', name: 'count', min: 1, value: 1 });
  const form = el('form', { class: 'request' },
    el('div', { class: 'row' }, el('label', {}, W.incident + ' ', incident), el('label', {}, W.resource + ' ', resource),
      el('label', {}, W.count + ' ', count), el('button', { type: 'submit' }, W.request_button)));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    await send({ do: 'request', unit: u.id, incident: incident.value, resource: resource.value, count: Number(count.value) });
  });
  return el('div', {}, el('h3', {}, W.request), form);
}

function known(u) {
  return el('details', {}, el('summary', {}, W.known + ' (' + u.known.length + ')'), factList(u.known));
}

function conferences(v) {
  const body = v.conferences.length ? v.conferences.map(c => el('div', { class: 'conference' },
    el('h3', {}, c.name, ' ', el('span', { class: 'badge ' + (c.in_session ? 'on' : 'neutral') }, c.in_session ? W.in_session : W.not_in_session)),
    el('div', { class: 'note' }, W.picture + ':'),
    c.picture.length ? factList(c.picture) : el('p', { class: 'empty' }, W.no_picture))) : el('p', { class: 'empty' }, W.none);
  return el('div', {}, el('h2', {}, W.conferences), body);
}

function render(v) {
  setClock(v.clock);
  const app = document.getElementById('app');
  fill(document.getElementById('title'), v.org_name, () => document.createTextNode(W.player_title + ' – ' + v.org_name));
  for (const u of v.units) {
    const section = slot(app, 'unit:' + u.id, 'section', 'unit');
    section.dataset.unit = u.id;
    fill(slot(section, 'head:' + u.id), [u.name, u.level], () => el('h2', {}, u.name, ' ', el('span', { class: 'id' }, W.level_names[u.level] || u.level)));
    fill(slot(section, 'inbox:' + u.id), u.inbox, () => inbox(u));
    const cols = slot(section, 'cols:' + u.id, 'div', 'cols');
    fill(slot(cols, 'send:' + u.id), [u.recipients, u.known], () => sendForm(u));
    fill(slot(cols, 'request:' + u.id), [v.incidents, v.resources], () => requestForm(u, v));
    fill(slot(section, 'known:' + u.id), u.known, () => known(u));
  }
  fill(slot(app, 'conferences'), v.conferences, () => conferences(v));
  fill(slot(app, 'requests'), v.requests, () => el('div', {}, el('h2', {}, W.requests), requestsTable(v.requests)));
}

live(BASE + '/events', render);
