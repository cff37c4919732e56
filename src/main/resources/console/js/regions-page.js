// 区域概览: a region's households, labourers, employment by channel and work scope, the annual
// target and the worst counties, as charts (ECharts, served by this server) and as a table.
import * as echarts from '/console/vendor/echarts.esm.min.js';
import { api, download, query } from './api.js';
import { h, fill, table, toast } from './dom.js';
import { CHANNELS, WORK_SCOPES, label } from './labels.js';
import { number, percent } from './format.js';
import { regionPicker } from './regions.js';

const LEVEL_OF = { 0: 'national', 2: 'province', 4: 'prefecture', 6: 'county' };
const CHILD_LEVEL = { 0: 'province', 2: 'prefecture', 4: 'county' };
const WORST = 10;

export async function render(main, { arg }) {
  const code = /^([0-9]{2}|[0-9]{4}|[0-9]{6})$/.test(arg) ? arg : '';
  const picker = regionPicker({ value: code, idPrefix: 'regions-region',
    onChange: (c) => { location.hash = '#/regions/' + c; } });
  const exportButtons = ['xlsx', 'csv'].map((format) => {
    const b = h('button', { type: 'button', class: 'secondary', id: 'export-zero-' + format },
      format === 'xlsx' ? '导出零就业户 Excel' : '导出零就业户 CSV');
    b.addEventListener('click', async () => {
      b.disabled = true;
      try {
        toast('已导出 ' + await download('/exports/zero-employment' + query({ region: code, format })));
      } catch (e) {
        toast('导出失败：' + e.message);
      } finally {
        b.disabled = false;
      }
    });
    return b;
  });
  const content = h('div', { id: 'region-overview' }, h('p', { class: 'muted' }, '加载中…'));
  fill(main, h('h1', {}, '区域概览'),
    h('form', { class: 'panel filters', 'aria-label': '选择区域', onsubmit: (e) => e.preventDefault() },
      picker.element, h('div', { class: 'actions' }, exportButtons)),
    content);

  const charts = [];
  const resize = () => charts.forEach((c) => c.resize());
  window.addEventListener('resize', resize);
  const leave = () => {
    window.removeEventListener('resize', resize);
    charts.forEach((c) => c.dispose());
  };

  let self;
  let year;
  let children = [];
  let counties = [];
  try {
    ({ row: self, year } = await own(code));
    if (CHILD_LEVEL[code.length]) {
      children = (await api('/stats/regions' + query({ level: CHILD_LEVEL[code.length], parent: code }))).regions;
      counties = code.length === 4 ? children
        : (await api('/stats/regions' + query({ level: 'county', parent: code }))).regions;
    }
  } catch (e) {
    fill(content, h('p', { class: 'error', role: 'alert' }, '加载失败：' + e.message));
    return leave;
  }
  if (!self) {
    fill(content, h('p', { class: 'muted' }, '该区域暂无数据，或不在本令牌的管辖区域内。'));
    return leave;
  }

  const byChannel = Object.entries(self.employedByChannel || {}).map(([k, v]) => [label(CHANNELS, k), v]);
  const byScope = Object.entries(self.employedByScope || {}).map(([k, v]) => [label(WORK_SCOPES, k), v]);
  const worst = [...counties].sort((a, b) => b.zeroEmploymentHouseholds - a.zeroEmploymentHouseholds
    || a.code.localeCompare(b.code)).slice(0, WORST).filter((c) => c.zeroEmploymentHouseholds > 0);
  const chartBox = (id, title, description) => h('section', { class: 'panel' },
    h('h2', { id: id + '-title' }, title),
    h('div', { class: 'chart', id, role: 'img', 'aria-label': description }));

  fill(content,
    h('h2', {}, (self.name || self.code) + (self.code && self.code !== 'CN' ? '（' + self.code + '）' : '') + ' · ' + year + ' 年'),
    h('div', { class: 'kpis' },
      kpi('监测户数', number(self.households)),
      kpi('劳动力人数', number(self.labourCapable)),
      kpi('已就业人数', number(self.employed)),
      kpi('零就业户', number(self.zeroEmploymentHouseholds), self.zeroEmploymentHouseholds ? 'error' : ''),
      kpi('年度目标', number(self.target)),
      kpi('目标完成', number(self.achieved) + (self.progress === null ? '' : '（' + percent(self.progress) + '）'))),
    h('div', { class: 'charts' },
      chartBox('chart-channel', '按就业渠道', '按就业渠道的就业人数：' + byChannel.map(([k, v]) => k + ' ' + v).join('，')),
      chartBox('chart-scope', '按务工地', '按务工地的就业人数：' + byScope.map(([k, v]) => k + ' ' + v).join('，')),
      chartBox('chart-worst', '零就业户最多的县', worst.map((c) => (c.name || c.code) + ' ' + c.zeroEmploymentHouseholds).join('，') || '无'),
      chartBox('chart-target', '年度目标进度', self.target ? '目标 ' + self.target + '，已完成 ' + self.achieved : '未设目标')),
    // Employment stability and the other policy indicators (GET /api/v1/stats/indicators, issue
    // 19) get their panel here once that endpoint exists.
    h('section', { id: 'indicators', hidden: true }),
    children.length ? h('h2', {}, '下级区域') : null,
    children.length ? regionTable(children) : null);

  const chart = (id, option) => {
    const c = echarts.init(content.querySelector('#' + id), null, { renderer: 'canvas' });
    c.setOption({ animation: false, textStyle: { fontFamily: 'inherit' }, ...option });
    charts.push(c);
  };
  chart('chart-channel', {
    grid: { left: 170, right: 30, top: 10, bottom: 30 },
    tooltip: {},
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: byChannel.map(([k]) => k), inverse: true },
    series: [{ type: 'bar', data: byChannel.map(([, v]) => v), itemStyle: { color: '#1a5fb4' }, label: { show: true, position: 'right' } }],
  });
  chart('chart-scope', {
    tooltip: { trigger: 'item' },
    legend: { bottom: 0 },
    series: [{ type: 'pie', radius: ['35%', '65%'], data: byScope.map(([name, value]) => ({ name, value })),
      label: { formatter: '{b}\n{c} 人' } }],
  });
  chart('chart-worst', {
    grid: { left: 120, right: 40, top: 10, bottom: 30 },
    tooltip: {},
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: worst.map((c) => c.name || c.code), inverse: true },
    series: [{ type: 'bar', data: worst.map((c) => c.zeroEmploymentHouseholds), itemStyle: { color: '#b3261e' },
      label: { show: true, position: 'right' } }],
  });
  chart('chart-target', {
    series: [{ type: 'gauge', min: 0, max: 100, progress: { show: true },
      detail: { formatter: self.progress === null ? '未设目标' : '{value}%', fontSize: 20 },
      data: [{ value: self.progress === null ? 0 : Math.round(self.progress * 1000) / 10, name: '完成率' }] }],
  });
  return leave;
}

/** The chosen region's own row (national, province, prefecture or county). */
async function own(code) {
  const level = LEVEL_OF[code.length];
  const parent = code.length === 4 ? code.slice(0, 2) : code.length === 6 ? code.slice(0, 4) : '';
  const page = await api('/stats/regions' + query({ level, parent }));
  return { row: code ? page.regions.find((r) => r.code === code) : page.regions[0], year: page.year };
}

function kpi(labelText, value, cls) {
  return h('div', { class: 'kpi' }, h('div', { class: 'label' }, labelText), h('div', { class: 'value ' + (cls || '') }, value));
}

function regionTable(rows) {
  const open = (r) => Object.values(r.openAlerts || {}).reduce((a, b) => a + b, 0);
  return table([
    { label: '区域' }, { label: '代码' }, { label: '监测户数', cls: 'num' }, { label: '劳动力', cls: 'num' },
    { label: '已就业', cls: 'num' }, { label: '零就业户', cls: 'num' }, { label: '未解除预警', cls: 'num' },
    { label: '年度目标', cls: 'num' }, { label: '已完成', cls: 'num' }, { label: '完成率', cls: 'num' }],
  rows.map((r) => [
    h('a', { href: '#/regions/' + r.code }, r.name || r.code), r.code, number(r.households), number(r.labourCapable),
    number(r.employed), number(r.zeroEmploymentHouseholds), number(open(r)), number(r.target), number(r.achieved),
    percent(r.progress)]),
  { cards: true, caption: '各项数字与上方图表相同；点击区域名称查看下级。' });
}
