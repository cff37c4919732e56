// 户详情: one household — members, placements, trainings, helper, its alerts as a timeline, and
// its stored history. The server answers 403 for a household outside the token's regions.
import { api, query } from './api.js';
import { h, fill, field, table } from './dom.js';
import {
  ALERT_TYPES, SEVERITIES, STATUSES, LABOR_CAPACITY, CHANNELS, WORK_SCOPES, PLACEMENT_STATUSES, END_REASONS,
  EVENT_TYPES, label, yesNo,
} from './labels.js';
import { date, dateTime } from './format.js';
import { regionName } from './regions.js';

export async function render(main, { arg }) {
  const input = h('input', { id: 'household-id', name: 'householdId', value: arg || '', autocomplete: 'off',
    pattern: '[A-Za-z0-9_.\\-]{1,64}', required: true });
  const form = h('form', { class: 'panel filters', role: 'search', 'aria-label': '按户编号查询' },
    field('户编号', input), h('div', { class: 'actions' }, h('button', { type: 'submit' }, '查询')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    location.hash = '#/household/' + encodeURIComponent(input.value.trim());
  });
  const content = h('div', { id: 'household' });
  fill(main, h('h1', {}, '户详情'), form, content);
  if (!arg) {
    fill(content, h('p', { class: 'muted' }, '输入户编号，或在预警工作台点击户编号。'));
    return;
  }
  fill(content, h('p', { class: 'muted' }, '加载中…'));
  let household;
  try {
    household = await api('/households/' + encodeURIComponent(arg));
  } catch (e) {
    const why = e.status === 403 ? '无权查看该户：它不在本令牌的管辖区域内。'
      : e.status === 404 ? '未找到该户（尚未建档登记）。' : '加载失败：' + e.message;
    fill(content, h('p', { class: 'error', role: 'alert', id: 'household-error' }, why));
    return;
  }
  const [alerts, history, where] = await Promise.all([
    api('/alerts' + query({ householdId: arg, limit: 1000 })).then((r) => r.alerts).catch(() => null),
    api('/households/' + encodeURIComponent(arg) + '/events').then((r) => r.events).catch(() => null),
    regionName(household.regionCode).catch(() => household.regionCode),
  ]);
  fill(content,
    facts(household, where),
    members(household),
    placements(household),
    trainings(household),
    timeline(alerts),
    events(history));
}

function facts(s, where) {
  const helper = s.helper ? s.helper.helperId + (s.helper.helperName ? '（' + s.helper.helperName + '）' : '') : '未落实';
  return h('section', { class: 'panel', 'aria-labelledby': 'facts-title' },
    h('h2', { id: 'facts-title' }, '户 ' + s.householdId),
    h('dl', { class: 'facts' },
      h('dt', {}, '所在区域'), h('dd', {}, where + '（' + s.regionCode + '）'),
      h('dt', {}, '深度贫困地区'), h('dd', {}, yesNo(s.deepPovertyArea)),
      h('dt', {}, '监测状态'), h('dd', {}, s.closed ? '已退出监测' : '监测中'),
      h('dt', {}, '零就业户'), h('dd', { class: s.zeroEmployment ? 'error' : '' }, yesNo(s.zeroEmployment)),
      h('dt', {}, '一对一帮扶责任人'), h('dd', { class: s.helper ? '' : 'error' }, helper),
      h('dt', {}, '下次检查'), h('dd', {}, s.nextDeadline ? dateTime(s.nextDeadline) : '—')));
}

function members(s) {
  return h('section', { 'aria-labelledby': 'members-title' },
    h('h2', { id: 'members-title' }, '家庭成员'),
    table([{ label: '成员编号' }, { label: '劳动技能' }, { label: '劳动力' }, { label: '培训意愿' }, { label: '就业状态' }],
      s.members.map((m) => [m.memberId, label(LABOR_CAPACITY, m.laborCapacity), yesNo(m.labourCapable),
        yesNo(m.wantsTraining), m.employed ? h('span', { class: 'st-resolved' }, '在岗') : (m.labourCapable
          ? h('span', { class: 'error' }, '未就业') : '—')]),
      { cards: true }));
}

function placements(s) {
  const rows = s.placements.map((p) => [
    p.placementId, p.memberId, label(CHANNELS, p.channel), p.employer || '—',
    label(WORK_SCOPES, p.workScope) + (p.workRegionCode ? '（' + p.workRegionCode + '）' : ''),
    p.startDate, p.expectedEndDate || '—', p.lastVerifiedOn || '—',
    p.verificationDueAt ? date(p.verificationDueAt) + ' 前' : '—',
    [label(PLACEMENT_STATUSES, p.status), p.endReason ? '（' + label(END_REASONS, p.endReason) + ' ' + (p.endDate || '') + '）' : ''],
  ]);
  return h('section', { 'aria-labelledby': 'placements-title' },
    h('h2', { id: 'placements-title' }, '就业记录'),
    rows.length ? table([{ label: '岗位编号' }, { label: '成员' }, { label: '就业渠道' }, { label: '用工单位' },
      { label: '务工地' }, { label: '开始日期' }, { label: '预计结束' }, { label: '最近核验' }, { label: '下次核验截止' },
      { label: '状态' }], rows, { cards: true }) : h('p', { class: 'muted' }, '暂无就业记录。'));
}

function trainings(s) {
  const list = s.trainings || [];
  return h('section', { 'aria-labelledby': 'trainings-title' },
    h('h2', { id: 'trainings-title' }, '培训记录'),
    list.length ? table([{ label: '成员' }, { label: '培训项目' }, { label: '开始' }, { label: '结束' }, { label: '取得证书' }],
      list.map((t) => [t.memberId, t.programId, t.startDate || '—', t.endDate || '—',
        t.certified === undefined || t.certified === null ? '—' : yesNo(t.certified)]), { cards: true })
      : h('p', { class: 'muted' }, '暂无培训记录。'));
}

function timeline(alerts) {
  const section = h('section', { 'aria-labelledby': 'timeline-title' }, h('h2', { id: 'timeline-title' }, '预警时间线'));
  if (alerts === null) {
    section.append(h('p', { class: 'error' }, '预警加载失败。'));
    return section;
  }
  const entries = [];
  for (const a of alerts) {
    const what = label(ALERT_TYPES, a.type) + '（' + label(SEVERITIES, a.severity) + '）' + a.alertId;
    entries.push([a.raisedAt, '产生预警', what]);
    if (a.acknowledgedAt) entries.push([a.acknowledgedAt, '已确认', what + '，确认人 ' + a.acknowledgedBy]);
    if (a.resolvedAt) entries.push([a.resolvedAt, '已解除', what]);
  }
  entries.sort((x, y) => x[0].localeCompare(y[0]));
  section.append(entries.length
    ? h('ol', { class: 'timeline', id: 'alert-timeline' }, entries.map(([at, verb, what]) =>
      h('li', {}, h('span', { class: 'when' }, dateTime(at)), h('strong', {}, verb), ' ', what)))
    : h('p', { class: 'muted' }, '该户没有预警。'));
  if (alerts.some((a) => a.status !== 'resolved')) {
    section.append(h('p', { class: 'muted' }, '当前未解除：',
      alerts.filter((a) => a.status !== 'resolved').map((a) => label(ALERT_TYPES, a.type) + '（' + label(STATUSES, a.status) + '）').join('、')));
  }
  return section;
}

function events(history) {
  const section = h('section', { 'aria-labelledby': 'events-title' }, h('h2', { id: 'events-title' }, '事件记录'));
  if (history === null) {
    section.append(h('p', { class: 'error' }, '事件记录加载失败。'));
    return section;
  }
  const rows = history.filter((e) => e.type !== 'summary.changed' && e.type !== 'deadline.scheduled').map((e) => [
    e.sequenceNr, label(EVENT_TYPES, e.type), dateTime((e.event && e.event.meta && e.event.meta.time) || e.storedAt),
    dateTime(e.storedAt), detail(e)]);
  section.append(table([{ label: '序号', cls: 'num' }, { label: '事件' }, { label: '发生时间' }, { label: '记录时间' }, { label: '内容' }],
    rows, { cards: true, caption: '按记录顺序；统计摘要与检查时间等内部记录未列出。' }));
  return section;
}

function detail(e) {
  const d = e.event || {};
  switch (e.type) {
    case 'household.registered':
      return '区划 ' + d.regionCode + '，成员 ' + (d.members || []).length + ' 人' + (d.deepPovertyArea ? '，深度贫困地区' : '');
    case 'placement.started':
      return (d.memberId || '') + ' ' + label(CHANNELS, d.channel) + '，岗位 ' + d.placementId;
    case 'placement.ended':
      return '岗位 ' + d.placementId + ' ' + label(END_REASONS, d.reason) + ' ' + (d.endDate || '');
    case 'placement.verified':
      return '岗位 ' + d.placementId + ' 核验于 ' + (d.verifiedOn || '');
    case 'alert.raised':
      return d.alert ? label(ALERT_TYPES, d.alert.type) + ' ' + d.alert.alertId : '';
    case 'alert.acknowledged':
      return (d.alertId || '') + '，确认人 ' + (d.by || '') + (d.note ? '，说明：' + d.note : '');
    case 'alert.resolved':
      return d.alertId || '';
    case 'helper.assigned':
      return '帮扶责任人 ' + (d.helperId || '');
    case 'training.enrolled':
    case 'training.completed':
      return (d.memberId || '') + ' ' + (d.programId || '');
    default:
      return d.memberId || d.reason || '';
  }
}
