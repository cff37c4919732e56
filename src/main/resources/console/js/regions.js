// Region names and the province → prefecture → county drill-down, from GET /api/v1/stats/regions
// (which lists only the regions with data that the token may see).
import { api, query } from './api.js';
import { h, field, select } from './dom.js';

const cache = new Map();

/** The regions of one level under parent ('' = all): [{code, name, …}]. */
export async function regionsOf(level, parent = '') {
  const key = level + ':' + parent;
  if (!cache.has(key)) {
    cache.set(key, api('/stats/regions' + query({ level, parent })).then((r) => r.regions)
      .catch((e) => { cache.delete(key); throw e; }));
  }
  return cache.get(key);
}

export function clearRegionCache() {
  cache.clear();
}

/** "贵州省 黔南布依族苗族自治州 都匀市" for a region code, as far as names are known (townships have none). */
export async function regionName(code) {
  if (!code) return '全部';
  const parts = [];
  const province = (await regionsOf('province')).find((r) => r.code === code.slice(0, 2));
  if (province) parts.push(province.name || province.code);
  if (code.length >= 4) {
    const pref = (await regionsOf('prefecture', code.slice(0, 2))).find((r) => r.code === code.slice(0, 4));
    if (pref) parts.push(pref.name || pref.code);
  }
  if (code.length >= 6) {
    const county = (await regionsOf('county', code.slice(0, 4))).find((r) => r.code === code.slice(0, 6));
    if (county) parts.push(county.name || county.code);
  }
  return parts.join(' ') || code;
}

/**
 * Selects for province, prefecture and county, and optionally a township code (townships have no
 * names in the region table: the datalist offers the codes seen). onChange(prefix) on every change.
 */
export function regionPicker({ value = '', township = false, onChange, idPrefix = 'region' }) {
  const province = select(idPrefix + '-province', [['', '全部']]);
  const prefecture = select(idPrefix + '-prefecture', [['', '全部']]);
  const county = select(idPrefix + '-county', [['', '全部']]);
  const town = h('input', {
    id: idPrefix + '-township', inputmode: 'numeric', pattern: '[0-9]{9,12}', placeholder: '9 位代码',
    list: idPrefix + '-township-codes', autocomplete: 'off', size: 12,
  });
  const townCodes = h('datalist', { id: idPrefix + '-township-codes' });
  const root = h('div', { class: 'region-picker', role: 'group', 'aria-label': '区域' },
    field('省', province), field('市（州）', prefecture), field('县（区）', county),
    township ? field('乡镇代码', town) : null, townCodes);

  async function options(sel, level, parent) {
    sel.replaceChildren(h('option', { value: '' }, '全部'));
    sel.disabled = level !== 'province' && !parent;
    if (sel.disabled) return;
    try {
      for (const r of await regionsOf(level, parent)) {
        sel.append(h('option', { value: r.code }, (r.name || '') + ' ' + r.code));
      }
    } catch (e) {
      sel.append(h('option', { value: '', disabled: true }, '区域加载失败'));
    }
  }

  function current() {
    if (township && /^[0-9]{9,12}$/.test(town.value) && county.value && town.value.startsWith(county.value)) {
      return town.value;
    }
    return county.value || prefecture.value || province.value || '';
  }

  async function set(code) {
    await options(province, 'province', '');
    province.value = code.slice(0, 2);
    await options(prefecture, 'prefecture', province.value);
    prefecture.value = code.length >= 4 ? code.slice(0, 4) : '';
    await options(county, 'county', prefecture.value);
    county.value = code.length >= 6 ? code.slice(0, 6) : '';
    town.disabled = !county.value;
    town.value = code.length > 6 ? code : '';
  }

  province.addEventListener('change', async () => {
    await options(prefecture, 'prefecture', province.value);
    await options(county, 'county', '');
    town.value = '';
    town.disabled = true;
    onChange(current());
  });
  prefecture.addEventListener('change', async () => {
    await options(county, 'county', prefecture.value);
    town.value = '';
    town.disabled = true;
    onChange(current());
  });
  county.addEventListener('change', () => {
    town.value = '';
    town.disabled = !county.value;
    onChange(current());
  });
  town.addEventListener('change', () => onChange(current()));

  const ready = set(value);
  return {
    element: root,
    ready,
    value: current,
    /** Offers these township codes (seen in the data) in the township field. */
    offerTownships(codes) {
      townCodes.replaceChildren(...[...new Set(codes)].sort().map((c) => h('option', { value: c })));
    },
  };
}
