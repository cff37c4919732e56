// Times in the offices' zone, and ages.
const ZONE = 'Asia/Shanghai';
const DATE_TIME = new Intl.DateTimeFormat('zh-CN', {
  timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false,
});
const DATE = new Intl.DateTimeFormat('zh-CN', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

export function dateTime(iso) {
  return iso ? DATE_TIME.format(new Date(iso)).replace(/\//g, '-') : '';
}

export function date(iso) {
  return iso ? DATE.format(new Date(iso)).replace(/\//g, '-') : '';
}

/** "3 天 4 小时", "25 分钟", "刚刚". */
export function age(iso, now = Date.now()) {
  const minutes = Math.floor((now - new Date(iso).getTime()) / 60000);
  if (minutes < 1) return '刚刚';
  if (minutes < 60) return minutes + ' 分钟';
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return hours + ' 小时';
  const days = Math.floor(hours / 24);
  return days + ' 天' + (hours % 24 ? ' ' + (hours % 24) + ' 小时' : '');
}

export function number(n) {
  return n === null || n === undefined ? '—' : Number(n).toLocaleString('zh-CN');
}

export function percent(ratio) {
  return ratio === null || ratio === undefined ? '—' : (ratio * 100).toFixed(1) + '%';
}
