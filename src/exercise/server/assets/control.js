// Exercise control's page: the clock (pause, resume, speed, jump), the upcoming injects
// (fire now, delay, skip), ad-hoc injects, and the live picture: who knows the key
// facts per level, conferences in session, queues, resources, requests, objectives.
'use strict';

const BASE = '/api/control';

function command(action) {
  return act(BASE + '/act', action);
}

function numberInput(name, value, step) {
  return el('input', { type: 'number', name: name, value: value, step: step || 'any', min: 0 });
}

function clockControls(c) {
  const speed = numberInput('speed', c.speed);
  const jump = numberInput('jump', 10);
  return el('div', { class: 'row' },
    c.paused
      ? el('button', { id: 'resume', onclick: () => command({ do: 'resume' }) }, W.resume)
      : el('button', { id: 'pause', onclick: () => command({ do: 'pause' }) }, W.pause),
    el('label', {}, W.speed + ' ×', speed),
    el('button', { class: 'quiet', onclick: () => command({ do: 'speed', x: Number(speed.value) }) }, W.set_speed),
    el('label', {}, W.jump + ' ', jump),
    el('button', { class: 'quiet', onclick: () => command({ do: 'jump', minutes: Number(jump.value) }) }, W.jump_button));
}

function upcoming(list) {
  if (!list.length) return el('p', { class: 'empty' }, W.none);
  return table([W.at, W.inject, W.description, ''], list.map(i => {
    const delay = numberInput('delay:' + i.id, 10);
    return el('tr', { 'data-inject': i.inject },
      el('td', { class: 'time' }, i.at_clock || i.after || ''),
      el('td', { class: 'nowrap' }, i.id),
      el('td', {}, i.description),
      el('td', { class: 'actions' }, el('div', { class: 'row' },
        el('button', { onclick: () => command({ do: 'fire_now', inject: i.inject }) }, W.fire_now),
        delay, W.minutes,
        el('button', { class: 'quiet', onclick: () => command({ do: 'delay', inject: i.inject, minutes: Number(delay.value) }) }, W.delay),
        el('button', { class: 'quiet', onclick: () => { if (confirm(W.confirm_skip)) command({ do: 'skip', inject: i.inject }); } }, W.skip))));
  }));
}

function pick(name, list, extra) {
  return el('select', { name: name }, options((extra || []).concat(list.map(x => ({ value: x, label: x })))));
}

function severityPick(name) {
  return el('select', { name: name }, options([1, 2, 3, 4, 5].map(s => ({ value: String(s), label: String(s) })), '3'));
}

function adHocForm(legend, fields, action) {
  const form = el('form', {}, el('fieldset', {}, el('legend', {}, legend), el('div', { class: 'row' }, fields,
    el('button', { type: 'submit' }, W.apply))));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    if (await command(action())) form.reset();
  });
  return form;
}

function adHoc(v) {
  const fUnit = pick('fact-unit', v.units), fId = el('input', { type: 'text', name: 'fact-id', required: true });
  const fText = el('input', { type: 'text', name: 'fact-text', required: true }), fSev = severityPick('fact-sev');
  const mTo = pick('msg-to', v.units), mId = el('input', { type: 'text', name: 'msg-id', required: true });
  const mText = el('input', { type: 'text', name: 'msg-text', required: true }), mSev = severityPick('msg-sev');
  const iTarget = pick('infra-target', v.infrastructure);
  const iArea = pick('infra-area', v.areas, [{ value: '', label: W.everywhere }]);
  const iState = el('select', { name: 'infra-state' }, options([
    { value: 'down', label: W.down }, { value: 'up', label: W.up }, { value: 'overloaded', label: W.overloaded }]));
  const iLoss = el('input', { type: 'number', name: 'infra-loss', min: 0, max: 1, step: 0.05, value: 0.5 });
  return el('div', { class: 'cols' },
    adHocForm(W.fact_at_unit, [el('label', {}, W.unit + ' ', fUnit), el('label', {}, W.fact_id + ' ', fId),
      el('label', {}, W.text + ' ', fText), el('label', {}, W.severity + ' ', fSev)],
    () => ({ do: 'fact', unit: fUnit.value, id: fId.value.trim(), text: fText.value.trim(), severity: Number(fSev.value) })),
    adHocForm(W.message_to_unit, [el('label', {}, W.to + ' ', mTo), el('label', {}, W.fact_id + ' ', mId),
      el('label', {}, W.text + ' ', mText), el('label', {}, W.severity + ' ', mSev)],
    () => ({ do: 'message', to: mTo.value, id: mId.value.trim(), text: mText.value.trim(), severity: Number(mSev.value) })),
    adHocForm(W.infrastructure, [el('label', {}, W.infrastructure + ' ', iTarget), el('label', {}, W.areas + ' ', iArea),
      el('label', {}, W.infra_state + ' ', iState), el('label', {}, W.loss + ' ', iLoss)],
    () => ({
      do: 'infra', target: iTarget.value, state: iState.value, areas: iArea.value ? [iArea.value] : null,
      loss: iState.value === 'overloaded' ? Number(iLoss.value) : null,
    })));
}

function share(pair) {
  const [knowing, meant] = pair;
  if (!meant) return el('td', { class: 'num' }, '–');
  const width = Math.round(80 * knowing / meant);
  return el('td', { class: 'num' }, knowing + ' / ' + meant, ' ',
    el('span', { class: 'bar-bg' }, el('span', { style: 'width:' + width + 'px' })));
}

function spread(list) {
  if (!list.length) return el('p', { class: 'empty' }, W.none);
  return table([W.fact, [W.levels[0], 'num'], [W.levels[1], 'num'], [W.levels[2], 'num']],
    list.map(s => el('tr', { 'data-fact': s.fact.id }, el('td', {}, s.fact.text, ' ', el('span', { class: 'id' }, s.fact.id)),
      // The view lists executive, coordinating, strategic (model order); shown top down.
      [2, 1, 0].map(l => share(s.levels[l])))));
}

function queues(list) {
  if (!list.length) return el('p', { class: 'empty' }, W.none);
  return table([W.unit, [W.waiting, 'num'], [W.busy, 'num']], list.map(q => el('tr', { 'data-unit': q.unit },
    el('td', {}, q.name, ' ', el('span', { class: 'id' }, q.unit), ' ', q.played ? el('span', { class: 'badge neutral' }, W.played) : null),
    el('td', { class: 'num waiting' }, q.waiting), el('td', { class: 'num busy' }, q.busy))));
}

function pools(list) {
  if (!list.length) return el('p', { class: 'empty' }, W.none);
  const n = x => el('td', { class: 'num' }, x);
  return table([W.org, W.resource, [W.in_use, 'num'], [W.idle, 'num'], [W.in_transit, 'num'], [W.demanded, 'num'], [W.unmet, 'num']],
    list.map(p => el('tr', {}, el('td', {}, p.org), el('td', {}, p.resource), n(p.in_use), n(p.idle), n(p.in_transit),
      n(p.demanded), n(p.unmet))));
}

function objectives(list) {
  if (!list.length) return el('p', { class: 'empty' }, W.none);
  return table([W.objective, W.state, [W.value, 'num']], list.map(o => el('tr', {},
    el('td', {}, o.description, ' ', el('span', { class: 'id' }, o.id)),
    el('td', {}, el('span', { class: 'badge ' + (o.met ? 'met' : 'notmet') }, o.met ? W.met : W.not_met)),
    el('td', { class: 'num' }, fmt(o.value)))));
}

function part(app, key, title, data, build) {
  fill(slot(app, key, 'section'), data, () => el('div', {}, el('h2', {}, title), build(data)));
}

function render(v) {
  setClock(v.clock);
  const app = document.getElementById('app');
  fill(slot(app, 'about'), [v.scenario, v.played], () => el('p', { class: 'note' }, v.scenario + ' · ' + W.played_orgs + ': ' + v.played.join(', ')));
  part(app, 'clock', W.clock, { paused: v.clock.paused, speed: v.clock.speed }, clockControls);
  part(app, 'upcoming', W.upcoming, v.upcoming, upcoming);
  part(app, 'adhoc', W.ad_hoc, { units: v.units, areas: v.areas, infrastructure: v.infrastructure }, adHoc);
  part(app, 'spread', W.spread, v.spread, spread);
  part(app, 'in-session', W.conferences + ' – ' + W.in_session, v.in_session,
    list => list.length ? el('ul', {}, list.map(c => el('li', {}, c))) : el('p', { class: 'empty' }, W.none));
  part(app, 'queues', W.queues, v.queues, queues);
  part(app, 'pools', W.pools, v.pools, pools);
  part(app, 'requests', W.requests, v.requests, requestsTable);
  part(app, 'objectives', W.objectives, v.objectives, objectives);
  fill(slot(app, 'footer', 'footer'), v.log_rows, () => document.createTextNode(v.log_rows + ' ' + W.log_rows));
}

live(BASE + '/events', render);
