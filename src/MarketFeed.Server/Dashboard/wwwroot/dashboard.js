// MarketFeed dashboard: tiles for the gateway's subscriptions (values from /ws ticks, state from /api/status),
// a live candlestick chart with the instrument's order book beside it when it has one (/ws books channel), and a box
// to add and remove symbols. Rendering is batched per animation frame so a
// few hundred ticking instruments stay responsive.
(() => {
  'use strict';
  const token = new URLSearchParams(location.search).get('access_token');
  const withToken = (url) => token ? url + (url.includes('?') ? '&' : '?') + 'access_token=' + encodeURIComponent(token) : url;
  const api = (path, options) => fetch(withToken(path), options).then(async (r) => {
    if (!r.ok && r.status !== 204) {
      const problem = await r.json().catch(() => ({ detail: r.statusText }));
      throw new Error(problem.detail || problem.title || r.statusText);
    }
    return r.status === 204 ? null : r.json();
  });

  const tiles = new Map();       // symbol -> { el, tick }
  const dirty = new Set();
  const chart = { symbol: null, interval: '5m', series: null, api: null, bars: 0, origins: new Map() };
  // The chart instrument's book as the client holds it: price -> size per side; a snapshot replaces it, an update sets levels.
  const book = { symbol: null, bids: new Map(), asks: new Map(), state: null, dirty: false };
  const BOOK_LEVELS = 10;
  let socket = null;
  let retry = 0;

  const el = (id) => document.getElementById(id);
  // Text from the gateway or a venue (symbols, names, errors) only ever goes into the page as textContent.
  const node = (tag, className, text) => {
    const n = document.createElement(tag);
    if (className) n.className = className;
    if (text != null) n.textContent = text;
    return n;
  };
  const row = (...children) => { const r = node('div', 'row'); r.append(...children); return r; };
  const ms = (v) => (v < 1000 ? +v.toFixed(1) + ' ms' : (v / 1000).toFixed(2) + ' s');
  const say = (text) => { el('message').textContent = text; if (text) setTimeout(() => { if (el('message').textContent === text) el('message').textContent = ''; }, 4000); };

  // ---- tiles ---------------------------------------------------------------------------------------------
  function tileFor(symbol) {
    let tile = tiles.get(symbol);
    if (tile) return tile;
    const div = document.createElement('div');
    div.className = 'tile';
    div.dataset.symbol = symbol;
    div.dataset.state = 'initializing';
    const removeButton = node('button', 'remove', '×');
    removeButton.title = 'remove';
    div.append(
      removeButton, node('div', 'symbol', symbol), node('div', 'ltp', '–'),
      row(node('span', 'change', '–'), node('span', 'pct')),
      row(node('span', 'bid', 'bid –'), node('span', 'ask', 'ask –')),
      row(node('span', 'updates', '0 updates'), node('span', 'age', '–')));
    removeButton.addEventListener('click', (e) => { e.stopPropagation(); remove(symbol); });
    div.addEventListener('click', () => selectChart(symbol));
    el('tiles').appendChild(div);
    tile = { el: div, tick: null };
    tiles.set(symbol, tile);
    return tile;
  }

  function render() {
    for (const symbol of dirty) {
      const tile = tiles.get(symbol);
      if (!tile || !tile.tick) continue;
      const t = tile.tick, q = (c) => tile.el.querySelector(c);
      q('.ltp').textContent = t.ltp ?? '–';
      const change = q('.change');
      change.textContent = t.change == null ? '–' : (t.change > 0 ? '+' : '') + t.change;
      change.className = 'change ' + (t.change > 0 ? 'up' : t.change < 0 ? 'down' : '');
      q('.pct').textContent = t.changePercent == null ? '' : t.changePercent + '%';
      q('.bid').textContent = 'bid ' + (t.bid ?? '–');
      q('.ask').textContent = 'ask ' + (t.ask ?? '–');
      tile.el.dataset.seq = t.seq;
    }
    dirty.clear();
    if (book.dirty) renderBook();
    requestAnimationFrame(render);
  }

  async function refreshStatus() {
    try {
      const status = await api('/api/status');
      el('feeds').replaceChildren(...status.feeds.map((f) => {
        // Input problems appear only when there are some; the last error (already made printable and short by the
        // gateway) is the panel's tooltip, set as text.
        const problems = [[f.malformedFrames, 'malformed'], [f.oversizedFrames, 'oversized'], [f.unknownInstruments, 'unknown'],
          [f.handlerErrors, 'errors'], [f.pollFailures, 'poll failures']].filter(([n]) => n > 0).map(([n, what]) => ` · ${n} ${what}`).join('');
        // A simulated feed says so up front: its prices are not a market's, and in 24/7 mode it trades when the exchange is shut.
        const simulated = f.simulated ? `SIMULATED (${f.simulated}) · ` : '';
        // How data arrives (a feed set to poll says so), and how late it is: exchange time to receive time, last minute.
        const mode = f.pollingForced ? 'polling (set)' : f.mode;
        const latency = f.latency ? ` · latency p50 ${ms(f.latency.p50Ms)} p99 ${ms(f.latency.p99Ms)}` : '';
        const div = node('div', 'feed', `${simulated}${f.feed}: ${f.state} · ${mode} · ${f.connections} conn · ${f.reconnects} reconnects · ${f.messagesPerSecond} msg/s${latency}${problems}`);
        div.dataset.feed = f.feed;
        div.dataset.state = f.state;
        div.dataset.mode = f.mode;
        if (f.pollingForced) div.dataset.pollingForced = 'true';
        if (f.latency) { div.dataset.p50 = f.latency.p50Ms; div.dataset.p99 = f.latency.p99Ms; }
        if (f.simulated) div.dataset.simulated = f.simulated;
        if (f.lastError) div.title = f.lastError;
        return div;
      }));
      for (const i of status.instruments) {
        const tile = tiles.get(i.symbol);
        if (!tile) continue;
        tile.el.dataset.state = i.state;
        // The venue refused this instrument alone: its text (printable and bounded by the gateway) replaces the
        // updates line, shortened, and is the tile's tooltip in full, until the venue serves it again.
        const updates = tile.el.querySelector('.updates');
        updates.classList.toggle('venue-error', !!i.error);
        if (i.error) {
          tile.el.title = i.error;
          updates.textContent = i.error.length > 60 ? i.error.slice(0, 59) + '…' : i.error;
        } else {
          tile.el.removeAttribute('title');
          updates.textContent = `${i.updates} updates · ${i.source ?? '–'}`;
        }
        tile.el.querySelector('.age').textContent = i.ageMs == null ? '–' : (i.ageMs < 1000 ? i.ageMs + ' ms' : (i.ageMs / 1000).toFixed(1) + ' s');
      }
    } catch (e) {
      say('status: ' + e.message);
    }
  }

  async function loadSubscriptions() {
    const { subscriptions } = await api('/api/subscriptions');
    const wanted = new Set(subscriptions.map((s) => s.symbol));
    for (const symbol of [...tiles.keys()]) if (!wanted.has(symbol)) dropTile(symbol);
    for (const symbol of wanted) tileFor(symbol);
    send({ op: 'subscribe', symbols: [...wanted], channels: ['ticks'] });
    if (!chart.symbol && wanted.size) selectChart([...wanted][0]);
  }

  function dropTile(symbol) {
    const tile = tiles.get(symbol);
    if (tile) tile.el.remove();
    tiles.delete(symbol);
  }

  async function add(text) {
    const symbol = text.includes(':') ? text : (await api('/api/instruments?q=' + encodeURIComponent(text) + '&limit=1'))[0]?.symbol;
    if (!symbol) { say(`no instrument matches '${text}'`); return; }
    try {
      await api('/api/subscriptions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ symbols: [symbol], mode: 'quote' }) });
      tileFor(symbol);
      send({ op: 'subscribe', symbols: [symbol], channels: ['ticks'] });
    } catch (e) {
      say(e.message);
    }
  }

  async function remove(symbol) {
    try {
      await api('/api/subscriptions/' + encodeURIComponent(symbol), { method: 'DELETE' });
    } catch (e) {
      say(e.message);
    }
    if (chart.symbol !== symbol) send({ op: 'unsubscribe', symbols: [symbol] });
    dropTile(symbol);
  }

  // ---- chart ---------------------------------------------------------------------------------------------
  // Bars are placed at exchange-local wall time (the offset in each ISO timestamp), as traders read them.
  function barTime(iso) {
    const m = /([+-])(\d\d):(\d\d)$/.exec(iso);
    const offset = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60) : 0;
    return Math.floor(Date.parse(iso) / 1000) + offset;
  }

  // Bars changed after the fact stand out: revised (the venue's candle replaced the live one) and backfilled (not seen live).
  const ORIGIN_COLORS = { revised: '#f0a020', backfilled: '#9b7be0' };

  function toBar(c) {
    const bar = { time: barTime(c.start), open: c.open, high: c.high, low: c.low, close: c.close };
    const color = ORIGIN_COLORS[c.origin];
    if (color) Object.assign(bar, { color, borderColor: color, wickColor: color });
    if (color) chart.origins.set(bar.time, c.origin); else chart.origins.delete(bar.time);
    return bar;
  }

  // A revision replaces the bar at its time, or inserts it in order: rare, so the series is simply set again.
  function onRevision(m) {
    if (m.symbol !== chart.symbol || m.interval !== chart.interval || !chart.series) return;
    const bar = toBar(m.new);
    const bars = chart.series.data().filter((b) => b.time !== bar.time);
    bars.push(bar);
    bars.sort((a, b) => a.time - b.time);
    chart.series.setData(bars);
    chart.bars = bars.length;
  }

  function ensureChart() {
    if (chart.api) return;
    chart.api = LightweightCharts.createChart(el('chart'), {
      autoSize: true,
      layout: { background: { color: '#171a21' }, textColor: '#c7ccd3' },
      grid: { vertLines: { color: '#222632' }, horzLines: { color: '#222632' } },
      timeScale: { timeVisible: true, secondsVisible: false },
    });
    chart.series = chart.api.addSeries(LightweightCharts.CandlestickSeries, {});
  }

  async function selectChart(symbol) {
    ensureChart();
    if (chart.symbol && chart.symbol !== symbol) {
      send({ op: 'unsubscribe', symbols: [chart.symbol] });
      if (tiles.has(chart.symbol)) send({ op: 'subscribe', symbols: [chart.symbol], channels: ['ticks'] });
    }
    chart.symbol = symbol;
    if (book.symbol !== symbol) resetBook(symbol);
    for (const t of tiles.values()) t.el.classList.toggle('selected', t.el.dataset.symbol === symbol);
    el('chart-symbol').textContent = `${symbol} · ${chart.interval}`;
    try {
      const candles = await api(`/api/candles/${encodeURIComponent(symbol)}?interval=${chart.interval}&count=300`);
      chart.origins.clear();
      chart.series.setData(candles.map(toBar));
      chart.bars = candles.length;
    } catch (e) {
      say(e.message);
    }
    // The books channel for every chart instrument: one without a book simply sends none and the panel stays hidden.
    const channels = ['candles:' + chart.interval, 'books'];
    send({ op: 'subscribe', symbols: [symbol], channels: tiles.has(symbol) ? ['ticks', ...channels] : channels });
  }

  // ---- order book ----------------------------------------------------------------------------------------
  function resetBook(symbol) {
    book.symbol = symbol;
    book.bids.clear();
    book.asks.clear();
    book.state = null;
    el('book').hidden = true;
  }

  function onBook(m) {
    if (m.symbol !== book.symbol) return;
    if (m.snapshot) { book.bids.clear(); book.asks.clear(); }
    for (const [price, qty] of m.bids) { if (qty === 0) book.bids.delete(price); else book.bids.set(price, qty); }
    for (const [price, qty] of m.asks) { if (qty === 0) book.asks.delete(price); else book.asks.set(price, qty); }
    book.state = m.state;
    book.dirty = true;
  }

  // A level with a bar behind it as long as its size against the largest size shown (both sides), so depth reads at a glance.
  const levelRow = (side, price, qty, maxQty) => {
    const r = node('div', 'level ' + side);
    const bar = node('span', 'size-bar');
    bar.style.width = maxQty > 0 ? Math.max(1, Math.round(100 * qty / maxQty)) + '%' : '0';
    r.append(bar, node('span', 'price', String(price)), node('span', 'qty', String(qty)));
    return r;
  };

  function renderBook() {
    book.dirty = false;
    const bids = [...book.bids.keys()].sort((a, b) => b - a).slice(0, BOOK_LEVELS);
    const asks = [...book.asks.keys()].sort((a, b) => a - b).slice(0, BOOK_LEVELS);
    const resyncing = book.state === 'resyncing';
    // A resyncing book is shown even with no levels left: the ladder says it cannot be trusted until the snapshot lands.
    el('book').hidden = bids.length + asks.length === 0 && !resyncing;
    el('book').dataset.state = book.state || '';
    el('book-status').textContent = resyncing ? 'resyncing' : '';
    const maxQty = Math.max(0, ...bids.map((p) => book.bids.get(p)), ...asks.map((p) => book.asks.get(p)));
    // Asks above (best lowest, next to the spread), bids below, as a trader reads a ladder.
    el('book-asks').replaceChildren(...asks.slice().reverse().map((p) => levelRow('ask', p, book.asks.get(p), maxQty)));
    el('book-bids').replaceChildren(...bids.map((p) => levelRow('bid', p, book.bids.get(p), maxQty)));
    el('book-spread').textContent = resyncing ? 'resyncing' : bids.length && asks.length ? 'spread ' + +(asks[0] - bids[0]).toFixed(8) : '';
  }

  function onCandle(c) {
    if (c.symbol !== chart.symbol || c.interval !== chart.interval || !chart.series) return;
    chart.series.update(toBar(c));
    chart.bars = chart.series.data().length;
  }

  // ---- socket --------------------------------------------------------------------------------------------
  function send(message) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  }

  function connect() {
    const url = withToken((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
    socket = new WebSocket(url);
    el('connection').dataset.state = 'connecting';
    socket.onopen = async () => {
      retry = 0;
      el('connection').textContent = 'live';
      el('connection').dataset.state = 'open';
      await loadSubscriptions();
      if (chart.symbol) selectChart(chart.symbol);
    };
    socket.onmessage = (event) => {
      const m = JSON.parse(event.data);
      if (m.type === 'tick') {
        const tile = tiles.get(m.symbol);
        if (tile && (!tile.tick || m.seq > tile.tick.seq)) { tile.tick = m; dirty.add(m.symbol); }
      } else if (m.type === 'candle') {
        onCandle(m);
      } else if (m.type === 'candleRevised') {
        onRevision(m);
      } else if (m.type === 'book') {
        onBook(m);
      } else if (m.type === 'error') {
        say(m.message);
      }
    };
    socket.onclose = (event) => {
      el('connection').textContent = 'disconnected' + (event.reason ? ': ' + event.reason : '') + ', retrying…';
      el('connection').dataset.state = 'closed';
      setTimeout(connect, Math.min(1000 * 2 ** retry++, 15000));
    };
  }

  el('add-form').addEventListener('submit', (e) => { e.preventDefault(); const v = el('add-symbol').value.trim(); if (v) add(v); el('add-symbol').value = ''; });
  let searchTimer = null;
  el('add-symbol').addEventListener('input', () => {
    clearTimeout(searchTimer);
    const q = el('add-symbol').value.trim();
    if (q.length < 2) return;
    searchTimer = setTimeout(async () => {
      const found = await api('/api/instruments?q=' + encodeURIComponent(q) + '&limit=10').catch(() => []);
      el('suggestions').replaceChildren(...found.map((i) => {
        const option = node('option', null, `${i.kind} ${i.name}`);
        option.value = i.symbol;
        return option;
      }));
    }, 150);
  });
  el('chart-interval').addEventListener('change', (e) => { chart.interval = e.target.value; if (chart.symbol) selectChart(chart.symbol); });

  // For people and for browser tests: a read-only view of what the page shows.
  window.marketfeedDashboard = {
    chartBars: () => (chart.series ? chart.series.data().length : 0),
    chartSymbol: () => chart.symbol,
    // Bars drawn marked, by origin ({ revised: n, backfilled: n }), and one bar as drawn (time in exchange-local seconds).
    markedBars: () => { const n = { revised: 0, backfilled: 0 }; for (const o of chart.origins.values()) n[o]++; return n; },
    chartBar: (time) => (chart.series ? chart.series.data().find((b) => b.time === time) || null : null),
    bookLevels: () => ({ bids: el('book-bids').childElementCount, asks: el('book-asks').childElementCount, hidden: el('book').hidden }),
    bookState: () => el('book').dataset.state || null,
  };

  connect();
  requestAnimationFrame(render);
  refreshStatus();
  setInterval(refreshStatus, 1000);
})();
