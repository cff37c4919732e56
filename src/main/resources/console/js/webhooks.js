// 订阅管理 (admins): webhook subscriptions — whether each is enabled and why not, its deliveries
// with every attempt, retry, a signed test delivery, re-enable. Silences (issue 13, CONTRACT §7)
// get their own page beside this one once the API has them.
import { api, query } from './api.js';
import { h, fill, table, toast } from './dom.js';
import { ALERT_TYPES, EVENT_TYPES, SEVERITIES, WEBHOOK_DELIVERY, label } from './labels.js';
import { dateTime } from './format.js';

export async function render(main, { admin }) {
  if (!admin) {
    fill(main, h('h1', {}, '订阅管理'), h('p', { class: 'error', role: 'alert' }, '需要管理员令牌。'));
    return;
  }
  const list = h('div', { id: 'webhooks' }, h('p', { class: 'muted' }, '加载中…'));
  const deliveries = h('section', { id: 'deliveries', 'aria-live': 'polite' });
  fill(main, h('h1', {}, '订阅管理'),
    h('p', { class: 'muted' }, '告警推送订阅（Webhook）。新增或删除订阅请使用 API（POST/DELETE /api/v1/webhooks）。'),
    list, deliveries);

  async function load() {
    let subs;
    try {
      subs = (await api('/webhooks')).webhooks;
    } catch (e) {
      fill(list, h('p', { class: 'error', role: 'alert' }, '加载失败：' + e.message));
      return;
    }
    if (!subs.length) {
      fill(list, h('p', { class: 'muted' }, '还没有订阅。'));
      return;
    }
    fill(list, table([{ label: '订阅' }, { label: '接收地址' }, { label: '格式' }, { label: '筛选' }, { label: '状态' }, { label: '操作' }],
      subs.map((s) => [
        s.id, s.url, s.format, filters(s), state(s), actions(s)]),
      { cards: true, rowAttrs: (i) => ({ dataset: { webhookId: subs[i].id } }) }));
  }

  function filters(s) {
    const parts = [];
    parts.push('类型：' + (s.types && s.types.length ? s.types.map((t) => label(ALERT_TYPES, t)).join('、') : '全部'));
    parts.push('区域：' + (s.regions && s.regions.length ? s.regions.join('、') : '全部'));
    if (s.minSeverity) parts.push('最低级别：' + label(SEVERITIES, s.minSeverity));
    return parts.join('；');
  }

  function state(s) {
    if (!s.enabled) {
      return h('span', { class: 'error' }, '已停用' + (s.disabledReason ? '：' + s.disabledReason : '')
        + (s.disabledAt ? '（' + dateTime(s.disabledAt) + '）' : ''));
    }
    return [h('span', { class: 'st-resolved' }, '启用'),
      s.failingSince ? h('span', { class: 'ack-info error' }, '自 ' + dateTime(s.failingSince) + ' 起投递失败') : null];
  }

  function actions(s) {
    const buttons = [button('测试', 'test-' + s.id, () => test(s)), button('投递记录', 'deliveries-' + s.id, () => showDeliveries(s))];
    if (!s.enabled) buttons.push(button('重新启用', 'enable-' + s.id, () => enable(s)));
    return h('div', { class: 'actions' }, buttons);
  }

  async function test(s) {
    try {
      const r = await api('/webhooks/' + s.id + '/test', { method: 'POST' });
      toast(r.delivered ? '测试消息已送达（HTTP ' + r.statusCode + '，' + r.latencyMs + ' 毫秒）'
        : '测试消息未送达：' + (r.statusCode ? 'HTTP ' + r.statusCode : r.error));
    } catch (e) {
      toast('测试失败：' + e.message);
    }
  }

  async function enable(s) {
    try {
      await api('/webhooks/' + s.id + '/enable', { method: 'POST' });
      toast('已重新启用 ' + s.id);
      load();
    } catch (e) {
      toast('启用失败：' + e.message);
    }
  }

  async function showDeliveries(s) {
    let rows;
    try {
      rows = (await api('/webhooks/' + s.id + '/deliveries' + query({ limit: 100 }))).deliveries;
    } catch (e) {
      fill(deliveries, h('p', { class: 'error' }, '投递记录加载失败：' + e.message));
      return;
    }
    fill(deliveries, h('h2', { tabindex: -1, id: 'deliveries-title' }, '投递记录：' + s.id),
      rows.length ? table([{ label: '投递' }, { label: '预警' }, { label: '变更' }, { label: '状态' }, { label: '尝试' },
        { label: '最近一次' }, { label: '下次尝试' }, { label: '操作' }],
      rows.map((d) => {
        const last = d.attempts && d.attempts.length ? d.attempts[d.attempts.length - 1] : null;
        return [d.deliveryId, d.alertId, label(EVENT_TYPES, d.type), label(WEBHOOK_DELIVERY, d.status), (d.attempts || []).length,
          last ? dateTime(last.at) + ' ' + (last.statusCode ? 'HTTP ' + last.statusCode : last.error || '') : '—',
          d.status === 'pending' && d.nextAttemptAt ? dateTime(d.nextAttemptAt) : '—',
          d.status === 'failed' ? button('重试', 'retry-' + d.deliveryId, () => retry(s, d)) : ''];
      }), { cards: true }) : h('p', { class: 'muted' }, '暂无投递。'));
    deliveries.querySelector('#deliveries-title').focus();
  }

  async function retry(s, d) {
    try {
      await api('/webhooks/' + s.id + '/deliveries/' + d.deliveryId + '/retry', { method: 'POST' });
      toast('已安排重试 ' + d.deliveryId);
      showDeliveries(s);
    } catch (e) {
      toast('重试失败：' + e.message);
    }
  }

  await load();
}

function button(text, id, onClick) {
  const b = h('button', { type: 'button', class: 'secondary', id });
  b.textContent = text;
  b.addEventListener('click', onClick);
  return b;
}
