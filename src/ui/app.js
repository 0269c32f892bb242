/* global URLSearchParams, document, location, window -- the admin UI runs in the browser */
import { h, clear, field, notice } from './dom.js';
import { api, request, setSession, currentUser, ApiError } from './api.js';

const PAGES = [
  { path: 'dashboard', title: 'Dashboard', load: () => import('./pages/dashboard.js') },
  { path: 'accounts', title: 'Salesforce accounts', load: () => import('./pages/accounts.js') },
  { path: 'sources', title: 'Sources', load: () => import('./pages/sources.js') },
  { path: 'triggers', title: 'Triggers', load: () => import('./pages/triggers.js') },
  { path: 'deliveries', title: 'Deliveries', load: () => import('./pages/deliveries.js') },
  { path: 'agents', title: 'Agents', load: () => import('./pages/agents.js') },
  { path: 'settings', title: 'Settings', load: () => import('./pages/settings.js') },
];

const root = document.getElementById('app');
let cleanup = null;

/** `#/deliveries?q=123` → { path: 'deliveries', params: URLSearchParams } */
function route() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = hash.split('?');
  return { path: path || 'dashboard', params: new URLSearchParams(query) };
}

async function start() {
  const state = await request('GET', '/auth/state');
  if (state.setupNeeded) return renderSetup();
  if (!state.user) return renderLogin();
  setSession(state.user, () => renderLogin('Your session ended: log in again.'));
  renderShell();
}

function renderLogin(message) {
  setSession(null);
  const username = h('input', { name: 'username', autocomplete: 'username', required: true, autofocus: true });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const error = h('div', { role: 'alert', class: 'form-error' });
  const form = h('form', { class: 'card auth-card', 'aria-labelledby': 'login-title', onsubmit: async (e) => {
    e.preventDefault();
    error.textContent = '';
    try {
      const user = await request('POST', '/auth/login', { username: username.value, password: password.value });
      setSession(user, () => renderLogin('Your session ended: log in again.'));
      renderShell();
    } catch (err) {
      error.textContent = err instanceof ApiError ? err.message : String(err);
      password.select();
    }
  } },
  h('h1', { id: 'login-title' }, 'Log in to ctibridge'),
  message ? notice('info', message) : null,
  field('Username', username),
  field('Password', password),
  error,
  h('button', { type: 'submit', class: 'primary' }, 'Log in'));
  clear(root, h('main', { id: 'main', class: 'auth' }, form));
  username.focus();
}

function renderSetup() {
  const username = h('input', { name: 'username', value: 'admin', autocomplete: 'username', required: true });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'new-password', required: true, minlength: 10 });
  const confirm = h('input', { name: 'confirm', type: 'password', autocomplete: 'new-password', required: true });
  const token = h('input', { name: 'adminToken', type: 'password', autocomplete: 'off', required: true });
  const error = h('div', { role: 'alert', class: 'form-error' });
  const form = h('form', { class: 'card auth-card', 'aria-labelledby': 'setup-title', onsubmit: async (e) => {
    e.preventDefault();
    error.textContent = '';
    if (password.value !== confirm.value) {
      error.textContent = 'The two passwords differ.';
      return;
    }
    try {
      const user = await request('POST', '/auth/setup', { username: username.value, password: password.value, adminToken: token.value });
      setSession(user, () => renderLogin('Your session ended: log in again.'));
      renderShell();
    } catch (err) {
      error.textContent = err.message;
    }
  } },
  h('h1', { id: 'setup-title' }, 'Welcome to ctibridge'),
  h('p', {}, 'Create the first admin user. To prove you run this service, paste its admin token.'),
  field('Username', username),
  field('Password', password, 'At least 10 characters. Stored as an argon2id hash.'),
  field('Repeat the password', confirm),
  field('Service admin token', token, 'CTIBRIDGE_ADMIN_TOKEN, or "admin" in tokens.json in the data directory (created on first start, mode 0600).'),
  error,
  h('button', { type: 'submit', class: 'primary' }, 'Create admin user'));
  clear(root, h('main', { id: 'main', class: 'auth' }, form));
}

async function logout() {
  try {
    await request('POST', '/auth/logout', {});
  } finally {
    renderLogin('You are logged out.');
  }
}

function renderShell() {
  const nav = h('nav', { 'aria-label': 'Main' }, h('ul', {}, PAGES.map((p) => h('li', {}, h('a', { href: `#/${p.path}`, dataset: { page: p.path } }, p.title)))));
  const main = h('main', { id: 'main', tabindex: '-1' });
  const user = currentUser();
  clear(root,
    h('div', { class: 'shell' },
      h('header', { class: 'sidebar' },
        h('a', { class: 'brand', href: '#/dashboard' }, h('img', { src: '/ui/icon.svg', alt: '', width: 28, height: 28 }), 'ctibridge'),
        nav,
        h('div', { class: 'whoami' }, h('span', {}, user?.username ?? ''), h('button', { type: 'button', class: 'link', onclick: logout }, 'Log out'))),
      main));
  window.onhashchange = () => showPage(main, nav);
  showPage(main, nav);
}

async function showPage(main, nav) {
  if (cleanup) cleanup();
  cleanup = null;
  const { path, params } = route();
  const page = PAGES.find((p) => p.path === path) ?? PAGES[0];
  for (const link of nav.querySelectorAll('a')) {
    if (link.dataset.page === page.path) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.title = `${page.title} · ctibridge`;
  clear(main, h('h1', {}, page.title));
  try {
    const module = await page.load();
    const result = await module.render(main, params, { api });
    if (typeof result === 'function') cleanup = result;
  } catch (err) {
    main.append(notice('error', `This page failed to load: ${err.message}`));
  }
}

start().catch((err) => clear(root, notice('error', `ctibridge is not reachable: ${err.message}`)));
