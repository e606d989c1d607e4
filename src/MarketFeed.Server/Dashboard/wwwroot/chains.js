// MarketFeed option-chain page: pick an underlying and expiry (GET /api/chains), then the chain streams over /ws on
// the chain channel: a snapshot, then the strikes that changed. Strikes run down the middle, calls on the left and
// puts on the right, the at-the-money row highlighted, OI as bars, and the IV smile drawn beside it.
(() => {
  'use strict';
  const token = new URLSearchParams(location.search).get('access_token');
  const withToken = (url) => token ? url + (url.includes('?') ? '&' : '?') + 'access_token=' + encodeURIComponent(token) : url;
  const el = (id) => document.getElementById(id);
  const node = (tag, className, text) => {
    const n = document.createElement(tag);
    if (className) n.className = className;
    if (text != null) n.textContent = text;
    return n;
  };
  const say = (text) => { el('message').textContent = text; };
  const fixed = (v, d) => v == null ? '–' : Number(v).toFixed(d);
  const plain = (v) => v == null ? '–' : String(v);

  const state = { chain: null, strikes: new Map(), socket: null, key: null, dirty: false, retry: 0 };
  let underlyings = [];

  async function load() {
    const r = await fetch(withToken('/api/chains'));
    if (!r.ok) { say('could not list the chains: ' + r.status); return; }
    underlyings = (await r.json()).underlyings;
    const pick = el('chain-underlying');
    pick.replaceChildren(...underlyings.map((u) => { const o = node('option', null, u.root); o.value = u.root; return o; }));
    const wanted = new URLSearchParams(location.search).get('underlying');
    if (wanted && underlyings.some((u) => u.root === wanted)) pick.value = wanted;
    fillExpiries();
    connect();
  }

  function fillExpiries() {
    const u = underlyings.find((x) => x.root === el('chain-underlying').value);
    el('chain-expiry').replaceChildren(...(u ? u.expiries : []).map((e) => { const o = node('option', null, e); o.value = e; return o; }));
  }

  function channel() { return 'chain:' + el('chain-expiry').value + ':' + el('chain-strikes').value; }

  function connect() {
    const url = new URL(withToken('/ws'), location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(url);
    state.socket = socket;
    socket.onopen = () => { state.retry = 0; el('connection').dataset.state = 'open'; el('connection').textContent = 'live'; subscribe(); };
    socket.onmessage = (e) => receive(JSON.parse(e.data));
    socket.onclose = () => {
      el('connection').dataset.state = 'closed';
      el('connection').textContent = 'reconnecting…';
      setTimeout(connect, Math.min(5000, 250 * 2 ** state.retry++));
    };
  }

  function subscribe() {
    if (!state.socket || state.socket.readyState !== WebSocket.OPEN || !el('chain-expiry').value) return;
    if (state.key) state.socket.send(JSON.stringify({ op: 'unsubscribe', symbols: [state.key], channels: ['chain'] }));
    state.key = el('chain-underlying').value;
    state.chain = null;
    state.strikes.clear();
    state.socket.send(JSON.stringify({ op: 'subscribe', symbols: [state.key], channels: [channel()] }));
  }

  function receive(message) {
    if (message.type === 'error') { say(message.message); return; }
    if (message.type !== 'chain' || message.root !== el('chain-underlying').value || message.expiry !== el('chain-expiry').value
      || message.strikesEachSide !== Number(el('chain-strikes').value)) return;
    if (message.snapshot) state.strikes.clear();
    for (const s of message.strikes) state.strikes.set(s.strike, s);
    state.chain = message;
    if (!state.dirty) { state.dirty = true; requestAnimationFrame(render); }
  }

  function sideCells(side, maxOi, isCall) {
    const cls = isCall ? 'call' : 'put';
    const cell = (text, extra) => node('td', cls + ' num' + (extra ? ' ' + extra : ''), text);
    const barCell = node('td', cls + ' bar');
    const div = node('div', 'oi-bar');
    div.style.width = side && side.oi != null && maxOi > 0 ? Math.round(100 * side.oi / maxOi) + '%' : '0';
    barCell.append(div);
    if (!side) return [barCell, cell('–'), cell('–'), cell('–'), cell('–'), cell('–'), cell('–')];
    const iv = side.ivMid ?? side.ivLast;
    const ivCell = iv != null ? cell(fixed(iv, 2)) : cell(side.ivMidFlag === 'noPrice' ? '–' : (side.ivMidFlag || '–'), 'flag');
    const change = cell(plain(side.oiChange), side.oiChangeBasis === 'session' ? 'oi-session' : side.oiChangeBasis === 'previousDay' ? 'oi-previous' : '');
    change.title = side.oiChangeBasis === 'previousDay' ? `since the previous day's close (${plain(side.previousOi)})`
      : side.oiChangeBasis === 'session' ? "since this session's first OI: the feed has not given the previous day's" : '';
    const cells = [cell(plain(side.oi)), change, cell(plain(side.volume)), ivCell, cell(fixed(side.delta, 2)), cell(plain(side.ltp), 'ltp')];
    return isCall ? [barCell, ...cells] : [...cells.reverse(), barCell];
  }

  function render() {
    state.dirty = false;
    const chain = state.chain;
    if (!chain) return;
    const rows = [...state.strikes.values()].sort((a, b) => a.strike - b.strike);
    const maxOi = Math.max(1, ...rows.flatMap((r) => [r.call?.oi ?? 0, r.put?.oi ?? 0]));
    const body = el('chain-rows');
    body.replaceChildren(...rows.map((r) => {
      const tr = node('tr');
      tr.dataset.strike = r.strike;
      if (r.strike === chain.atm) tr.classList.add('atm');
      if (chain.forward != null && r.strike < chain.forward) tr.classList.add('itm-call');
      if (chain.forward != null && r.strike > chain.forward) tr.classList.add('itm-put');
      tr.append(...sideCells(r.call, maxOi, true), node('td', 'strike', String(r.strike)), ...sideCells(r.put, maxOi, false));
      return tr;
    }));
    el('chain-summary').textContent =
      `${chain.underlying} ${fixed(chain.spot, 2)} · forward ${fixed(chain.forward, 2)} (${chain.basis}) · ${fixed(chain.daysToExpiry, 2)} days · ` +
      `ATM ${plain(chain.atm)} · PCR ${fixed(chain.pcrOi, 2)} OI / ${fixed(chain.pcrVolume, 2)} vol · max pain ${plain(chain.maxPain)} · ` +
      `ΔOI ${oiBasis(rows)} · seq ${chain.seq}`;
    drawSmile(rows, chain);
  }

  /** What the window's OI changes are measured from: the previous day, this session (italic, '*'), or a mix of both. */
  function oiBasis(rows) {
    const bases = new Set(rows.flatMap((r) => [r.call?.oiChangeBasis, r.put?.oiChangeBasis]).filter((b) => b));
    if (bases.size === 0) return 'no OI';
    if (bases.size === 2) return "from the previous day (* from this session's first OI)";
    return bases.has('previousDay') ? 'from the previous day' : "from this session's first OI*";
  }

  function drawSmile(rows, chain) {
    const svg = el('smile');
    const ns = 'http://www.w3.org/2000/svg';
    const points = rows.filter((r) => r.smileIv != null).map((r) => [r.strike, r.smileIv]);
    const shape = (tag, attrs, cls) => { const n = document.createElementNS(ns, tag); for (const k in attrs) n.setAttribute(k, attrs[k]); if (cls) n.setAttribute('class', cls); return n; };
    const children = [shape('line', { x1: 30, y1: 220, x2: 395, y2: 220 }, 'axis'), shape('line', { x1: 30, y1: 5, x2: 30, y2: 220 }, 'axis')];
    if (points.length >= 2) {
      const [k0, k1] = [points[0][0], points[points.length - 1][0]];
      const ivs = points.map((p) => p[1]);
      const lo = Math.min(...ivs), hi = Math.max(...ivs), span = Math.max(0.5, hi - lo);
      const x = (k) => 30 + 365 * (k - k0) / Math.max(1, k1 - k0);
      const y = (v) => 215 - 200 * (v - lo) / span;
      children.push(shape('polyline', { points: points.map((p) => `${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join(' ') }, 'line'));
      for (const p of points) children.push(shape('circle', { cx: x(p[0]).toFixed(1), cy: y(p[1]).toFixed(1), r: 2.5 }, 'point'));
      if (chain.atm != null) children.push(shape('line', { x1: x(chain.atm), y1: 5, x2: x(chain.atm), y2: 220 }, 'atm'));
      const label = (t, ax, ay) => { const n = shape('text', { x: ax, y: ay }); n.textContent = t; return n; };
      children.push(label(String(k0), 30, 234), label(String(k1), 360, 234), label(hi.toFixed(1) + '%', 0, 18), label(lo.toFixed(1) + '%', 0, 216));
      el('smile-range').textContent = `${lo.toFixed(2)}–${hi.toFixed(2)} %`;
    }
    svg.replaceChildren(...children);
    svg.dataset.points = String(points.length);
  }

  el('chain-underlying').addEventListener('change', () => { fillExpiries(); subscribe(); });
  el('chain-expiry').addEventListener('change', subscribe);
  el('chain-strikes').addEventListener('change', subscribe);

  // For tests and scripts: what the page shows.
  window.marketfeedChain = {
    rows: () => el('chain-rows').children.length,
    atm: () => el('chain-rows').querySelector('tr.atm')?.dataset.strike ?? null,
    smilePoints: () => Number(el('smile').dataset.points || 0),
    seq: () => state.chain?.seq ?? -1,
    oiBasis: () => oiBasis([...state.strikes.values()]),
  };
  load().catch((e) => say(String(e.message || e)));
})();
