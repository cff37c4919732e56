// 预警工作台: the alert inbox. Newest first (the API's order), overdue rows highlighted, new alerts
// merged in by polling GET /api/v1/alerts?since=…, acknowledge with a note.
import { api, download, query, ApiError } from './api.js';
import { h, fill, field, select, toast } from './dom.js';
import { ALERT_TYPES, SEVERITIES, STATUSES, label } from './labels.js';
import { dateTime, age } from './format.js';
import { regionPicker, regionsOf } from './regions.js';

const PAGE_SIZE = 50;
const POLL_MS = 5000;
// Alerts reach the read model a moment after they are raised, and not in raisedAt order across
// households: each poll looks back this far before the newest alert seen, and merges by id.
const LOOK_BACK_MS = 120000;
// An open alert nobody acknowledged within a day is overdue: the first escalation step of the
// contract (CONTRACT §7, 24 h to county level). When escalation exists, its level shows here too.
const OVERDUE_MS = 24 * 3600 * 1000;
const RANK = { open: 0, acknowledged: 1, resolved: 2 };

// Filters as [parameter, label, options]. Escalation and silences (issue 13, CONTRACT §7) add
// theirs here, and their row actions to rowActions() below, once the API has them.
const FILTERS = [
  ['status', '状态', [['open', STATUSES.open], ['acknowledged', STATUSES.acknowledged], ['resolved', STATUSES.resolved], ['', '全部']]],
  ['type', '类型', [['', '全部'], ...Object.entries(ALERT_TYPES)]],
  ['severity', '级别', [['', '全部'], ...Object.entries(SEVERITIES)]],
];

export async function render(main, { params }) {
  const state = {
    filters: Object.fromEntries(FILTERS.map(([name]) => [name, params.get(name) ?? (name === 'status' ? 'open' : '')])),
    region: params.get('region') || '',
    alerts: new Map(),
    fresh: new Set(),
    nextCursor: null,
    countyNames: new Map(),
    polled: null,
  };

  const selects = FILTERS.map(([name, text, options]) => {
    const el = select('filter-' + name, options, state.filters[name]);
    el.addEventListener('change', () => { state.filters[name] = el.value; reload(); });
    return field(text, el);
  });
  const picker = regionPicker({ value: state.region, township: true, idPrefix: 'inbox-region',
    onChange: (code) => { state.region = code; reload(); } });
  const summary = h('p', { class: 'summary', 'aria-live': 'polite' });
  const body = h('tbody');
  const more = h('button', { type: 'button', class: 'secondary load-more', hidden: true }, '加载更多');
  more.addEventListener('click', () => load(true));
  const refresh = h('button', { type: 'button', class: 'secondary' }, '刷新');
  refresh.addEventListener('click', () => reload());
  const exportButtons = ['xlsx', 'csv'].map((format) => {
    const b = h('button', { type: 'button', class: 'secondary', id: 'export-alerts-' + format },
      format === 'xlsx' ? '导出 Excel' : '导出 CSV');
    b.addEventListener('click', () => exportAlerts(format, b));
    return b;
  });
  const columns = ['级别', '类型', '户编号', '所在区域', '发生时间', '已持续', '状态', '操作'];
  const dialog = ackDialog((alert) => {
    merge([alert], false, true);
    draw();
  });

  fill(main,
    h('h1', {}, '预警工作台'),
    h('form', { class: 'panel filters', role: 'search', 'aria-label': '筛选预警', onsubmit: (e) => e.preventDefault() },
      selects, picker.element, h('div', { class: 'actions' }, refresh, exportButtons)),
    summary,
    h('div', { class: 'table-wrap cards' },
      h('table', { class: 'cards', id: 'alerts' },
        h('caption', {}, '按发生时间排序，最新在前；超过 24 小时未处理的标为“超时”。'),
        h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c)))),
        body)),
    more,
    dialog.element);

  function url() {
    const q = { ...state.filters, region: state.region };
    history.replaceState(null, '', '#/inbox' + query(q));
  }

  async function reload() {
    url();
    state.alerts.clear();
    state.fresh.clear();
    state.nextCursor = null;
    await load(false);
  }

  async function load(append) {
    const q = { ...state.filters, region: state.region, limit: PAGE_SIZE };
    if (append && state.nextCursor) q.cursor = state.nextCursor;
    try {
      const page = await api('/alerts' + query(q));
      state.nextCursor = page.nextCursor;
      merge(page.alerts, false, false);
      draw();
    } catch (e) {
      fill(body, h('tr', {}, h('td', { colspan: columns.length, class: 'error' }, '加载失败：' + e.message)));
    }
  }

  // Polling: alerts raised since shortly before the newest one seen, whatever their status now, so
  // rows already shown also take their new status (and new ones join when they match the filter).
  async function poll() {
    const newest = Math.max(0, ...[...state.alerts.values()].map((a) => Date.parse(a.raisedAt)));
    const since = new Date((newest || Date.now()) - LOOK_BACK_MS).toISOString();
    const q = { type: state.filters.type, severity: state.filters.severity, region: state.region, since, limit: 500 };
    try {
      const page = await api('/alerts' + query(q));
      state.polled = new Date();
      // Redrawn only when something changed, so focus and screen readers are left alone.
      if (merge(page.alerts, true, false)) draw();
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401) summary.dataset.error = e.message;
    }
  }

  /**
   * Adds or updates alerts; a status never goes back (open → acknowledged → resolved), so a read
   * model that has not caught up with an acknowledgement does not undo it. Says whether anything changed.
   */
  function merge(list, live, force) {
    let added = 0;
    let changed = false;
    for (const a of list) {
      const known = state.alerts.get(a.alertId);
      if (known) {
        if ((force || RANK[a.status] >= RANK[known.status]) && JSON.stringify(known) !== JSON.stringify(a)) {
          state.alerts.set(a.alertId, a);
          changed = true;
        }
      } else if (!live || !state.filters.status || a.status === state.filters.status) {
        changed = true;
        state.alerts.set(a.alertId, a);
        if (live) {
          state.fresh.add(a.alertId);
          added++;
        }
      }
    }
    if (added) toast('新增 ' + added + ' 条预警');
    return changed;
  }

  function sorted() {
    return [...state.alerts.values()].sort((a, b) =>
      b.raisedAt.localeCompare(a.raisedAt) || (b.alertId < a.alertId ? -1 : b.alertId > a.alertId ? 1 : 0));
  }

  function draw() {
    const focused = document.activeElement && document.activeElement.dataset.focusKey;
    const now = Date.now();
    const alerts = sorted();
    let overdue = 0;
    const rows = alerts.map((a) => {
      const late = a.status === 'open' && now - Date.parse(a.raisedAt) > OVERDUE_MS;
      if (late) overdue++;
      return row(a, late, state.fresh.has(a.alertId), now);
    });
    fill(body, rows.length ? rows : h('tr', {}, h('td', { colspan: columns.length, class: 'muted' }, '没有符合条件的预警。')));
    more.hidden = !state.nextCursor;
    fill(summary,
      h('span', {}, '显示 ', h('strong', {}, alerts.length), ' 条'),
      h('span', {}, '超时 ', h('strong', { class: overdue ? 'error' : '' }, overdue), ' 条'),
      h('span', { class: 'muted' }, '每 ' + POLL_MS / 1000 + ' 秒自动更新', state.polled ? '，最近 ' + dateTime(state.polled.toISOString()) : ''));
    picker.offerTownships(alerts.map((a) => a.regionCode).filter((c) => c.length > 6));
    namesFor(alerts);
    if (focused) {
      const again = body.querySelector('[data-focus-key="' + CSS.escape(focused) + '"]');
      if (again) again.focus();
    }
  }

  function row(a, late, fresh, now) {
    const cls = [late ? 'overdue' : '', fresh ? 'fresh' : ''].join(' ').trim();
    const county = state.countyNames.get(a.countyCode);
    const cells = [
      h('span', { class: 'sev-' + a.severity }, label(SEVERITIES, a.severity)),
      [label(ALERT_TYPES, a.type), h('span', { class: 'alert-summary' }, (a.summary || '').split(' / ')[0])],
      h('a', { href: '#/household/' + encodeURIComponent(a.householdId), 'data-focus-key': 'hh:' + a.alertId }, a.householdId),
      [county ? county + ' ' : '', h('span', { class: 'muted' }, a.regionCode)],
      dateTime(a.raisedAt),
      [age(a.raisedAt, now), late ? h('span', { class: 'badge tag-overdue' }, '超时') : null],
      [h('span', { class: 'st-' + a.status }, label(STATUSES, a.status)),
        fresh ? h('span', { class: 'badge tag-new' }, '新') : null,
        a.acknowledgedAt ? h('span', { class: 'ack-info' }, a.acknowledgedBy + ' 确认于 ' + dateTime(a.acknowledgedAt)) : null,
        a.resolvedAt ? h('span', { class: 'ack-info' }, '解除于 ' + dateTime(a.resolvedAt)) : null],
      rowActions(a),
    ];
    return h('tr', { class: cls, dataset: { alertId: a.alertId, status: a.status } },
      cells.map((c, i) => h('td', { dataset: { label: columns[i] }, class: i === 7 ? 'actions-cell' : '' }, c)));
  }

  function rowActions(a) {
    if (a.status !== 'open') return '';
    const b = h('button', { type: 'button', class: 'ack', 'data-focus-key': 'ack:' + a.alertId,
      'aria-label': '确认预警 ' + a.alertId }, '确认');
    b.addEventListener('click', () => dialog.open(a, b));
    return b;
  }

  async function namesFor(alerts) {
    const prefectures = new Set(alerts.map((a) => a.countyCode.slice(0, 4)).filter((p) => !state.countyNames.has('p' + p)));
    if (!prefectures.size) return;
    let changed = false;
    for (const p of prefectures) {
      state.countyNames.set('p' + p, true);
      try {
        for (const r of await regionsOf('county', p)) {
          if (r.name) { state.countyNames.set(r.code, r.name); changed = true; }
        }
      } catch (e) { /* names are a nicety: codes stay */ }
    }
    if (changed) draw();
  }

  async function exportAlerts(format, button) {
    button.disabled = true;
    try {
      const name = await download('/exports/alerts' + query({ ...state.filters, region: state.region, format }));
      toast('已导出 ' + name);
    } catch (e) {
      toast('导出失败：' + e.message);
    } finally {
      button.disabled = false;
    }
  }

  url();
  await picker.ready;
  await load(false);
  const timer = setInterval(poll, POLL_MS);
  const ticker = setInterval(draw, 60000);
  return () => { clearInterval(timer); clearInterval(ticker); };
}

/** The acknowledge dialog: an optional note (处理说明) goes to the household's history. */
function ackDialog(onAcknowledged) {
  const note = h('textarea', { id: 'ack-note', name: 'note', maxlength: 1000 });
  const title = h('h2', { id: 'ack-title' });
  const message = h('p', { class: 'error', role: 'alert' });
  const submit = h('button', { type: 'submit' }, '确认预警');
  const cancel = h('button', { type: 'button', class: 'secondary' }, '取消');
  const form = h('form', { method: 'dialog' }, title, field('处理说明（记入该户历史）', note), message,
    h('div', { class: 'buttons' }, cancel, submit));
  const element = h('dialog', { id: 'ack-dialog', 'aria-labelledby': 'ack-title' }, form);
  let current = null;
  let opener = null;
  cancel.addEventListener('click', () => element.close());
  element.addEventListener('close', () => { if (opener && opener.isConnected) opener.focus(); });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    submit.disabled = true;
    message.textContent = '';
    try {
      const body = note.value.trim() ? { note: note.value.trim() } : {};
      const alert = await api('/alerts/' + encodeURIComponent(current.alertId) + '/acknowledge', { method: 'POST', body });
      element.close();
      onAcknowledged(alert);
      toast('已确认预警 ' + alert.alertId);
    } catch (err) {
      message.textContent = '确认失败：' + err.message;
    } finally {
      submit.disabled = false;
    }
  });
  return {
    element,
    open(alert, button) {
      current = alert;
      opener = button;
      title.textContent = '确认预警：' + label(ALERT_TYPES, alert.type) + '（户 ' + alert.householdId + '）';
      note.value = '';
      message.textContent = '';
      element.showModal();
      note.focus();
    },
  };
}
