// The console shell: sign-in, navigation between pages (#/inbox, #/household/ID, #/regions/CODE,
// #/webhooks), sign-out.
import { status, onUnauthorized } from './api.js';
import { h, fill, field, toast } from './dom.js';
import { token, isAdmin, signIn, signOut } from './session.js';
import { clearRegionCache } from './regions.js';
import * as inbox from './inbox.js';
import * as household from './household.js';
import * as regions from './regions-page.js';
import * as webhooks from './webhooks.js';

const PAGES = { inbox, household, regions, webhooks };
const main = document.getElementById('main');
let leave = null;

function route() {
  const [path, search = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const [page, ...rest] = path.split('/');
  return { page: PAGES[page] ? page : 'inbox', arg: decodeURIComponent(rest.join('/')), params: new URLSearchParams(search) };
}

// Each navigation renders into a container of its own: a page still loading when the user moves
// on writes into its detached container, never over the next page, and is stopped once it returns.
let generation = 0;

async function show() {
  generation++;
  if (leave) {
    leave();
    leave = null;
  }
  if (!token()) {
    renderSignIn();
    return;
  }
  const { page, arg, params } = route();
  document.getElementById('nav').hidden = false;
  document.getElementById('session').hidden = false;
  document.getElementById('session-role').textContent = isAdmin() ? '已登录（管理员）' : '已登录（只读）';
  document.querySelectorAll('[data-admin]').forEach((el) => { el.hidden = !isAdmin(); });
  document.querySelectorAll('#nav a').forEach((a) => {
    if (a.dataset.page === page) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
  const mine = generation;
  const view = document.createElement('div');
  main.replaceChildren(view);
  const cleanup = (await PAGES[page].render(view, { arg, params, admin: isAdmin() })) || null;
  if (mine === generation) leave = cleanup;
  else if (cleanup) cleanup();
}

function renderSignIn() {
  document.getElementById('nav').hidden = true;
  document.getElementById('session').hidden = true;
  const input = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off', required: true,
    'aria-describedby': 'token-help' });
  const message = h('p', { id: 'signin-message', class: 'error', role: 'alert' });
  const form = h('form', { class: 'panel signin', 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title' }, '登录督导台'),
    field('访问令牌（Token）', input),
    h('p', { id: 'token-help', class: 'muted' },
      '使用只读（read）或管理员（admin）令牌。令牌只保存在本浏览器标签页中，关闭后即失效；能看到的区域由服务器按令牌决定。'),
    message,
    h('button', { type: 'submit' }, '登录'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    message.textContent = '';
    const value = input.value.trim();
    const reading = await status('/stats/regions?level=province', value);
    if (reading === 401) {
      message.textContent = '令牌无效。';
    } else if (reading === 403) {
      message.textContent = '该令牌没有查看权限（需要 read 或 admin 角色）。';
    } else if (reading !== 200) {
      message.textContent = reading === 0 ? '无法连接服务器。' : '服务器暂时不可用（' + reading + '），请稍后再试。';
    } else {
      signIn(value, (await status('/webhooks', value)) === 200);
      clearRegionCache();
      if (!location.hash || location.hash === '#/') location.hash = '#/inbox';
      show();
    }
  });
  fill(main, form);
  input.focus();
}

document.getElementById('sign-out').addEventListener('click', () => {
  signOut();
  clearRegionCache();
  location.hash = '#/inbox';
  show();
});
onUnauthorized(() => {
  toast('登录已失效，请重新登录。');
  show();
});
window.addEventListener('hashchange', show);
show();
