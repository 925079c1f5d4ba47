// augsweep dashboard: a read-only single-page app over the JSON API (/api/..., see API.md).
//
// Rules this file keeps (tested in a real browser):
//  * Every value from results or a job reaches the DOM as text: textContent / createTextNode, or setAttribute for a
//    short list of attributes that cannot execute. No innerHTML, outerHTML, insertAdjacentHTML or document.write.
//  * The one block of HTML the server renders (tables, the search report) goes through sanitizeServerHtml(): parsed
//    by DOMParser in an inert document, then rebuilt element by element from a whitelist, with no attributes but
//    class, colspan and rowspan.
//  * Charts are Vega-Lite specs with data values only: no expression is built from a string that came from results.
//  * No inline script or style: works under script-src 'self' and style-src 'self' (vega-embed: ast, no styles).

const STATUSES = ['finished', 'running', 'paused', 'stopped', 'failed', 'pending'];
const DONE = new Set(['finished', 'stopped', 'failed']);
const STATUS_COLORS = {
  finished: '#16a34a', running: '#2563eb', paused: '#d97706', stopped: '#64748b', failed: '#dc2626', pending: '#cbd5e1',
};
const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#ea580c',
  '#4f46e5', '#0d9488', '#b45309', '#9333ea', '#475569', '#e11d48', '#15803d', '#0284c7', '#a16207', '#c026d3',
  '#1e3a8a'];
const POLL_LIVE_MS = 2000;
const POLL_HIDDEN_MS = 10000;
const SELECTION_KEY = 'augsweep.compare';
const MAX_COMPARE = 100;
const VL_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json'; // a label only: nothing is fetched from it

// ==================================================================================================================
// DOM, safely
// ==================================================================================================================
const SAFE_ATTRS = new Set(['class', 'id', 'title', 'type', 'value', 'name', 'placeholder', 'min', 'max', 'step',
  'colspan', 'rowspan', 'role', 'tabindex', 'for', 'list', 'autocomplete', 'spellcheck', 'aria-label', 'aria-sort',
  'aria-pressed', 'aria-hidden', 'aria-live']);

/**
 * h('tag', {class, title, on: {click}, dataset: {...}, href: '#/...'}, ...children): children are nodes, or values
 * shown as text (null and undefined are skipped). Attribute values are set with setAttribute, and only for names in
 * SAFE_ATTRS (no event handler, no style, no src); href only for in-page hash links.
 */
function h(tag, props, ...children) {
  const el = document.createElement(tag);
  if (props) {
    for (const [k, v] of Object.entries(props)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'on') {
        for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
      } else if (k === 'dataset') {
        for (const [dk, dv] of Object.entries(v)) el.dataset[dk] = String(dv);
      } else if (k === 'href') {
        el.setAttribute('href', safeHref(v));
      } else if (k === 'checked' || k === 'disabled' || k === 'selected' || k === 'open') {
        el[k] = Boolean(v);
      } else if (SAFE_ATTRS.has(k) || k.startsWith('data-')) {
        el.setAttribute(k, v === true ? '' : String(v));
      } else {
        throw new Error('attribute not allowed: ' + k);
      }
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

function safeHref(v) {
  const s = String(v);
  return s.startsWith('#') ? s : '#/';
}

/** Replaces an element's content with the given children (text or nodes). */
function fill(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** A bar's width through the CSSOM (allowed under style-src 'self', unlike a style attribute). */
function width(el, fraction) {
  const f = Number.isFinite(fraction) ? Math.max(0, Math.min(1, fraction)) : 0;
  el.style.width = (f * 100).toFixed(3) + '%';
  return el;
}

// ==================================================================================================================
// The server-rendered HTML block: parsed inert, rebuilt from a whitelist
// ==================================================================================================================
const KEEP_TAGS = new Set(['table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'caption', 'p', 'h2', 'h3', 'h4',
  'code', 'pre', 'em', 'strong', 'span', 'ul', 'ol', 'li', 'br']);
// Dropped with everything inside them; any other element is unwrapped (its text kept, the element not).
const DROP_TAGS = new Set(['script', 'style', 'template', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet',
  'noscript', 'noembed', 'noframes', 'textarea', 'title', 'svg', 'math', 'select', 'option', 'button', 'form', 'input',
  'link', 'meta', 'base', 'img', 'video', 'audio', 'source', 'track', 'picture', 'canvas', 'head', 'xmp', 'plaintext',
  'portal', 'dialog', 'slot']);
const HTML_NS = 'http://www.w3.org/1999/xhtml';
const CLASS_TOKEN = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;
const SPAN_VALUE = /^[1-9][0-9]{0,2}$/;

/**
 * Server HTML -> a DocumentFragment of new elements made in this document: only KEEP_TAGS, only the attributes
 * class (tokens of letters, digits, - and _), colspan and rowspan (1-999); text copied as text nodes; comments,
 * processing instructions and everything in DROP_TAGS removed. DOMParser's document has no browsing context: nothing
 * in it runs or loads while it is parsed, and none of its nodes is ever inserted here.
 */
export function sanitizeServerHtml(html) {
  const doc = new DOMParser().parseFromString(String(html ?? ''), 'text/html');
  const out = document.createDocumentFragment();
  copyChildren(doc.body, out, 0);
  return out;
}

function copyChildren(from, to, depth) {
  if (depth > 40) return;
  for (const n of from.childNodes) {
    if (n.nodeType === Node.TEXT_NODE) {
      to.appendChild(document.createTextNode(n.data));
    } else if (n.nodeType === Node.ELEMENT_NODE) {
      const tag = String(n.localName).toLowerCase();
      if (DROP_TAGS.has(tag) || n.namespaceURI !== HTML_NS) continue;
      if (KEEP_TAGS.has(tag)) {
        const el = document.createElement(tag);
        const cls = n.getAttribute('class');
        if (cls) {
          const tokens = cls.split(/\s+/).filter(t => CLASS_TOKEN.test(t));
          if (tokens.length) el.setAttribute('class', tokens.join(' '));
        }
        for (const a of ['colspan', 'rowspan']) {
          const v = n.getAttribute(a);
          if (v !== null && (tag === 'td' || tag === 'th') && SPAN_VALUE.test(v.trim())) el.setAttribute(a, v.trim());
        }
        copyChildren(n, el, depth + 1);
        to.appendChild(el);
      } else {
        copyChildren(n, to, depth + 1);
      }
    }
  }
}

/** The server's report block, sanitised, with each table in a horizontal scroller. */
function reportBlock(html) {
  const box = h('div', {class: 'report'});
  box.appendChild(sanitizeServerHtml(html));
  for (const t of [...box.querySelectorAll('table')]) {
    const wrap = h('div', {class: 'table-wrap'});
    t.replaceWith(wrap);
    wrap.appendChild(t);
  }
  return box;
}

// ==================================================================================================================
// Formatting
// ==================================================================================================================
const nf = new Intl.NumberFormat('en-US');
function isNum(v) { return typeof v === 'number' && Number.isFinite(v); }
function fmtInt(v) { return isNum(v) ? nf.format(Math.round(v)) : '—'; }
function fmtFixed(v, d = 2) { return isNum(v) ? v.toFixed(d) : '—'; }
function fmtSigned(v, d = 2) { return isNum(v) ? (v > 0 ? '+' : v < 0 ? '−' : '') + Math.abs(v).toFixed(d) : '—'; }
/** A setting's value: 4 significant digits, as augsweep rounds samples. */
function fmtSetting(v) {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (!isNum(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(2).replace('e-', 'e−');
  return String(Number(v.toPrecision(4)));
}
function fmtDuration(s) {
  if (!isNum(s)) return '—';
  if (s < 60) return s.toFixed(s < 10 ? 1 : 0) + ' s';
  const m = Math.floor(s / 60), sec = Math.round(s % 60);
  if (s < 3600) return `${m}m ${String(sec).padStart(2, '0')}s`;
  const hr = Math.floor(s / 3600), min = Math.round((s % 3600) / 60);
  if (s < 86400 * 2) return min === 60 ? `${hr + 1}h 00m` : `${hr}h ${String(min).padStart(2, '0')}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
}
function pad2(n) { return String(n).padStart(2, '0'); }
function fmtTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}
function fmtClock(d) { return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`; }
function plural(n, word) { return `${fmtInt(n)} ${word}${n === 1 ? '' : 's'}`; }

// ==================================================================================================================
// API
// ==================================================================================================================
class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

/** GET api/<path>?<params>: arrays become repeated parameters; null/''/undefined are left out. */
async function api(path, params = {}, signal = undefined) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (Array.isArray(v)) v.forEach(x => q.append(k, String(x)));
    else if (v !== null && v !== undefined && v !== '') q.append(k, String(v));
  }
  const qs = q.toString();
  let res;
  try {
    res = await fetch('api/' + path + (qs ? '?' + qs : ''), {cache: 'no-store', signal, credentials: 'same-origin'});
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'the server does not answer (' + e.message + ')');
  }
  let body = null;
  try { body = await res.json(); } catch (e) { /* not JSON */ }
  if (!res.ok) throw new ApiError(res.status, (body && typeof body.error === 'string') ? body.error : `HTTP ${res.status}`);
  if (body === null) throw new ApiError(res.status, 'the answer is not JSON');
  return body;
}

// ==================================================================================================================
// Charts (vega-embed with the options the Content-Security-Policy needs)
// ==================================================================================================================
const CHART_CONFIG = {
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif',
  background: null,
  view: {stroke: null},
  padding: {left: 2, right: 8, top: 6, bottom: 2},
  axis: {
    labelFontSize: 11, titleFontSize: 11, titleFontWeight: 500, titleColor: '#4b5563', labelColor: '#4b5563',
    gridColor: '#eef0f3', domainColor: '#cbd5e1', tickColor: '#cbd5e1', titlePadding: 6,
  },
  legend: {labelFontSize: 11, titleFontSize: 11, titleFontWeight: 600, labelColor: '#374151', titleColor: '#4b5563', symbolSize: 70},
  title: {fontSize: 12.5, fontWeight: 600, anchor: 'start', color: '#1f2937', subtitleColor: '#6b7280', subtitleFontSize: 11, offset: 6},
  line: {strokeWidth: 1.8},
  point: {size: 30, filled: true},
  range: {category: PALETTE},
};

/**
 * The chart library: three classic scripts, added here (in order, not blocking) so that the page asks the API for its
 * data while they load and compile; index.html preloads them. Charts wait for this promise.
 */
const VENDOR = ['vendor/vega.min.js', 'vendor/vega-lite.min.js', 'vendor/vega-embed.min.js'];
const chartsReady = new Promise((resolve, reject) => {
  let left = VENDOR.length;
  for (const src of VENDOR) {
    const el = document.createElement('script');
    el.src = src;
    el.async = false; // executed in this order
    el.addEventListener('load', () => { if (--left === 0) resolve(); });
    el.addEventListener('error', () => reject(new Error('the chart library did not load (' + src + ')')));
    document.head.appendChild(el);
  }
});
chartsReady.catch(() => { /* reported by the first chart */ });

let activeViews = [];
const chartTimes = []; // how long each chart took to draw (read by the browser tests)

function dataSize(spec) {
  let n = spec.data && Array.isArray(spec.data.values) ? spec.data.values.length : 0;
  for (const l of spec.layer || []) n += dataSize(l);
  return n;
}

/** Charts drawn at a fixed width, drawn again when the window's width changes. */
const fixedCharts = new Set();
window.addEventListener('resize', debounce(() => {
  for (const c of [...fixedCharts]) {
    if (!c.el.isConnected) { fixedCharts.delete(c); continue; }
    if (Math.abs(c.el.clientWidth - c.width) >= 24) c.redraw().catch(e => console.warn(e));
  }
}, 300));

/**
 * Draws spec into el; resolves to the vega View once it has rendered. A chart of many marks gets a fixed width
 * (el's width less `reserve` for axes and legend) instead of 'container', which Vega draws twice at first.
 */
async function chart(el, spec, {renderer = 'svg', reserve = null} = {}) {
  await chartsReady;
  if (typeof window.vegaEmbed !== 'function') throw new Error('the chart library did not load (vendor/vega-embed.min.js)');
  if (reserve === null && spec.width === 'container' && dataSize(spec) > 800) reserve = 70;
  if (reserve !== null) {
    const entry = {el, width: el.clientWidth, redraw: null};
    entry.redraw = async () => {
      fixedCharts.delete(entry);
      if (el._view) { try { el._view.finalize(); } catch (e) { /* gone */ } activeViews = activeViews.filter(v => v !== el._view); }
      el._view = await chart(el, spec, {renderer, reserve});
    };
    fixedCharts.add(entry);
    spec = Object.assign({}, spec, {width: plotWidth(el, reserve)});
  }
  const t0 = performance.now();
  const full = Object.assign({$schema: VL_SCHEMA}, spec, {config: Object.assign({}, CHART_CONFIG, spec.config || {})});
  const result = await window.vegaEmbed(el, full, {
    renderer,
    actions: false,
    ast: true, // Vega's expression interpreter: no eval / new Function, so no 'unsafe-eval'
    defaultStyle: false, // no injected <style> element (style-src 'self')
    tooltip: {disableDefaultStyle: true, theme: 'light'}, // vega-tooltip's CSS is in app.css
    logLevel: 1,
  });
  activeViews.push(result.view);
  el._view = result.view;
  await result.view.runAsync();
  chartTimes.push({chart: el.dataset.chart || '', ms: Math.round(performance.now() - t0)});
  return result.view;
}

function finalizeViews() {
  for (const v of activeViews) {
    try { v.finalize(); } catch (e) { /* already gone */ }
  }
  activeViews = [];
  fixedCharts.clear();
}

// ==================================================================================================================
// Routing
// ==================================================================================================================
/** '#/trials?q=a%20b&status=finished,failed' -> {path: '/trials', raw: Map(name -> raw value)} */
function parseHash(hash) {
  let s = (hash || '').replace(/^#/, '');
  if (!s.startsWith('/')) s = '/' + s;
  const qi = s.indexOf('?');
  const path = qi < 0 ? s : s.slice(0, qi);
  const raw = new Map();
  if (qi >= 0) {
    for (const part of s.slice(qi + 1).split('&')) {
      if (!part) continue;
      const eq = part.indexOf('=');
      raw.set(decodePart(eq < 0 ? part : part.slice(0, eq)), eq < 0 ? '' : part.slice(eq + 1));
    }
  }
  return {path, raw};
}
function decodePart(s) {
  try { return decodeURIComponent(s); } catch (e) { return s; }
}
function qOne(raw, name, dflt = '') { return raw.has(name) ? decodePart(raw.get(name)) : dflt; }
/** A list parameter: items joined by ',' and each encoded on its own, so ids may hold commas. */
function qList(raw, name) {
  const v = raw.get(name);
  return v ? v.split(',').filter(Boolean).map(decodePart) : [];
}
function hashOf(path, params = {}) {
  const parts = [];
  for (const [k, v] of Object.entries(params)) {
    if (v === null || v === undefined || v === '' || (Array.isArray(v) && !v.length)) continue;
    const val = Array.isArray(v) ? v.map(x => encodeURIComponent(String(x))).join(',') : encodeURIComponent(String(v));
    parts.push(encodeURIComponent(k) + '=' + val);
  }
  return '#' + path + (parts.length ? '?' + parts.join('&') : '');
}
function trialHash(id) { return '#/trial/' + encodeURIComponent(id); }

const ROUTES = [
  {name: 'overview', match: p => p === '/' || p === '', render: renderOverview, title: 'Overview'},
  {name: 'trials', match: p => p === '/trials', render: renderTrials, title: 'Trials'},
  {name: 'trial', match: p => p.startsWith('/trial/'), render: renderTrial, title: 'Trial'},
  {name: 'compare', match: p => p === '/compare', render: renderCompare, title: 'Compare'},
  {name: 'tables', match: p => p === '/tables', render: renderTables, title: 'Tables'},
  {name: 'search', match: p => p === '/search', render: renderSearch, title: 'Search'},
  {name: 'concentration', match: p => p === '/concentration', render: renderConcentration, title: 'Concentration'},
];

let current = null; // {controller, cleanups}
const main = () => document.getElementById('main');

async function route() {
  if (current) {
    current.controller.abort();
    for (const f of current.cleanups) { try { f(); } catch (e) { /* ignore */ } }
  }
  finalizeViews();
  const {path, raw} = parseHash(location.hash);
  const r = ROUTES.find(x => x.match(path));
  const ctx = {
    controller: new AbortController(), cleanups: [], path, raw, started: performance.now(),
    get signal() { return this.controller.signal; },
    onCleanup(f) { this.cleanups.push(f); },
    alive() { return current === this && !this.controller.signal.aborted; },
  };
  current = ctx;
  document.body.dataset.route = r ? r.name : 'none';
  delete document.body.dataset.ready;
  delete document.body.dataset.complete;
  delete document.body.dataset.error;
  for (const a of document.querySelectorAll('#nav a')) {
    a.classList.toggle('active', Boolean(r) && (a.dataset.route === r.name || (r.name === 'trial' && a.dataset.route === 'trials')));
  }
  setTitle(r ? r.title : 'Not found');
  const el = main();
  fill(el, h('p', {class: 'muted'}, 'Loading…'));
  try {
    if (!r) {
      fill(el, h('div', {class: 'panel empty'}, 'No such page. ', h('a', {href: '#/'}, 'Back to the overview')));
    } else {
      await r.render(el, ctx);
    }
    if (ctx.alive()) {
      document.body.dataset.readyMs = String(Math.round(performance.now() - ctx.started)); // this route's own time
      document.body.dataset.readyAt = String(Math.round(performance.now())); // since the page was opened
      document.body.dataset.ready = r ? r.name : 'none';
      if (ctx.background) await ctx.background; // charts below the fold, drawn after the page is shown
      if (ctx.alive()) {
        document.body.dataset.completeMs = String(Math.round(performance.now() - ctx.started));
        document.body.dataset.complete = r ? r.name : 'none';
      }
    }
  } catch (e) {
    if (e && e.name === 'AbortError') return;
    if (!ctx.alive()) return;
    console.warn('page failed:', e);
    fill(el, errorBox(e));
    document.body.dataset.error = String((e && e.message) || e);
    document.body.dataset.ready = r ? r.name : 'none';
  }
}

function errorBox(e) {
  const status = e && e.status ? ` (HTTP ${e.status})` : '';
  return h('div', {class: 'error-box'}, h('strong', null, 'Could not load this page' + status + ': '),
    String((e && e.message) || e));
}

function setTitle(page) {
  const sweep = live.data && live.data.sweep;
  document.title = [page, sweep, 'augsweep'].filter(Boolean).join(' · ');
}

// ==================================================================================================================
// Live state: /api/overview, every 2 s while the sweep runs (10 s in a hidden tab); nothing once it has finished
// ==================================================================================================================
const live = {
  data: null, timer: null, pending: null, failures: 0, listeners: new Set(), updatedAt: null,
  /** One GET /api/overview (shared by callers while it is in flight); tells the header and the subscribers. */
  refresh() {
    if (this.pending) return this.pending;
    this.pending = (async () => {
      try {
        const d = await api('overview');
        this.data = d;
        this.failures = 0;
        this.updatedAt = new Date();
        header(d);
        for (const f of this.listeners) f(d, null);
        return d;
      } catch (e) {
        this.failures += 1;
        indicator('off', 'offline', 'the server did not answer: ' + e.message);
        for (const f of this.listeners) f(this.data, e);
        throw e;
      } finally {
        this.pending = null;
      }
    })();
    return this.pending;
  },
  /** Polls while the sweep is live (every 2 s; 10 s in a hidden tab), backs off while the server is away. */
  async loop() {
    clearTimeout(this.timer);
    let next = null;
    try {
      const d = await this.refresh();
      if (d.live) next = document.hidden ? POLL_HIDDEN_MS : POLL_LIVE_MS;
    } catch (e) {
      next = Math.min(30000, POLL_LIVE_MS * 2 ** Math.min(this.failures, 4));
    }
    clearTimeout(this.timer);
    if (next !== null) this.timer = setTimeout(() => this.loop(), next);
  },
  subscribe(f) {
    this.listeners.add(f);
    return () => this.listeners.delete(f);
  },
};

function indicator(cls, label, title) {
  const el = document.getElementById('live');
  el.className = 'live ' + cls;
  el.textContent = label;
  el.setAttribute('title', title);
  document.body.dataset.live = cls;
}

function header(d) {
  const name = document.getElementById('sweep-name');
  name.textContent = d.sweep || '';
  name.setAttribute('title', d.sweep || '');
  if (d.live) indicator('on', 'live', 'the sweep is running; this page updates every 2 s');
  else indicator('done', 'finished', d.finished_at ? 'finished ' + fmtTime(d.finished_at) : 'results of a finished sweep');
  const s = d.sections || {};
  for (const a of document.querySelectorAll('#nav a')) {
    const k = a.dataset.route;
    if (k in s) {
      a.classList.toggle('unavailable', !s[k]);
      a.setAttribute('title', s[k] ? '' : 'nothing of this kind in these results');
    }
  }
  const n = selection.get().length;
  const cmp = document.querySelector('#nav a[data-route="compare"]');
  let badge = cmp.querySelector('.count');
  if (n && !badge) { badge = h('span', {class: 'count'}); cmp.appendChild(badge); }
  if (badge) { if (n) badge.textContent = String(n); else badge.remove(); }
  if (current) setTitle(ROUTES.find(r => r.name === document.body.dataset.route)?.title);
}

document.addEventListener('visibilitychange', () => {
  if (!document.hidden && live.data && live.data.live) live.loop();
});

// ==================================================================================================================
// Compare selection (kept for this tab)
// ==================================================================================================================
const selection = {
  get() {
    try {
      const v = JSON.parse(sessionStorage.getItem(SELECTION_KEY) || '[]');
      return Array.isArray(v) ? v.filter(x => typeof x === 'string') : [];
    } catch (e) { return []; }
  },
  set(ids) {
    const uniq = [...new Set(ids)].slice(0, MAX_COMPARE);
    try { sessionStorage.setItem(SELECTION_KEY, JSON.stringify(uniq)); } catch (e) { /* private mode */ }
    if (live.data) header(live.data);
    return uniq;
  },
  toggle(id, on) {
    const s = this.get().filter(x => x !== id);
    if (on) s.push(id);
    return this.set(s);
  },
};

// ==================================================================================================================
// Small shared pieces
// ==================================================================================================================
function badge(status) { return h('span', {class: 'badge ' + (STATUSES.includes(status) ? status : '')}, status || '—'); }
function kpi(label, value, hint, extra) {
  return h('div', {class: 'kpi', dataset: extra && extra.k ? {k: extra.k} : undefined},
    h('div', {class: 'label'}, label), h('div', {class: 'value'}, value), hint ? h('div', {class: 'hint'}, hint) : null);
}
function panel(title, sub, ...children) {
  return h('section', {class: 'panel'}, h('h2', null, title, sub ? h('span', {class: 'muted'}, sub) : null), ...children);
}
function trialLink(id, cls = 'mono') {
  return h('a', {href: trialHash(id), class: cls, title: id}, id);
}
function kvTable(rows) {
  return h('table', {class: 'kv'}, h('tbody', null, rows.filter(Boolean).map(([k, v, mono]) =>
    h('tr', null, h('th', null, k), h('td', {class: mono ? 'mono' : null}, v instanceof Node ? v : fmtSetting(v))))));
}
function progressBar(counts, total) {
  const bar = h('div', {class: 'progress', role: 'img', 'aria-label': 'trials by status'});
  for (const s of ['finished', 'stopped', 'failed', 'running', 'paused', 'pending']) {
    const seg = h('div', {class: 'seg ' + s, title: `${s}: ${fmtInt(counts[s] || 0)}`});
    width(seg, total ? (counts[s] || 0) / total : 0);
    bar.appendChild(seg);
  }
  return bar;
}
function debounce(f, ms) {
  let t = null;
  return (...a) => { clearTimeout(t); t = setTimeout(() => f(...a), ms); };
}

// ==================================================================================================================
// #/  Overview
// ==================================================================================================================
async function renderOverview(el, ctx) {
  const d = live.data && live.data.live === false ? live.data : await live.refresh();
  if (!ctx.alive()) return;

  const headEl = h('div', {class: 'page-head'});
  const statusEl = h('section', {class: 'panel'});
  const kpisEl = h('div', {class: 'kpis'});
  const hourChart = h('div', {class: 'chart', dataset: {chart: 'per-hour'}});
  const rungsEl = h('div');
  const topEl = h('div');
  const runningEl = h('div');
  const devicesEl = h('div');
  const failuresEl = h('div');
  const updated = h('span', {class: 'muted nowrap', dataset: {k: 'updated'}});
  const errEl = h('div');
  fill(el, errEl, headEl, statusEl, kpisEl,
    h('div', {class: 'grid grid-60'},
      h('div', {class: 'column'},
        h('section', {class: 'panel'}, h('h2', null, 'Completed per hour', h('span', {class: 'muted'}, 'finished, stopped by the schedule, failed')), hourChart),
        h('section', {class: 'panel'}, runningEl)),
      h('div', {class: 'column'},
        h('section', {class: 'panel'}, rungsEl), h('section', {class: 'panel'}, topEl), h('section', {class: 'panel'}, devicesEl))),
    h('section', {class: 'panel'}, failuresEl));

  let hourView = null;
  let hourKey = '';
  let hoursSeen = '';
  let topKey = '';
  let drawing = null;

  const update = async (data, err) => {
    if (!ctx.alive()) return;
    fill(errEl, err ? h('div', {class: 'error-box'}, 'The server did not answer (' + err.message + '); showing what it said last.') : null);
    if (!data) return;
    // --- head
    fill(headEl,
      h('div', null,
        h('h1', {dataset: {k: 'sweep'}}, data.sweep || '(unnamed sweep)'),
        h('div', {class: 'sub'},
          (data.job_files || []).length ? h('span', {title: data.job_files.join('\n')}, (data.job_files.length > 1 ? 'jobs ' : 'job '),
            data.job_files.slice(0, 2).map((j, i) => [i ? ', ' : '', h('code', null, j)]),
            data.job_files.length > 2 ? ` and ${data.job_files.length - 2} more` : null) : null,
          (data.results || []).length ? h('span', null, 'results ', data.results.map((j, i) => [i ? ', ' : '', h('code', null, j)])) : null,
          data.started_at ? h('span', null, 'started ' + fmtTime(data.started_at)) : null,
          data.finished_at ? h('span', null, 'finished ' + fmtTime(data.finished_at)) : null)),
      h('div', {class: 'actions'}, updated));
    updated.textContent = (data.live ? 'updated ' : 'read ') + fmtClock(live.updatedAt || new Date());
    // --- status
    const c = data.by_status || {};
    const total = data.trials_total || 0;
    const done = (c.finished || 0) + (c.stopped || 0) + (c.failed || 0);
    fill(statusEl,
      h('div', {class: 'panel-title'}, h('h2', null, 'Trials'),
        h('span', {class: 'muted'}, `${fmtInt(done)} of ${fmtInt(total)} done (${total ? (100 * done / total).toFixed(1) : '0.0'}%)`)),
      progressBar(c, total),
      h('div', {class: 'legend'}, STATUSES.map(s => h('a', {href: hashOf('/trials', {status: s}), class: 'item', dataset: {status: s}},
        h('span', {class: 'dot ' + s}), s, h('b', {dataset: {k: s}}, fmtInt(c[s] || 0)),
        h('span', {class: 'pct'}, total ? `${(100 * (c[s] || 0) / total).toFixed(1)}%` : '')))));
    // --- KPIs
    const eta = data.live ? (isNum(data.eta_seconds) ? fmtDuration(data.eta_seconds) : 'estimating…') : 'done';
    const etaHint = data.live && isNum(data.eta_seconds) ? 'around ' + fmtTime(new Date(Date.now() + data.eta_seconds * 1000).toISOString()).slice(5, 16) : null;
    const best = data.best;
    fill(kpisEl,
      kpi('Finished', [fmtInt(c.finished || 0), h('small', null, '/ ' + fmtInt(total))], `${fmtInt(done)} done in all`, {k: 'finished'}),
      kpi('Running', fmtInt(c.running || 0), data.live || c.paused || c.pending ? `${fmtInt(c.paused || 0)} paused · ${fmtInt(c.pending || 0)} pending` : 'nothing left to run'),
      kpi('Elapsed', fmtDuration(data.elapsed_seconds), data.started_at ? 'since ' + fmtTime(data.started_at).slice(5, 16) : null),
      kpi('ETA', eta, etaHint),
      kpi('Trials / hour', isNum(data.trials_per_hour) ? fmtFixed(data.trials_per_hour, data.trials_per_hour < 10 ? 2 : 0) : '—', 'trials done per hour, so far'),
      kpi('Images / s', isNum(data.images_per_second) ? fmtInt(data.images_per_second) : '—', data.live ? 'all running trials, now' : 'mean of the finished trials'),
      kpi('Best kNN top-1', best ? [fmtFixed(best.knn_top1_best), h('small', null, '%')] : '—',
        best ? h('a', {href: trialHash(best.trial_id), title: best.trial_id}, best.trial_id) : null));
    // --- rungs
    if (data.schedule) {
      const sch = data.schedule;
      const rows = sch.by_rung || [];
      fill(rungsEl, h('h2', null, 'Trials by rung', h('span', {class: 'muted'}, sch.description || sch.kind)),
        rows.length ? h('div', {class: 'table-wrap'}, h('table', {class: 'data'},
          h('thead', null, h('tr', null, h('th', null, 'rung'), h('th', {class: 'num'}, 'epoch'), h('th', {class: 'num'}, 'reached'),
            h('th', {class: 'num'}, 'waiting'), h('th', {class: 'num'}, 'stopped there'), h('th', {class: 'num'}, 'went on'), h('th', null, ''))),
          h('tbody', null, rows.map((r, i) => h('tr', null, h('td', null, String(i + 1)), h('td', {class: 'num'}, fmtInt(r.epoch)),
            h('td', {class: 'num'}, fmtInt(r.reached)), h('td', {class: 'num'}, fmtInt(r.paused)),
            h('td', {class: 'num'}, fmtInt(r.stopped)), h('td', {class: 'num'}, fmtInt(r.promoted)),
            h('td', {title: 'share that went on'}, h('span', {class: 'mini'}, width(h('span'), r.reached ? r.promoted / r.reached : 0)))))))) :
          h('p', {class: 'muted'}, 'No trial has reached a rung yet.'),
        h('p', {class: 'muted'}, `Trials pause at each rung (an epoch of their own schedule); the schedule lets the best go on.`));
    } else {
      fill(rungsEl, h('h2', null, 'Status'), h('table', {class: 'data'}, h('tbody', null,
        STATUSES.map(s => h('tr', null, h('td', null, h('span', {class: 'dot ' + s}), s), h('td', {class: 'num'}, fmtInt(c[s] || 0)),
          h('td', {class: 'num muted'}, total ? `${(100 * (c[s] || 0) / total).toFixed(1)}%` : ''))))),
      h('p', {class: 'muted'}, 'No schedule: every trial trains all its epochs.'));
    }
    // --- running
    const running = data.running || [];
    fill(runningEl, h('h2', null, 'Running now', h('span', {class: 'muted'}, plural(data.running_total ?? running.length, 'trial'))),
      running.length ? h('div', {class: 'table-wrap'}, h('table', {class: 'data'},
        h('thead', null, h('tr', null, h('th', null, 'trial'), h('th', null, 'status'), h('th', null, 'epoch'), h('th', {class: 'num'}, 'best kNN'),
          h('th', {class: 'num'}, 'img/s'), h('th', null, 'device'))),
        h('tbody', null, running.map(t => h('tr', null, h('td', {class: 'id'}, trialLink(t.trial_id, '')), h('td', null, badge(t.status)),
          h('td', {class: 'nowrap'}, `${fmtInt(t.epochs_done)} / ${fmtInt(t.epochs)}`,
            h('span', {class: 'mini'}, width(h('span'), t.epochs ? t.epochs_done / t.epochs : 0))),
          h('td', {class: 'num'}, fmtFixed(t.knn_top1_best)), h('td', {class: 'num'}, fmtInt(t.images_per_second)),
          h('td', null, t.device || '—', t.host ? h('span', {class: 'host'}, t.host) : null))))))
        : h('p', {class: 'muted'}, data.live ? 'Nothing is training right now.' : 'Nothing runs: these results are finished.'));
    // --- devices
    const devs = data.devices || [];
    fill(devicesEl, h('h2', null, 'Devices', h('span', {class: 'muted'}, devs.length ? `${devs.filter(x => x.running).length} busy of ${devs.length}` : '')),
      devs.length ? h('div', {class: 'table-wrap'}, h('table', {class: 'data'},
        h('thead', null, h('tr', null, h('th', null, 'device'), h('th', null, 'host'), h('th', {class: 'num'}, 'running'),
          h('th', {class: 'num'}, 'done'), h('th', {class: 'num'}, data.live ? 'img/s now' : 'img/s (mean)'))),
        h('tbody', null, devs.map(x => h('tr', null, h('td', {title: x.gpu_name || ''}, x.device || '—'), h('td', null, x.host || '—'),
          h('td', {class: 'num'}, fmtInt(x.running)), h('td', {class: 'num'}, fmtInt(x.done)),
          h('td', {class: 'num'}, fmtInt(x.images_per_second)))))))
        : h('p', {class: 'muted'}, 'No trial has started yet.'));
    // --- failures
    const fails = data.failures || [];
    fill(failuresEl, h('h2', null, 'Failures', h('span', {class: 'muted'}, fmtInt(c.failed || 0) + ((c.failed || 0) > Math.min(10, fails.length) ? `, the ${Math.min(10, fails.length)} latest shown` : ''))),
      fails.length ? h('ul', {class: 'fail-list'}, fails.slice(0, 10).map(f => h('li', null,
        h('a', {class: 'id', href: trialHash(f.trial_id), title: f.trial_id}, f.trial_id),
        h('span', {class: 'why', title: f.reason || ''}, f.reason || '(no reason recorded)'),
        h('span', {class: 'when'}, [f.device, f.host].filter(Boolean).join(' on ') + (f.finished_at ? ' · ' + fmtTime(f.finished_at).slice(5) : '')))))
        : h('p', {class: 'muted'}, 'No trial has failed.'),
      (c.failed || 0) > Math.min(10, fails.length) ? h('p', null, h('a', {href: hashOf('/trials', {status: ['failed'], sort: 'trial_id', order: 'asc'})}, `All ${fmtInt(c.failed)} failed trials →`)) : null);
    // --- the best trials so far (read again only when something finished or improved)
    const tk = JSON.stringify([c.finished, c.stopped, c.failed, best && best.knn_top1_best]);
    if (tk !== topKey) {
      topKey = tk;
      api('trials', {limit: 5, sort: 'knn_top1_best', order: 'desc'}, ctx.signal).then(page => {
        if (!ctx.alive()) return;
        fill(topEl, h('h2', null, 'Best trials so far', h('span', {class: 'muted'}, 'by best kNN top-1'),
          h('span', {class: 'grow'}), h('a', {href: '#/trials', class: 'small-link'}, 'all trials →')),
        page.rows.length ? h('table', {class: 'data leaders'}, h('tbody', null, page.rows.map((r, i) => h('tr', null,
          h('td', {class: 'num muted rank'}, String(i + 1)),
          h('td', {class: 'wrap'}, h('div', {class: 'lead-id'}, trialLink(r.trial_id, '')),
            h('div', {class: 'lead-settings'}, settingsText(r))),
          h('td', {class: 'num'}, h('strong', null, fmtFixed(r.knn_top1_best))),
          h('td', null, badge(r.status))))))
          : h('p', {class: 'muted'}, 'No trial has a score yet.'));
      }).catch(() => { topKey = ''; });
    }
    // --- per-hour chart: drawn once, then its data changed in place (skipped while a drawing is under way)
    const rows = hourRows(data.per_hour || []);
    const key = JSON.stringify(rows);
    if (key !== hourKey && !drawing) {
      const hours = (data.per_hour || []).map(x => x.hour).join();
      try {
        if (!rows.length) {
          finalizeViewOf(hourChart);
          hourView = null;
          fill(hourChart, h('p', {class: 'muted'}, 'Nothing has finished yet.'));
        } else if (hourView && hours === hoursSeen) {
          // the same hours, new counts: change the data in place (no flicker); a new hour draws the chart again
          hourView.change('hours', window.vega.changeset().remove(() => true).insert(rows));
          drawing = hourView.runAsync();
          await drawing;
        } else {
          finalizeViewOf(hourChart);
          hourChart.replaceChildren();
          drawing = chart(hourChart, perHourSpec(rows));
          hourView = await drawing;
        }
        hourKey = key;
        hoursSeen = hours;
      } finally {
        drawing = null;
      }
    }
  };
  await update(d, null);
  ctx.onCleanup(live.subscribe(update));
}

/** per_hour -> one bar piece per hour and kind, stacked here: {start, end (ms), status, trials, y0, y1}. */
function hourRows(perHour) {
  const rows = [];
  for (const b of perHour) {
    const start = Date.parse(b.hour);
    if (!Number.isFinite(start)) continue;
    let y = 0;
    for (const k of ['finished', 'stopped', 'failed']) {
      const n = b[k] || 0;
      rows.push({start, end: start + 3600e3, status: k, trials: n, y0: y, y1: y + n});
      y += n;
    }
  }
  return rows;
}

function perHourSpec(rows) {
  // At least eight hours wide, so that a young or short sweep shows bars, not one block.
  const last = Math.max(...rows.map(r => r.end));
  const first = Math.min(Math.min(...rows.map(r => r.start)), last - 8 * 3600e3);
  return {
    width: 'container', height: 250,
    data: {name: 'hours', values: rows},
    mark: {type: 'bar', tooltip: true, stroke: '#fff', strokeWidth: 0.5},
    encoding: {
      x: {field: 'start', type: 'temporal', title: null, scale: {domain: [first, last]},
        axis: {format: '%H:%M', labelOverlap: true, grid: false}},
      x2: {field: 'end'},
      y: {field: 'y0', type: 'quantitative', title: 'trials', axis: {tickMinStep: 1}, scale: {nice: true}},
      y2: {field: 'y1'},
      color: {field: 'status', type: 'nominal', title: null,
        scale: {domain: ['finished', 'stopped', 'failed'], range: [STATUS_COLORS.finished, '#94a3b8', STATUS_COLORS.failed]},
        legend: {orient: 'top', direction: 'horizontal', offset: 4}},
      tooltip: [{field: 'start', type: 'temporal', title: 'hour from', format: '%Y-%m-%d %H:%M'},
        {field: 'status', type: 'nominal'}, {field: 'trials', type: 'quantitative'}],
    },
  };
}

// ==================================================================================================================
// #/trials  Every trial, paged, sorted and filtered on the server
// ==================================================================================================================
const FIXED_SETTING_KEYS = new Set(['lr', 'strength', 'batch_size', 'width', 'seed', 'method', 'augs', 'epochs']);
const normKey = k => String(k).toLowerCase().replace(/[-.\s]/g, '_');

function trialsState(raw) {
  const n = (v, d) => { const x = parseInt(v, 10); return Number.isFinite(x) && x >= 0 ? x : d; };
  return {
    offset: n(qOne(raw, 'offset'), 0),
    limit: [25, 50, 100, 200].includes(n(qOne(raw, 'limit'), 50)) ? n(qOne(raw, 'limit'), 50) : 50,
    sort: qOne(raw, 'sort', 'knn_top1_best') || 'knn_top1_best',
    order: qOne(raw, 'order', 'desc') === 'asc' ? 'asc' : 'desc',
    q: qOne(raw, 'q', ''),
    status: qList(raw, 'status').filter(s => STATUSES.includes(s)),
    cell: qOne(raw, 'cell', ''),
  };
}

async function renderTrials(el, ctx) {
  const st = trialsState(ctx.raw);
  let seq = 0;
  let lastPage = null;

  const qInput = h('input', {type: 'search', placeholder: 'Filter: trial, cell, method, augs, device, reason…', value: st.q,
    'aria-label': 'filter trials', spellcheck: 'false', autocomplete: 'off'});
  const chips = h('div', {class: 'chips', role: 'group', 'aria-label': 'status'});
  const limitSel = h('select', {'aria-label': 'rows per page'}, [25, 50, 100, 200].map(n =>
    h('option', {value: String(n), selected: n === st.limit}, `${n} rows`)));
  const compareBtn = h('button', {class: 'primary', type: 'button'});
  const clearSelBtn = h('button', {type: 'button'}, 'Clear selection');
  const refreshBtn = h('button', {type: 'button', title: 'read the trials again (a live sweep adds results)'}, '↻ Refresh');
  const cellChip = st.cell ? h('span', {class: 'chip on static'}, 'cell ', h('code', null, st.cell),
    h('a', {href: hashOf('/trials', {...st, cell: '', offset: 0}), class: 'x', title: 'all cells', 'aria-label': 'remove cell filter'}, '×')) : null;
  const tableBox = h('div', {class: 'table-wrap'});
  const pagerTop = h('div', {class: 'pager'});
  const pagerBottom = h('div', {class: 'pager'});
  const info = h('span', {class: 'muted'});
  const errEl = h('div');

  fill(el,
    h('div', {class: 'page-head'}, h('div', null, h('h1', null, 'Trials'), h('div', {class: 'sub'}, info)),
      h('div', {class: 'actions'}, refreshBtn, clearSelBtn, compareBtn)),
    errEl,
    h('section', {class: 'panel'},
      h('div', {class: 'toolbar'}, qInput, cellChip, h('span', {class: 'grow'}), limitSel, pagerTop),
      h('div', {class: 'toolbar'}, h('span', {class: 'muted'}, 'status'), chips),
      tableBox,
      h('div', {class: 'foot'}, h('span', {class: 'muted'}, 'Click a row to open the trial; tick rows to compare their curves.'), pagerBottom)));

  const refreshSelectionUi = () => {
    const n = selection.get().length;
    fill(compareBtn, n ? `Compare ${n} →` : 'Compare →');
    compareBtn.disabled = n === 0;
    clearSelBtn.disabled = n === 0;
  };
  refreshSelectionUi();
  compareBtn.addEventListener('click', () => { location.hash = hashOf('/compare', {ids: selection.get()}); });
  clearSelBtn.addEventListener('click', () => {
    selection.set([]);
    refreshSelectionUi();
    for (const cb of tableBox.querySelectorAll('input[type=checkbox]')) cb.checked = false;
    for (const tr of tableBox.querySelectorAll('tr.selected')) tr.classList.remove('selected');
  });

  const go = (patch, push = true) => {
    Object.assign(st, patch);
    const hash = hashOf('/trials', {q: st.q, status: st.status, cell: st.cell, sort: st.sort === 'knn_top1_best' ? '' : st.sort,
      order: st.order === 'desc' ? '' : st.order, offset: st.offset || '', limit: st.limit === 50 ? '' : st.limit});
    if (hash !== location.hash) history[push ? 'pushState' : 'replaceState'](null, '', hash);
    return load();
  };
  qInput.addEventListener('input', debounce(() => go({q: qInput.value.trim(), offset: 0}, false), 250));
  qInput.addEventListener('keydown', e => { if (e.key === 'Escape') { qInput.value = ''; go({q: '', offset: 0}, false); } });
  limitSel.addEventListener('change', () => go({limit: parseInt(limitSel.value, 10), offset: 0}));

  const onKey = e => {
    if (e.key === '/' && document.activeElement !== qInput && !(e.target instanceof HTMLInputElement)) {
      e.preventDefault(); qInput.focus();
    } else if (!(e.target instanceof HTMLInputElement) && lastPage) {
      if (e.key === 'ArrowRight' && st.offset + st.limit < lastPage.matched) go({offset: st.offset + st.limit});
      if (e.key === 'ArrowLeft' && st.offset > 0) go({offset: Math.max(0, st.offset - st.limit)});
    }
  };
  document.addEventListener('keydown', onKey);
  ctx.onCleanup(() => document.removeEventListener('keydown', onKey));

  async function load() {
    const my = ++seq;
    tableBox.classList.add('loading');
    let page;
    try {
      page = await api('trials', {offset: st.offset, limit: st.limit, sort: st.sort, order: st.order, q: st.q,
        status: st.status.join(','), cell: st.cell}, ctx.signal);
    } catch (e) {
      if (e.name === 'AbortError' || my !== seq) return;
      tableBox.classList.remove('loading');
      fill(errEl, errorBox(e));
      if (e.status === 400 && (st.sort !== 'knn_top1_best' || st.offset)) { // e.g. an old link's sort key
        return go({sort: 'knn_top1_best', order: 'desc', offset: 0}, false);
      }
      return;
    }
    if (my !== seq || !ctx.alive()) return;
    fill(errEl);
    lastPage = page;
    if (page.matched > 0 && st.offset >= page.matched) { // past the end (the filter shrank the list)
      return go({offset: Math.floor((page.matched - 1) / st.limit) * st.limit}, false);
    }
    tableBox.classList.remove('loading');
    fill(info, `${fmtInt(page.total)} trials` + (page.matched !== page.total ? `, ${fmtInt(page.matched)} match` : '') +
      (live.data && live.data.live ? ` · as of ${fmtClock(new Date())}` : ''));
    renderChips(page);
    renderTable(page);
    renderPager(pagerTop, page, true);
    renderPager(pagerBottom, page, false);
  }

  function renderChips(page) {
    const counts = page.counts || {};
    fill(chips, STATUSES.map(s => {
      const on = st.status.includes(s);
      return h('button', {type: 'button', class: 'chip' + (on ? ' on' : ''), 'aria-pressed': on ? 'true' : 'false', dataset: {status: s},
        on: {click: () => go({status: on ? st.status.filter(x => x !== s) : [...st.status, s], offset: 0})}},
      h('span', {class: 'dot ' + s}), s, h('b', null, fmtInt(counts[s] || 0)));
    }));
  }

  function columns(page) {
    const extra = (page.sampled_settings || []).filter(k => !FIXED_SETTING_KEYS.has(normKey(k)));
    const sampledVal = (r, k) => {
      const v = r.sampled && r.sampled[k];
      return v !== undefined && v !== null ? v : (r.sampled_choices ? r.sampled_choices[k] : null);
    };
    const maxBest = 100;
    return [
      {label: 'trial', sort: 'trial_id', cls: 'id', cell: r => trialLink(r.trial_id, '')},
      {label: 'status', sort: 'status', cell: r => badge(r.status)},
      {label: 'method', sort: 'method', cell: r => r.method ?? '—'},
      {label: 'augs', sort: 'augs', cell: r => r.augs ?? '—'},
      {label: 'strength', sort: 'strength', num: true, cell: r => fmtSetting(r.strength)},
      {label: 'lr', sort: 'lr', num: true, cell: r => fmtSetting(r.lr)},
      {label: 'batch', sort: 'batch_size', num: true, cell: r => fmtSetting(r.batch_size)},
      {label: 'width', sort: 'width', num: true, cell: r => fmtSetting(r.width)},
      ...extra.map(k => ({label: k, sort: 'sampled.' + k, num: true, title: 'sampled setting ' + k, cell: r => fmtSetting(sampledVal(r, k))})),
      {label: 'seed', sort: 'seed', num: true, cell: r => fmtSetting(r.seed)},
      {label: 'best kNN', sort: 'knn_top1_best', num: true, title: 'kNN top-1 (%) of the best epoch', cls: 'bar-cell', cell: r => {
        const bar = width(h('span', {class: 'bar'}), isNum(r.knn_top1_best) ? r.knn_top1_best / maxBest : 0);
        return [bar, h('span', {class: 'v'}, fmtFixed(r.knn_top1_best))];
      }},
      {label: 'control', sort: 'knn_top1_init', num: true, title: 'kNN top-1 (%) of the same network untrained', cell: r => fmtFixed(r.knn_top1_init)},
      {label: 'epochs', sort: 'epochs_done', num: true, title: 'epochs trained of the trial\u2019s own', cell: r => `${fmtInt(r.epochs_done)}/${fmtInt(r.epochs)}`},
      {label: 'device', sort: 'device', cell: r => r.device ? h('span', {title: r.host ? 'on ' + r.host : ''}, r.device) : '—'},
      {label: 'time', sort: 'seconds', num: true, title: 'seconds of training and evaluation', cell: r => fmtDuration(r.seconds)},
    ];
  }

  function renderTable(page) {
    const cols = columns(page);
    const sel = new Set(selection.get());
    const allBox = h('input', {type: 'checkbox', 'aria-label': 'select the trials of this page'});
    const pageIds = page.rows.map(r => r.trial_id);
    allBox.checked = pageIds.length > 0 && pageIds.every(id => sel.has(id));
    allBox.addEventListener('change', () => {
      const cur = selection.get().filter(id => !pageIds.includes(id));
      selection.set(allBox.checked ? [...cur, ...pageIds] : cur);
      renderTable(lastPage);
      refreshSelectionUi();
    });
    const head = h('tr', null, h('th', {class: 'check'}, allBox), cols.map(c => {
      const active = st.sort === c.sort;
      return h('th', {class: 'sortable' + (c.num ? ' num' : '') + (c.cls === 'id' ? ' idh' : ''), title: c.title || ('sort by ' + c.label),
        'aria-sort': active ? (st.order === 'asc' ? 'ascending' : 'descending') : 'none', dataset: {sort: c.sort},
        on: {click: () => go(active ? {order: st.order === 'asc' ? 'desc' : 'asc', offset: 0}
          : {sort: c.sort, order: c.num ? 'desc' : 'asc', offset: 0})}},
      c.label, active ? h('span', {class: 'arrow'}, st.order === 'asc' ? '▲' : '▼') : null);
    }));
    const body = h('tbody', null, page.rows.map(r => {
      const box = h('input', {type: 'checkbox', 'aria-label': 'select for Compare', checked: sel.has(r.trial_id)});
      const tr = h('tr', {class: 'clickable ' + (r.status || '') + (sel.has(r.trial_id) ? ' selected' : ''), dataset: {id: r.trial_id}},
        h('td', {class: 'check'}, box),
        cols.map(c => h('td', {class: [c.num ? 'num' : '', c.cls || ''].join(' ').trim() || null}, c.cell(r))));
      box.addEventListener('click', e => e.stopPropagation());
      box.addEventListener('change', () => {
        selection.toggle(r.trial_id, box.checked);
        tr.classList.toggle('selected', box.checked);
        refreshSelectionUi();
      });
      tr.addEventListener('click', e => {
        if (e.target instanceof HTMLAnchorElement || e.target.closest('td.check')) return;
        if (window.getSelection && String(window.getSelection()).length) return; // selecting text, not opening
        location.hash = trialHash(r.trial_id);
      });
      return tr;
    }));
    const table = h('table', {class: 'data trials', dataset: {rows: page.rows.length}}, h('thead', null, head), body);
    fill(tableBox, page.rows.length ? table : h('div', {class: 'empty'}, 'No trial matches.'));
  }

  function renderPager(box, page, compact) {
    const pages = Math.max(1, Math.ceil(page.matched / st.limit));
    const cur = Math.floor(st.offset / st.limit) + 1;
    const btn = (label, title, off, disabled) => h('button', {type: 'button', class: 'small', title, disabled,
      on: {click: () => go({offset: off})}}, label);
    const last = (pages - 1) * st.limit;
    const from = page.matched ? st.offset + 1 : 0;
    const to = Math.min(st.offset + st.limit, page.matched);
    const pageInput = h('input', {type: 'number', min: '1', max: String(pages), value: String(cur), 'aria-label': 'page'});
    pageInput.addEventListener('change', () => {
      const p = Math.max(1, Math.min(pages, parseInt(pageInput.value, 10) || 1));
      go({offset: (p - 1) * st.limit});
    });
    fill(box,
      btn('«', 'first page', 0, cur <= 1), btn('‹', 'previous page (←)', Math.max(0, st.offset - st.limit), cur <= 1),
      h('span', {class: 'info', dataset: {k: 'range'}}, `${fmtInt(from)}–${fmtInt(to)} of ${fmtInt(page.matched)}`),
      btn('›', 'next page (→)', st.offset + st.limit, cur >= pages), btn('»', 'last page', last, cur >= pages),
      compact ? null : h('span', {class: 'muted'}, 'page ', pageInput, ` of ${fmtInt(pages)}`));
  }

  refreshBtn.addEventListener('click', () => load());
  await load();
}

// ==================================================================================================================
// #/trial/ID
// ==================================================================================================================
async function renderTrial(el, ctx) {
  const id = decodePart(ctx.path.slice('/trial/'.length));
  let lastKey = '';
  const draw = async () => {
    const res = await api('trial', {id}, ctx.signal);
    if (!ctx.alive()) return null;
    const key = JSON.stringify([res.trial.status, res.trial.epochs_done, res.epochs.length]);
    if (key === lastKey) return res.trial;
    lastKey = key;
    finalizeViews();
    await drawTrial(el, res, ctx);
    return res.trial;
  };
  const t = await draw();
  // A trial that is still training: its page follows it (every 5 s) while the sweep is live.
  if (t && !DONE.has(t.status)) {
    const timer = setInterval(async () => {
      if (document.hidden || !(live.data && live.data.live)) return;
      try { await draw(); } catch (e) { /* keep what is shown */ }
    }, 5000);
    ctx.onCleanup(() => clearInterval(timer));
  }
}

async function drawTrial(el, res, ctx) {
  const t = res.trial;
  const epochs = res.epochs || [];
  const cmpBtn = h('button', {type: 'button'});
  const setCmp = () => fill(cmpBtn, selection.get().includes(t.trial_id) ? '✓ In Compare' : '+ Add to Compare');
  setCmp();
  cmpBtn.addEventListener('click', () => {
    selection.toggle(t.trial_id, !selection.get().includes(t.trial_id));
    setCmp();
  });
  const gain = isNum(t.knn_top1_best) && isNum(t.knn_top1_init) ? t.knn_top1_best - t.knn_top1_init : null;
  // The schedule's rungs (where the trial was judged), when this trial is one of the live sweep's.
  const ov = live.data || await live.refresh().catch(() => null);
  const sch = ov && ov.schedule;
  const rungs = sch && sch.epochs === t.epochs ? (sch.rungs || []).filter(r => r < t.epochs) : [];
  const hasRungs = rungs.length > 0;
  const lossRows = epochs.filter(e => isNum(e.loss)).map(e => ({epoch: e.epoch, loss: e.loss}));
  const knnRows = epochs.filter(e => isNum(e.knn_top1)).map(e => ({epoch: e.epoch, knn_top1: e.knn_top1}));
  const lossEl = h('div', {class: 'chart', dataset: {chart: 'loss', points: lossRows.length}});
  const knnEl = h('div', {class: 'chart', dataset: {chart: 'knn', points: knnRows.length}});

  const sampled = Object.assign({}, t.sampled || {}, t.sampled_choices || {});
  const sampledNorm = new Set(Object.keys(sampled).map(normKey));
  let settings = t.settings;
  if (typeof settings === 'string') {
    try { settings = JSON.parse(settings); } catch (e) { settings = {settings}; }
  }
  const settingRows = settings && typeof settings === 'object'
    ? Object.keys(settings).sort().map(k => [k, sampledNorm.has(normKey(k))
      ? h('span', null, fmtSetting(settings[k]), ' ', h('span', {class: 'badge sampled'}, 'sampled')) : settings[k], true])
    : [];
  for (const [k, v] of Object.entries(sampled)) {
    if (!settings || !Object.keys(settings).some(s => normKey(s) === normKey(k))) {
      settingRows.push([k, h('span', null, fmtSetting(v), ' ', h('span', {class: 'badge sampled'}, 'sampled')), true]);
    }
  }

  const prov = [
    ['device', t.device, true], ['host', t.host, true], ['GPU', [t.gpu_name, t.gpu].filter(Boolean).join(' · ') || null],
    t.cuda_visible_devices != null ? ['CUDA_VISIBLE_DEVICES', t.cuda_visible_devices, true] : null,
    t.trials_on_gpu != null ? ['trials on the GPU', t.trials_on_gpu] : null,
    (t.cuda || t.cudnn) ? ['CUDA / cuDNN', [t.cuda, t.cudnn].map(x => x || '—').join(' / ')] : null,
    t.tf32_conv != null ? ['TF32 convolutions', t.tf32_conv] : null,
    ['precision', t.precision], ['CPU', [t.cpu_model, t.cpu_cores != null ? `${t.cpu_cores} cores` : null].filter(Boolean).join(', ') || null],
    ['threads', t.threads], ['CPU kernels', t.cpu_kernels], t.cpu_fallback != null ? ['CPU fallback', t.cpu_fallback] : null,
    ['kernels per epoch span', t.epoch_spans, true], ['view upload', t.view_upload], ['layout', t.layout],
    ['layout note', t.layout_note], ['device note', t.device_note],
    ['started', fmtTime(t.started_at)], ['finished', fmtTime(t.finished_at)],
    ['job', t.job_file, true], ['sweep', t.sweep], ['schema version', t.schema_version],
  ];

  const epochTable = h('table', {class: 'data'},
    h('thead', null, h('tr', null, ['epoch', 'loss', 'kNN top-1', 'lr', 'train s', 'eval s', 'img/s', 'resumed', 'CPU', 'kernels']
      .map((c, i) => h('th', {class: i < 7 ? 'num' : null}, c)))),
    h('tbody', null, epochs.map(e => h('tr', null, h('td', {class: 'num'}, fmtInt(e.epoch)), h('td', {class: 'num'}, fmtFixed(e.loss, 4)),
      h('td', {class: 'num'}, fmtFixed(e.knn_top1)), h('td', {class: 'num'}, fmtSetting(e.lr)),
      h('td', {class: 'num'}, fmtFixed(e.train_seconds, 1)), h('td', {class: 'num'}, fmtFixed(e.eval_seconds, 1)),
      h('td', {class: 'num'}, fmtInt(e.images_per_second)), h('td', null, e.resumed ? 'yes' : ''),
      h('td', null, e.cpu_model || ''), h('td', null, e.kernels || '')))));

  fill(el,
    h('div', {class: 'page-head'},
      h('div', null,
        h('div', {class: 'muted'}, h('a', {href: '#/trials'}, 'Trials'), ' / trial'),
        h('h1', {class: 'trial-title', dataset: {k: 'trial-id'}}, t.trial_id),
        h('div', {class: 'sub'}, badge(t.status),
          t.cell_id ? h('span', null, 'cell ', h('a', {href: hashOf('/trials', {cell: t.cell_id}), class: 'mono'}, t.cell_id)) : null,
          h('span', null, [t.method, t.augs, t.strength != null ? 'strength ' + fmtSetting(t.strength) : null, t.seed != null ? 'seed ' + t.seed : null].filter(Boolean).join(' · ')))),
      h('div', {class: 'actions'}, cmpBtn,
        t.cell_id ? h('a', {class: 'button', href: hashOf('/compare', {cells: [t.cell_id]})}, 'Compare its cell') : null)),
    t.reason ? h('div', {class: 'callout' + (t.status === 'failed' ? '' : ' info')}, h('strong', null, t.status === 'failed' ? 'Failed: ' : 'Note: '), t.reason) : null,
    h('div', {class: 'kpis'},
      kpi('Best kNN top-1', isNum(t.knn_top1_best) ? [fmtFixed(t.knn_top1_best), h('small', null, '%')] : '—', isNum(t.best_epoch) ? 'at epoch ' + t.best_epoch : null),
      kpi('Control', isNum(t.knn_top1_init) ? [fmtFixed(t.knn_top1_init), h('small', null, '%')] : '—', 'the same network, untrained'),
      kpi('Gain', isNum(gain) ? fmtSigned(gain) : '—', 'best minus control, points'),
      kpi('Final kNN', isNum(t.knn_top1_final) ? fmtFixed(t.knn_top1_final) : '—', 'at the last epoch trained'),
      kpi('Epochs', `${fmtInt(t.epochs_done)} / ${fmtInt(t.epochs)}`, t.status),
      kpi('Time', fmtDuration(t.seconds), isNum(t.images_per_second) ? fmtInt(t.images_per_second) + ' images/s' : null)),
    h('div', {class: 'grid grid-2'},
      h('section', {class: 'panel'}, h('h2', null, 'Loss per epoch', h('span', {class: 'muted'}, plural(lossRows.length, 'epoch'))),
        lossRows.length ? lossEl : h('p', {class: 'muted'}, 'No epoch trained yet.')),
      h('section', {class: 'panel'}, h('h2', null, 'kNN top-1 per epoch', h('span', {class: 'muted'}, plural(knnRows.length, 'evaluation') + (isNum(t.knn_top1_init) ? ' · grey dashes: untrained control' : '') + (hasRungs ? ' · orange: rungs' : ''))),
        knnRows.length ? knnEl : h('p', {class: 'muted'}, 'No evaluation yet.'))),
    h('div', {class: 'grid grid-2'},
      panel('Settings', Object.keys(sampled).length ? `${Object.keys(sampled).length} sampled by the search` : null,
        settingRows.length ? kvTable(settingRows) : h('p', {class: 'muted'}, 'No settings recorded.')),
      panel('Provenance', 'where and how it ran', kvTable(prov.filter(r => r && r[1] !== null && r[1] !== undefined && r[1] !== '' && r[1] !== '—')))),
    h('section', {class: 'panel'}, h('details', null, h('summary', null, `Epochs (${epochs.length} rows)`), h('div', {class: 'table-wrap'}, epochTable))));

  const jobs = [];
  if (lossRows.length) jobs.push(chart(lossEl, lineSpec(lossRows, 'loss', 'loss', null, rungs)));
  if (knnRows.length) jobs.push(chart(knnEl, lineSpec(knnRows, 'knn_top1', 'kNN top-1 (%)', isNum(t.knn_top1_init) ? t.knn_top1_init : null, rungs)));
  await Promise.all(jobs);
}

function lineSpec(rows, field, title, control, rungs = []) {
  const line = {
    data: {values: rows},
    mark: {type: 'line', point: {filled: true, size: 34}, tooltip: true, color: field === 'loss' ? '#7c3aed' : '#2563eb'},
    encoding: {
      x: {field: 'epoch', type: 'quantitative', title: 'epoch', axis: {tickMinStep: 1, format: 'd', grid: false}},
      y: {field, type: 'quantitative', title, scale: {zero: false, nice: true}},
      tooltip: [{field: 'epoch', type: 'quantitative'}, {field, type: 'quantitative', title, format: field === 'loss' ? '.4f' : '.2f'}],
    },
  };
  const spec = {width: 'container', height: 240};
  const layers = [];
  if (rungs.length) {
    layers.push({data: {values: rungs.map(rung => ({rung}))}, mark: {type: 'rule', strokeDash: [2, 3], color: '#d97706', opacity: 0.8},
      encoding: {x: {field: 'rung', type: 'quantitative'}, tooltip: [{field: 'rung', type: 'quantitative', title: 'rung at epoch'}]}});
  }
  if (control !== null) {
    layers.push({data: {values: [{control}]}, mark: {type: 'rule', strokeDash: [4, 3], color: '#94a3b8', strokeWidth: 1.2},
      encoding: {y: {field: 'control', type: 'quantitative'}, tooltip: [{field: 'control', type: 'quantitative', title: 'untrained control', format: '.2f'}]}});
  }
  if (!layers.length) return Object.assign(spec, line);
  return Object.assign(spec, {layer: [...layers, line]});
}

// ==================================================================================================================
// #/compare?ids=a,b&cells=c
// ==================================================================================================================
async function renderCompare(el, ctx) {
  let ids = qList(ctx.raw, 'ids');
  let cells = qList(ctx.raw, 'cells');
  if (!ids.length && !cells.length && selection.get().length && !ctx.raw.has('ids')) {
    ids = selection.get();
    history.replaceState(null, '', hashOf('/compare', {ids}));
  }
  const setRoute = (nextIds, nextCells) => { location.hash = hashOf('/compare', {ids: nextIds, cells: nextCells}); };

  const input = h('input', {type: 'text', list: 'cell-options', placeholder: 'cell id or trial id', 'aria-label': 'cell or trial to add', spellcheck: 'false', autocomplete: 'off'});
  const options = h('datalist', {id: 'cell-options'});
  const addCell = h('button', {type: 'button'}, 'Add cell');
  const addTrial = h('button', {type: 'button'}, 'Add trial');
  const fromSel = h('button', {type: 'button', title: 'the trials ticked on the Trials page'}, `Use the Trials selection (${selection.get().length})`);
  fromSel.disabled = selection.get().length === 0;
  const msg = h('span', {class: 'muted'});
  addCell.addEventListener('click', () => { const v = input.value.trim(); if (v) setRoute(ids, [...new Set([...cells, v])]); });
  addTrial.addEventListener('click', () => { const v = input.value.trim(); if (v) setRoute([...new Set([...ids, v])], cells); });
  input.addEventListener('keydown', e => {
    if (e.key !== 'Enter') return;
    const v = input.value.trim();
    const isCell = [...options.querySelectorAll('option')].some(o => o.value === v);
    (isCell ? addCell : addTrial).click();
  });
  fromSel.addEventListener('click', () => setRoute(selection.get(), cells));
  const suggest = debounce(async () => {
    const q = input.value.trim();
    try {
      const res = await api('cells', {q, limit: 20}, ctx.signal);
      fill(options, res.cells.map(c => h('option', {value: c.cell_id},
        `${c.trials} trials · best ${fmtFixed(c.knn_top1_best_mean)}`)));
    } catch (e) { /* suggestions are optional */ }
  }, 200);
  input.addEventListener('input', suggest);
  input.addEventListener('focus', suggest, {once: true});

  const picker = h('div', {class: 'toolbar'}, input, options, addCell, addTrial, fromSel, msg);
  const chipsEl = h('div', {class: 'chips'});
  const body = h('div');
  fill(el,
    h('div', {class: 'page-head'}, h('div', null, h('h1', null, 'Compare'),
      h('div', {class: 'sub'}, 'Curves of the picked trials overlaid; a cell adds all its trials (its seeds).'))),
    h('section', {class: 'panel'}, picker, chipsEl),
    body);

  if (!ids.length && !cells.length) {
    fill(body, h('div', {class: 'panel empty'}, 'Nothing picked yet: tick trials on the ', h('a', {href: '#/trials'}, 'Trials'),
      ' page, or add a cell above (type to see the best cells).'));
    return;
  }
  const res = await api('curves', {id: ids, cell: cells}, ctx.signal);
  if (!ctx.alive()) return;
  const trials = res.trials || [];
  const color = new Map(trials.map((t, i) => [t.trial_id, PALETTE[i % PALETTE.length]]));
  fill(chipsEl,
    cells.map(c => h('span', {class: 'chip static', title: 'cell'}, 'cell ', h('code', null, c),
      h('button', {type: 'button', class: 'small', 'aria-label': 'remove', on: {click: () => setRoute(ids, cells.filter(x => x !== c))}}, '×'))),
    ids.map(i => h('span', {class: 'chip static', title: i}, color.has(i) ? colorSwatch(color.get(i)) : null, h('code', null, i),
      h('button', {type: 'button', class: 'small', 'aria-label': 'remove', on: {click: () => setRoute(ids.filter(x => x !== i), cells)}}, '×'))));
  fill(msg, (res.missing || []).length ? `Not found: ${res.missing.join(', ')}` : `${plural(trials.length, 'trial')}`);

  const byTrial = new Map(trials.map(t => [t.trial_id, t]));
  const knn = [], loss = [];
  for (const e of res.epochs || []) {
    if (!byTrial.has(e.trial_id)) continue;
    if (isNum(e.knn_top1)) knn.push({trial: e.trial_id, epoch: e.epoch, knn_top1: e.knn_top1});
    if (isNum(e.loss)) loss.push({trial: e.trial_id, epoch: e.epoch, loss: e.loss});
  }
  const domain = trials.map(t => t.trial_id);
  const range = domain.map(d => color.get(d));
  const knnEl = h('div', {class: 'chart', dataset: {chart: 'compare-knn', points: knn.length}});
  const lossEl = h('div', {class: 'chart', dataset: {chart: 'compare-loss', points: loss.length}});
  const summary = h('table', {class: 'data'},
    h('thead', null, h('tr', null, ['', 'trial', 'status', 'cell', 'settings', 'seed', 'best kNN', 'control', 'epochs', 'time'].map((c, i) =>
      h('th', {class: i >= 5 ? 'num' : null}, c)))),
    h('tbody', null, trials.map(t => h('tr', null, h('td', null, colorSwatch(color.get(t.trial_id))),
      h('td', {class: 'id'}, trialLink(t.trial_id, '')), h('td', null, badge(t.status)),
      h('td', {class: 'id'}, h('a', {href: hashOf('/trials', {cell: t.cell_id}), title: t.cell_id}, t.cell_id || '—')),
      h('td', {class: 'wrap'}, settingsText(t)), h('td', {class: 'num'}, fmtSetting(t.seed)),
      h('td', {class: 'num'}, fmtFixed(t.knn_top1_best)), h('td', {class: 'num'}, fmtFixed(t.knn_top1_init)),
      h('td', {class: 'num'}, `${fmtInt(t.epochs_done)}/${fmtInt(t.epochs)}`), h('td', {class: 'num'}, fmtDuration(t.seconds))))));
  fill(body,
    h('div', {class: 'grid grid-2'},
      h('section', {class: 'panel'}, h('h2', null, 'kNN top-1 per epoch'), knn.length ? knnEl : h('p', {class: 'muted'}, 'No evaluations yet.')),
      h('section', {class: 'panel'}, h('h2', null, 'Loss per epoch'), loss.length ? lossEl : h('p', {class: 'muted'}, 'No epochs yet.'))),
    panel('Trials', plural(trials.length, 'trial'), h('div', {class: 'table-wrap'}, summary)));
  const jobs = [];
  if (knn.length) jobs.push(chart(knnEl, overlaySpec(knn, 'knn_top1', 'kNN top-1 (%)', domain, range)));
  if (loss.length) jobs.push(chart(lossEl, overlaySpec(loss, 'loss', 'loss', domain, range)));
  await Promise.all(jobs);
}

function colorSwatch(c) {
  const s = h('span', {class: 'swatch', 'aria-hidden': 'true'});
  s.style.background = c; // CSSOM, from our own palette
  return s;
}

function settingsText(t) {
  const parts = [];
  const sampled = Object.assign({}, t.sampled || {}, t.sampled_choices || {});
  if (Object.keys(sampled).length) {
    for (const [k, v] of Object.entries(sampled)) parts.push(`${k} ${fmtSetting(v)}`);
  } else {
    if (t.method) parts.push(t.method);
    if (t.augs) parts.push(t.augs);
    if (t.strength != null) parts.push('strength ' + fmtSetting(t.strength));
    if (t.lr != null) parts.push('lr ' + fmtSetting(t.lr));
  }
  return parts.join(' · ');
}

function overlaySpec(rows, field, title, domain, range) {
  return {
    width: 'container', height: 280,
    data: {values: rows},
    mark: {type: 'line', point: rows.length <= 3000 ? {filled: true, size: 18} : false, strokeWidth: 1.6, tooltip: true},
    encoding: {
      x: {field: 'epoch', type: 'quantitative', title: 'epoch', axis: {tickMinStep: 1, format: 'd', grid: false}},
      y: {field, type: 'quantitative', title, scale: {zero: false, nice: true}},
      color: {field: 'trial', type: 'nominal', title: null, scale: {domain, range},
        legend: {orient: 'bottom', direction: 'vertical', columns: domain.length > 6 ? 2 : 1, labelLimit: 420, symbolType: 'stroke', symbolStrokeWidth: 3}},
      tooltip: [{field: 'trial', type: 'nominal'}, {field: 'epoch', type: 'quantitative'},
        {field, type: 'quantitative', title, format: field === 'loss' ? '.4f' : '.2f'}],
    },
  };
}

// ==================================================================================================================
// #/tables
// ==================================================================================================================
async function renderTables(el, ctx) {
  const res = await api('tables', {}, ctx.signal);
  if (!ctx.alive()) return;
  const empty = !res.html || !String(res.html).trim();
  fill(el,
    h('div', {class: 'page-head'}, h('div', null, h('h1', null, 'Tables'),
      h('div', {class: 'sub'}, 'The paper\u2019s tables and their verdicts, as ', h('code', null, 'augsweep tables'), ' prints them.'))),
    h('section', {class: 'panel', dataset: {k: 'tables'}}, empty ? h('p', {class: 'muted'}, 'No table yet: no cell has finished.') : reportBlock(res.html)));
}

// ==================================================================================================================
// #/search
// ==================================================================================================================
const MAX_DRAWN = 2500; // cells drawn per chart unless asked for all: thinned evenly by rank, the best always kept

/** At most n of the items (sorted worst to best), evenly spaced by rank, the best among them; all when n is null. */
function thin(sorted, n) {
  if (n === null || sorted.length <= n) return sorted;
  const step = sorted.length / n;
  const out = [];
  for (let i = n - 1; i >= 0; i--) out.push(sorted[sorted.length - 1 - Math.floor(i * step)]);
  return out;
}

const nextFrame = () => new Promise(r => setTimeout(r, 0));

/** The plot width that fills el, less room for axes and legend. */
function plotWidth(el, reserve) {
  return Math.max(160, Math.floor(el.clientWidth - reserve));
}

async function renderSearch(el, ctx) {
  const res = await api('search', {}, ctx.signal);
  if (!ctx.alive()) return;
  const searches = res.searches || [];
  const head = h('div', {class: 'page-head'}, h('div', null, h('h1', null, 'Search'),
    h('div', {class: 'sub'}, 'What the sampled search found: best configurations, each setting\u2019s effect, the sampled points.')));
  if (!searches.length) {
    fill(el, head, h('div', {class: 'panel empty'}, 'These results hold no sampled search (a job with a ', h('code', null, 'search { }'), ' block).'));
    return;
  }
  fill(el, head);
  const first = [];
  const later = [];

  for (const s of searches) {
    const pcEl = h('div', {class: 'chart tall', dataset: {chart: 'parallel'}});
    const scatterBox = h('div', {class: 'small-multiples'});
    const rungEl = h('div', {class: 'chart', dataset: {chart: 'rungs'}});
    const scored = (s.points || []).filter(p => isNum(p.score)).sort((a, b) => a.score - b.score);
    const many = scored.length > MAX_DRAWN;
    const filterSel = h('select', {'aria-label': 'which cells to draw'},
      many ? h('option', {value: 'thin'}, `${fmtInt(MAX_DRAWN)} cells, spread by score`) : null,
      h('option', {value: 'all'}, `all ${fmtInt(scored.length)} cells`),
      h('option', {value: '0.25'}, 'best 25%'), h('option', {value: '0.05'}, 'best 5%'));
    const pcInfo = h('div', {class: 'muted'});
    const drawPc = async () => {
      const v = filterSel.value;
      const shown = v === 'thin' ? thin(scored, MAX_DRAWN) : v === 'all' ? scored
        : thin(scored.slice(Math.floor(scored.length * (1 - parseFloat(v)))), MAX_DRAWN);
      fill(pcInfo, `${fmtInt(shown.length)} of ${fmtInt(scored.length)} scored cells` +
        (v === 'thin' ? ' (every cell of a rank step, best included)' : '') +
        '; colour: the cell\u2019s mean best kNN top-1, better cells on top; axis ends: the range searched');
      finalizeViewOf(pcEl);
      if (!shown.length) { fill(pcEl, h('p', {class: 'muted'}, 'No cell has a score yet.')); return; }
      pcEl.replaceChildren();
      await chart(pcEl, parallelSpec(s.settings || [], shown), {renderer: 'canvas', reserve: 120});
    };
    filterSel.addEventListener('change', () => { drawPc().catch(e => console.warn(e)); });
    const withEffect = (s.points || []).filter(p => isNum(p.effect_score)).sort((a, b) => a.effect_score - b.effect_score);
    const dots = thin(withEffect, MAX_DRAWN);
    el.appendChild(h('div', {class: 'grid grid-2'},
      h('section', {class: 'panel'}, reportBlock(s.html)),
      h('div', null,
        h('section', {class: 'panel'}, h('div', {class: 'panel-title'}, h('h2', null, 'Sampled points'), h('span', {class: 'grow'}), filterSel), pcInfo, pcEl),
        h('section', {class: 'panel'}, h('h2', null, 'Trials per rung', h('span', {class: 'muted'}, 'trials that trained to each epoch')), rungEl))));
    el.appendChild(h('section', {class: 'panel'},
      h('h2', null, 'Score against each setting', h('span', {class: 'muted'}, `each cell\u2019s mean kNN top-1 at epoch ${s.effect_epoch}, which every trial reached` +
        (dots.length < withEffect.length ? ` · ${fmtInt(dots.length)} of ${fmtInt(withEffect.length)} cells drawn, spread by score` : ` · ${plural(withEffect.length, 'cell')}`))),
      scatterBox));
    first.push(drawPc());
    if ((s.rungs || []).length) first.push(chart(rungEl, rungSpec(s.rungs)));
    else fill(rungEl, h('p', {class: 'muted'}, 'No schedule.'));
    const effects = new Map((s.effects || []).map(e => [e.setting, e]));
    for (const setting of s.settings || []) {
      const box = h('div', {class: 'chart', dataset: {chart: 'effect'}});
      scatterBox.appendChild(h('div', {class: 'cell'}, box));
      later.push(() => chart(box, effectSpec(setting, effects.get(setting.name), dots), {renderer: 'canvas', reserve: 60}));
    }
  }
  await Promise.all(first);
  // The small multiples below the fold are drawn after the page is shown, one at a time, yielding in between.
  ctx.background = (async () => {
    for (const draw of later) {
      await nextFrame();
      if (!ctx.alive()) return;
      await draw();
    }
  })();
}

function finalizeViewOf(el) {
  if (el._view) {
    try { el._view.finalize(); } catch (e) { /* gone */ }
    activeViews = activeViews.filter(v => v !== el._view);
    el._view = null;
  }
  for (const c of [...fixedCharts]) if (c.el === el) fixedCharts.delete(c);
}

/** A setting's value on a 0..1 axis (log for log-uniform, position for a choice); null where it has none. */
function normalise(setting, p) {
  const v = p.values && p.values[setting.name] !== undefined && p.values[setting.name] !== null ? p.values[setting.name]
    : p.choices ? p.choices[setting.name] : undefined;
  if (v === undefined || v === null) return null;
  if (setting.choices && setting.choices.length) {
    const i = setting.choices.findIndex(c => c === v || String(c) === String(v));
    if (i < 0) return null;
    return setting.choices.length === 1 ? 0.5 : i / (setting.choices.length - 1);
  }
  if (!isNum(v) || !isNum(setting.low) || !isNum(setting.high) || setting.high === setting.low) return 0.5;
  if (setting.log && v > 0 && setting.low > 0) {
    return (Math.log(v) - Math.log(setting.low)) / (Math.log(setting.high) - Math.log(setting.low));
  }
  return (v - setting.low) / (setting.high - setting.low);
}

function axisEnds(setting) {
  if (setting.choices && setting.choices.length) {
    return [fmtSetting(setting.choices[0]), fmtSetting(setting.choices[setting.choices.length - 1])];
  }
  return [fmtSetting(setting.low), fmtSetting(setting.high)];
}

/**
 * Parallel coordinates, folded here into segments between adjacent axes (one rule per segment: one flat mark, fast
 * for thousands of cells). Axis names are data values and the literal domain of a nominal scale, never field names or
 * expressions: no `sort: [...]` either, which Vega-Lite turns into an indexof() expression over the values.
 */
function parallelSpec(settings, points) {
  const names = settings.map(s => s.name);
  const segs = [];
  points.forEach((p, c) => {
    const v = settings.map(s => normalise(s, p));
    for (let i = 0; i + 1 < settings.length; i++) {
      if (v[i] === null || v[i + 1] === null) continue;
      segs.push({c, a: names[i], b: names[i + 1], v0: v[i], v1: v[i + 1], score: p.score});
    }
  });
  const ends = [];
  settings.forEach(s => {
    const [lo, hi] = axisEnds(s);
    ends.push({a: s.name, v: 0, label: lo, pos: 'low'}, {a: s.name, v: 1, label: hi, pos: 'high'});
  });
  const x = {field: 'a', type: 'nominal', title: null,
    scale: {domain: names, padding: 0.25},
    axis: {orient: 'top', labelAngle: 0, domain: false, ticks: false, grid: true, gridColor: '#9ca3af', gridWidth: 1,
      labelFontWeight: 600, labelFontSize: 11.5, labelColor: '#1f2937', labelLimit: 150, labelPadding: 20}};
  const y = {type: 'quantitative', scale: {domain: [0, 1]}, axis: null};
  return {
    width: 'container', height: 300,
    layer: [
      {data: {values: segs}, mark: {type: 'rule', strokeWidth: 1, opacity: 0.45, strokeCap: 'round'},
        encoding: {x, x2: {field: 'b'}, y: Object.assign({field: 'v0'}, y), y2: {field: 'v1'},
          color: {field: 'score', type: 'quantitative', title: 'kNN top-1', scale: {scheme: 'viridis'},
            legend: {orient: 'right', gradientLength: 180, titleOrient: 'top'}}}},
      {data: {values: ends.filter(e => e.pos === 'low')}, mark: {type: 'text', baseline: 'top', dy: 5, fontSize: 10.5, color: '#4b5563'},
        encoding: {x: {field: 'a', type: 'nominal', scale: {domain: names}}, y: Object.assign({field: 'v'}, y), text: {field: 'label', type: 'nominal'}}},
      {data: {values: ends.filter(e => e.pos === 'high')}, mark: {type: 'text', baseline: 'bottom', dy: -5, fontSize: 10.5, color: '#4b5563'},
        encoding: {x: {field: 'a', type: 'nominal', scale: {domain: names}}, y: Object.assign({field: 'v'}, y), text: {field: 'label', type: 'nominal'}}},
    ],
    resolve: {scale: {x: 'shared'}},
  };
}

function effectSpec(setting, effect, points) {
  const rows = [];
  for (const p of points) {
    if (!isNum(p.effect_score)) continue;
    const v = p.values && p.values[setting.name] !== undefined && p.values[setting.name] !== null ? p.values[setting.name]
      : p.choices ? p.choices[setting.name] : undefined;
    if (v === undefined || v === null) continue;
    if (setting.choices && setting.choices.length && !setting.choices.some(c => c === v || String(c) === String(v))) continue;
    rows.push({x: v, y: p.effect_score});
  }
  const alpha = Math.max(0.06, Math.min(0.5, 40 / Math.max(1, rows.length)));
  const sub = effect ? `importance ${effect.importance === null || effect.importance === undefined ? 'n/a' : effect.importance.toFixed(2)} · ρ ${effect.rho === null ? 'n/a' : fmtSigned(effect.rho)} · Holm p ${effect.p_holm === null ? 'n/a'
    : effect.p_holm < 0.001 ? '<0.001' : effect.p_holm.toFixed(3)} · ${effect.verdict || ''}` : null;
  const title = {text: setting.name, subtitle: [setting.distribution, sub].filter(Boolean)};
  const y = {field: 'y', type: 'quantitative', title: 'kNN top-1 (%)', scale: {zero: false, nice: true}};
  if (setting.choices && setting.choices.length) {
    return {
      title, width: 'container', height: 180, data: {values: rows},
      layer: [
        {mark: {type: 'tick', opacity: alpha, thickness: 1, color: '#2563eb'},
          encoding: {x: {field: 'x', type: 'ordinal', title: null, scale: {domain: setting.choices}, axis: {labelAngle: 0}}, y}},
        {mark: {type: 'tick', thickness: 3, color: '#dc2626', size: 22, tooltip: true},
          encoding: {x: {field: 'x', type: 'ordinal', scale: {domain: setting.choices}},
            y: {field: 'y', type: 'quantitative', aggregate: 'mean', title: 'kNN top-1 (%)'}}},
      ],
    };
  }
  return {
    title, width: 'container', height: 180, data: {values: rows},
    mark: {type: 'circle', size: 12, opacity: Math.max(0.2, alpha), color: '#2563eb'},
    encoding: {
      x: {field: 'x', type: 'quantitative', title: null,
        scale: setting.log ? {type: 'log', domain: [setting.low, setting.high]} : {domain: [setting.low, setting.high], nice: false, zero: false},
        axis: Object.assign({tickCount: 5, labelOverlap: true}, setting.log ? {format: '~g'} : {})},
      y,
    },
  };
}

function rungSpec(rungs) {
  const rows = rungs.map(r => ({epoch: String(r.epoch), trials: r.trials}));
  return {
    width: 'container', height: 170, data: {values: rows},
    layer: [
      {mark: {type: 'bar', color: '#2563eb', cornerRadiusEnd: 2, tooltip: true},
        encoding: {x: {field: 'epoch', type: 'ordinal', scale: {domain: rows.map(r => r.epoch)}, title: 'epoch', axis: {labelAngle: 0}},
          y: {field: 'trials', type: 'quantitative', title: 'trials'}}},
      {mark: {type: 'text', dy: -6, fontSize: 11, color: '#374151'},
        encoding: {x: {field: 'epoch', type: 'ordinal', scale: {domain: rows.map(r => r.epoch)}}, y: {field: 'trials', type: 'quantitative'},
          text: {field: 'trials', type: 'quantitative', format: ','}}},
    ],
  };
}

// ==================================================================================================================
// #/concentration
// ==================================================================================================================
const CONC_COLUMNS = [
  ['setting', 'setting'], ['dataset', 'dataset'], ['augs', 'augs'], ['strength', 'strength', 'num'],
  ['delta_quantile', 'δ quantile', 'num'], ['delta', 'δ', 'num', 2], ['one_minus_sigma', '1 − σ', 'num', 3],
  ['one_minus_sigma_mean', '1 − σ (mean)', 'num', 4], ['worst_class', 'worst class', 'num'], ['exact', 'exact'],
  ['classes', 'classes', 'num'], ['images_per_class', 'images/class', 'num'],
  ['views', 'views', 'num'], ['space', 'space'], ['seed', 'seed', 'num'], ['seconds', 'seconds', 'num', 1],
  ['measured_at', 'measured'], ['recipe', 'recipe', 'mono'], ['sweep', 'sweep'], ['sigma_per_class', 'σ per class', 'mono'],
];

async function renderConcentration(el, ctx) {
  const res = await api('concentration', {}, ctx.signal);
  if (!ctx.alive()) return;
  const rows = res.rows || [];
  const head = h('div', {class: 'page-head'}, h('div', null, h('h1', null, 'Concentration'),
    h('div', {class: 'sub'}, 'The (σ, δ)-measure of augmented data, per augmentation setting, where it was measured. ',
      'Higher 1 − σ: augmented views of a class stay closer together.')));
  if (!rows.length) {
    fill(el, head, h('div', {class: 'panel empty'}, 'No concentration was measured for these results (', h('code', null, 'augsweep concentration JOB'), ').'));
    return;
  }
  const chartEl = h('div', {class: 'chart', dataset: {chart: 'concentration'}});
  const table = h('table', {class: 'data', dataset: {rows: rows.length}},
    h('thead', null, h('tr', null, CONC_COLUMNS.map(([, label, cls]) => h('th', {class: cls === 'num' ? 'num' : null}, label)))),
    h('tbody', null, rows.map(r => h('tr', null, CONC_COLUMNS.map(([k, , cls, digits]) => {
      let v = r[k];
      if (k === 'measured_at') v = fmtTime(v);
      else if (digits !== undefined) v = fmtFixed(v, digits);
      else v = fmtSetting(v);
      return h('td', {class: cls || null}, v);
    })))));
  fill(el, head,
    panel('1 − σ by setting', 'one line per δ quantile', chartEl),
    panel('Measured rows', plural(rows.length, 'row'), h('div', {class: 'table-wrap'}, table)));
  const settings = [...new Set(rows.map(r => r.setting))];
  const data = rows.filter(r => isNum(r.one_minus_sigma)).map(r => ({setting: r.setting, q: String(r.delta_quantile), v: r.one_minus_sigma}));
  await chart(chartEl, {
    width: 'container', height: 220, data: {values: data},
    mark: {type: 'line', point: {filled: true, size: 40}, tooltip: true},
    encoding: {
      x: {field: 'setting', type: 'nominal', scale: {domain: settings}, title: null, axis: {labelAngle: 0, labelLimit: 140}},
      y: {field: 'v', type: 'quantitative', title: '1 − σ', scale: {zero: false}},
      color: {field: 'q', type: 'ordinal', title: 'δ quantile', scale: {range: ['#93c5fd', '#2563eb', '#1e3a8a', '#0f172a']}, legend: {orient: 'right'}},
    },
  });
}

// ==================================================================================================================
// Start
// ==================================================================================================================
window.augsweepDashboard = {sanitizeServerHtml, chartTimes, specs: {parallelSpec, effectSpec, lineSpec, overlaySpec, perHourSpec, rungSpec}}; // for the browser tests of the sanitiser
window.addEventListener('hashchange', route);
live.loop();
route();
