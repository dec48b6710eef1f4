// The analysts' UI: vanilla JS against the documentor API. Every value is rendered with textContent.
const $ = (id) => document.getElementById(id);
const state = {
  token: localStorage.getItem('documentor.token') || '',
  cursor: null,
  open: null,
  events: null,
  // Labels traffic showed for the first time while this page was open and nobody has documented yet.
  fresh: new Map(),
};

const el = (tag, props = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c ?? '')));
  return node;
};

async function api(path, options = {}) {
  const res = await fetch(path, {
    ...options,
    headers: { authorization: `Bearer ${state.token}`, ...(options.headers || {}) },
  });
  const body = res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text();
  return { status: res.status, etag: res.headers.get('etag'), body };
}

const csv = (s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

// ---- catalog list and groups ----
function query(extra = {}) {
  const p = new URLSearchParams();
  const add = (k, v) => v && p.set(k, v);
  add('q', $('search').value.trim());
  add('group', $('f-group').value);
  add('status', $('f-status').value);
  add('documented', $('f-documented').value);
  // "not seen for 30 days" is the staleDays filter (documented labels only), the others are tracked=.
  if ($('f-tracked').value === 'stale') p.set('staleDays', '30');
  else add('tracked', $('f-tracked').value);
  p.set('limit', '50');
  for (const [k, v] of Object.entries(extra)) add(k, v);
  return p.toString();
}

function trafficCell(item) {
  const seen = item.tracking ? `${item.tracking.totalCount} seen` : 'not seen';
  if (!state.fresh.has(item.name) || item.documented) return seen;
  return el('span', {}, el('span', { class: 'badge new' }, 'new in traffic'), ` ${seen}`);
}

function docBadge(item) {
  if (item.label?.status === 'deprecated') return el('span', { class: 'badge warn' }, 'deprecated');
  return item.documented
    ? el('span', { class: 'badge ok' }, 'documented')
    : el('span', { class: 'badge bad' }, 'missing');
}

async function loadList(append = false) {
  const res = await api(`/labels?${query(append ? { cursor: state.cursor } : {})}`);
  if (res.status !== 200) return showAuth(res);
  const tbody = $('results').tBodies[0];
  if (!append) tbody.replaceChildren();
  for (const item of res.body.items) {
    const fresh = state.fresh.has(item.name) && !item.documented;
    const row = el(
      'tr',
      { 'data-name': item.name, class: fresh ? 'fresh' : '', onclick: () => openLabel(item.name) },
      el('td', {}, item.name),
      el('td', {}, item.label?.status ?? '—'),
      el('td', {}, item.label?.ownerTeam ?? '—'),
      el('td', {}, docBadge(item)),
      el('td', {}, trafficCell(item)),
    );
    tbody.append(row);
  }
  state.cursor = res.body.nextCursor;
  $('more').hidden = !state.cursor;
  $('count').textContent = `${res.body.total} labels`;
}

async function loadGroups() {
  const res = await api('/groups');
  if (res.status !== 200) return;
  const tbody = $('groups').tBodies[0];
  const select = $('f-group');
  const chosen = select.value;
  tbody.replaceChildren();
  select.replaceChildren(el('option', { value: '' }, 'all groups'));
  for (const g of res.body.groups) {
    const pct = g.coverage === null ? '—' : `${Math.round(g.coverage * 100)}%`;
    tbody.append(
      el(
        'tr',
        {
          'data-group': g.group,
          onclick: () => {
            select.value = g.group;
            loadList();
          },
        },
        el('td', {}, g.group),
        el('td', {}, `${g.documented}/${g.labels}`),
        el('td', { title: `${g.trackedUndocumented} tracked but undocumented` }, pct),
        el(
          'td',
          {
            class: g.trackedUndocumented > 0 ? 'undoc' : '',
            title: g.undocumentedExamples.join(', ') || 'every tracked label is documented',
            onclick: (e) => {
              // The group's to-do list: tracked in traffic, not documented.
              e.stopPropagation();
              select.value = g.group;
              $('f-documented').value = 'false';
              $('f-tracked').value = 'true';
              loadList();
            },
          },
          String(g.trackedUndocumented),
        ),
        el(
          'td',
          {
            class: g.staleDocumented > 0 ? 'stale' : '',
            title: `documented but not seen in traffic for ${res.body.staleDays} days (click: list them)`,
            onclick: (e) => {
              e.stopPropagation();
              select.value = g.group;
              $('f-documented').value = '';
              $('f-tracked').value = 'stale';
              loadList();
            },
          },
          g.staleDocumented === null ? '—' : String(g.staleDocumented),
        ),
      ),
    );
    select.append(el('option', { value: g.group }, g.group));
  }
  select.value = chosen;
}

// ---- one label: view, edit, conflict, history, deprecate ----
function fillForm(label) {
  $('e-description').value = label?.description ?? '';
  $('e-owner').value = label?.ownerTeam ?? '';
  $('e-status').value = label?.status ?? 'draft';
  $('e-kind').value = label?.valueType.kind ?? 'string';
  $('e-values').value = label?.valueType.kind === 'enum' ? label.valueType.values.join(', ') : '';
  $('e-tags').value = (label?.tags ?? []).join(', ');
  $('e-pii').checked = label?.pii.isPii ?? false;
  $('e-reason').value = '';
}

function formInput() {
  const base = state.open.label ?? {};
  const kind = $('e-kind').value;
  const input = {
    description: $('e-description').value,
    ownerTeam: $('e-owner').value.trim(),
    valueType: kind === 'enum' ? { kind, values: csv($('e-values').value) } : { kind },
    examples: base.examples ?? [],
    pii: {
      isPii: $('e-pii').checked,
      category: $('e-pii').checked ? (base.pii?.category ?? 'other') : 'none',
    },
    tags: csv($('e-tags').value),
    status: $('e-status').value,
  };
  if (base.startOfUse) input.startOfUse = base.startOfUse;
  if (base.deprecation) input.deprecation = base.deprecation;
  return input;
}

async function openLabel(name) {
  const res = await api(`/labels/${encodeURIComponent(name)}`);
  state.open =
    res.status === 200
      ? { name, version: res.body.version, label: res.body.label }
      : { name, version: 0, label: null };
  $('detail').hidden = false;
  $('d-name').textContent = name;
  $('d-version').textContent = state.open.version ? `version ${state.open.version}` : 'not documented yet';
  for (const id of ['conflict', 'notice']) $(id).hidden = true;
  $('errors').replaceChildren();
  $('saved').textContent = '';
  fillForm(state.open.label);
  await loadHistory();
}

function showConflict(res, mine) {
  const current = res.body.error.currentVersion;
  const box = $('conflict');
  box.replaceChildren(
    el('strong', {}, 'Someone else changed this label first. '),
    `It is now at version ${current}; you edited version ${state.open.version}. Your changes were not saved. `,
    el(
      'button',
      { type: 'button', id: 'load-theirs', onclick: () => openLabel(state.open.name) },
      'Load their version',
    ),
    ' ',
    el(
      'button',
      { type: 'button', id: 'keep-mine', onclick: () => overwrite(mine, current) },
      'Save mine over theirs',
    ),
  );
  box.hidden = false;
}

async function overwrite(mine, version) {
  state.open.version = version;
  await save(mine);
}

async function save(input) {
  const { name, version } = state.open;
  const reason = $('e-reason').value.trim();
  const headers = {
    'content-type': 'application/json',
    [version ? 'if-match' : 'if-none-match']: version ? `"${version}"` : '*',
  };
  if (reason) headers['x-change-reason'] = encodeURIComponent(reason);
  const res = await api(`/labels/${encodeURIComponent(name)}`, {
    method: 'PUT',
    headers,
    body: JSON.stringify(input),
  });
  $('errors').replaceChildren();
  if (res.status === 200 || res.status === 201) {
    state.open = { name, version: res.body.version, label: res.body.label };
    $('d-version').textContent = `version ${res.body.version}`;
    $('conflict').hidden = true;
    $('saved').textContent = `Saved as version ${res.body.version}`;
    await Promise.all([loadHistory(), loadList(), loadGroups()]);
  } else if (res.status === 409 || res.status === 412) showConflict(res, input);
  else showErrors(res);
}

function showErrors(res) {
  const fields = res.body?.error?.fields ?? [
    { path: res.body?.error?.code ?? res.status, message: res.body?.error?.message ?? '' },
  ];
  $('errors').replaceChildren(...fields.map((f) => el('li', {}, `${f.path}: ${f.message}`)));
}

async function loadHistory() {
  const list = $('history');
  list.replaceChildren();
  const res = await api(`/labels/${encodeURIComponent(state.open.name)}/history`);
  if (res.status !== 200) return;
  for (const e of [...res.body.events].reverse()) {
    const changes = e.changes.map((c) =>
      el('div', { class: 'change' }, `${c.field}: ${JSON.stringify(c.before)} → ${JSON.stringify(c.after)}`),
    );
    list.append(
      el(
        'li',
        { 'data-version': e.version },
        el('strong', {}, `v${e.version} ${e.kind}`),
        ` by ${e.actor}, ${new Date(e.at).toLocaleString()}`,
        e.reason ? el('div', { class: 'muted' }, `“${e.reason}”`) : '',
        ...changes,
      ),
    );
  }
}

async function deprecate(event) {
  event.preventDefault();
  const body = { date: $('dp-date').value };
  if ($('dp-replacement').value.trim()) body.replacement = $('dp-replacement').value.trim();
  if ($('dp-reason').value.trim()) body.reason = $('dp-reason').value.trim();
  const res = await api(`/labels/${encodeURIComponent(state.open.name)}/deprecate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'if-match': `"${state.open.version}"` },
    body: JSON.stringify(body),
  });
  if (res.status === 200) {
    $('deprecate-box').open = false;
    await openLabel(state.open.name);
    await loadList();
  } else if (res.status === 409 || res.status === 412) showConflict(res, formInput());
  else showErrors(res);
}

// ---- new labels from traffic ----
function noteTracked(labels) {
  for (const t of labels) {
    if (t.kind === 'new' && t.nameValid && !t.documented) state.fresh.set(t.name, t);
    else if (t.kind === 'gone' || t.documented) state.fresh.delete(t.name);
  }
  renderFresh();
}

function renderFresh() {
  const newest = [...state.fresh.values()].slice(-20).reverse();
  $('fresh-box').hidden = newest.length === 0;
  $('fresh-count').textContent = String(state.fresh.size);
  $('fresh').replaceChildren(
    ...newest.map((t) =>
      el(
        'li',
        { 'data-name': t.name, onclick: () => openLabel(t.name) },
        el('span', { class: 'badge bad' }, 'undocumented'),
        ` ${t.name}`,
      ),
    ),
  );
}

// At most one refresh of list and coverage per half second, however many events arrive (the first
// traffic can bring 1,400 new labels within seconds); a change during a refresh triggers one more.
const refresh = { timer: null, dirty: false };
function scheduleRefresh() {
  refresh.dirty = true;
  if (refresh.timer) return;
  refresh.timer = setTimeout(async () => {
    refresh.dirty = false;
    try {
      await Promise.all([loadList(), loadGroups()]);
    } finally {
      refresh.timer = null;
      if (refresh.dirty) scheduleRefresh();
    }
  }, 500);
}

// ---- live updates from every instance ----
function connectEvents() {
  state.events?.close();
  const source = new EventSource(`/events?access_token=${encodeURIComponent(state.token)}`);
  state.events = source;
  const live = (on) => {
    $('live').textContent = on ? 'live' : 'offline';
    $('live').classList.toggle('on', on);
  };
  source.onopen = () => live(true);
  source.onerror = () => live(false);
  source.addEventListener('label', (msg) => {
    const change = JSON.parse(msg.data);
    if (state.open?.name === change.name && change.version > state.open.version) {
      const notice = $('notice');
      notice.textContent = `${change.updatedBy ?? 'Someone'} just changed this label (version ${change.version}). `;
      notice.append(el('button', { type: 'button', onclick: () => openLabel(change.name) }, 'Show latest'));
      notice.hidden = false;
    }
    // Someone wrote the label: it is being documented, so it leaves the "new in traffic" list.
    if (!change.deleted && state.fresh.delete(change.name)) renderFresh();
    scheduleRefresh();
  });
  source.addEventListener('tracked', (msg) => {
    noteTracked(JSON.parse(msg.data).labels);
    scheduleRefresh();
  });
}

function showAuth(res) {
  $('count').textContent =
    res.status === 401 ? 'Enter a valid token to see the catalog.' : `Error ${res.status}`;
  $('results').tBodies[0].replaceChildren();
}

async function start() {
  $('token').value = state.token;
  if (!state.token) return showAuth({ status: 401 });
  await Promise.all([loadList(), loadGroups()]);
  connectEvents();
}

$('token-form').addEventListener('submit', (e) => {
  e.preventDefault();
  state.token = $('token').value.trim();
  localStorage.setItem('documentor.token', state.token);
  void start();
});
let typing;
$('search').addEventListener('input', () => {
  clearTimeout(typing);
  typing = setTimeout(() => loadList(), 200);
});
for (const id of ['f-group', 'f-status', 'f-documented', 'f-tracked'])
  $(id).addEventListener('change', () => loadList());
$('filters').addEventListener('submit', (e) => {
  e.preventDefault();
  loadList();
});
$('more').addEventListener('click', () => loadList(true));
$('d-close').addEventListener('click', () => {
  $('detail').hidden = true;
  state.open = null;
});
$('edit').addEventListener('submit', (e) => {
  e.preventDefault();
  save(formInput());
});
$('deprecate').addEventListener('submit', deprecate);
void start();
