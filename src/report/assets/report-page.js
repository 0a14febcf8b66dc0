// marketsim report: draws the charts from the embedded JSON with the inlined lightweight-charts
// build, and makes the tables sortable. Plain browser JavaScript (no modules, no network).
(function () {
  'use strict';
  var root = document.documentElement;
  var THEME = { bg: '#161c24', text: '#8b96a5', grid: '#1f2833', border: '#2a3442' };
  var FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

  function fail(message) {
    root.setAttribute('data-charts-error', message);
    var p = document.createElement('p');
    p.className = 'note';
    p.style.color = '#ef4444';
    p.textContent = 'The charts could not be drawn: ' + message;
    document.querySelector('main').prepend(p);
  }

  function points(s) {
    var out = new Array(s.t.length);
    for (var i = 0; i < s.t.length; i++) out[i] = { time: s.t[i], value: s.v[i] };
    return out;
  }

  function decimalsOf(values) {
    var d = 0;
    for (var i = 0; i < values.length && i < 2000; i++) {
      var s = String(values[i]);
      var k = s.indexOf('.');
      if (k >= 0 && s.indexOf('e') < 0) d = Math.max(d, s.length - k - 1);
    }
    return Math.min(d, 8);
  }

  function blend(hex, alpha) {
    // `hex` over the panel background at `alpha`, as an opaque color (stacked areas stay distinct)
    var a = parseInt(hex.slice(1), 16);
    var b = parseInt(THEME.bg.slice(1), 16);
    var ch = function (shift) {
      return Math.round(((a >> shift) & 255) * alpha + ((b >> shift) & 255) * (1 - alpha));
    };
    return 'rgb(' + ch(16) + ',' + ch(8) + ',' + ch(0) + ')';
  }

  var grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  var money = { type: 'custom', minMove: 0.01, formatter: function (x) { return Math.abs(x) >= 1000 ? grouped.format(x) : x.toFixed(2); } };
  var percent = { type: 'custom', minMove: 0.01, formatter: function (x) { return x.toFixed(1) + '%'; } };
  var quiet = { lastValueVisible: false, priceLineVisible: false };

  function withQuiet(o) {
    for (var k in quiet) o[k] = quiet[k];
    return o;
  }

  function makeChart(LC, el) {
    return LC.createChart(el, {
      autoSize: true,
      layout: { background: { type: 'solid', color: THEME.bg }, textColor: THEME.text, fontFamily: FONT, fontSize: 11, panes: { separatorColor: THEME.border } },
      grid: { vertLines: { color: THEME.grid }, horzLines: { color: THEME.grid } },
      rightPriceScale: { borderColor: THEME.border },
      timeScale: { borderColor: THEME.border, timeVisible: true, secondsVisible: false },
      crosshair: { mode: LC.CrosshairMode.Normal },
    });
  }

  function includeZero(original) {
    var r = original();
    if (r !== null) {
      r.priceRange.minValue = Math.min(0, r.priceRange.minValue);
      r.priceRange.maxValue = Math.max(0, r.priceRange.maxValue);
    }
    return r;
  }

  function drawEquity(LC, data) {
    var el = document.getElementById('chart-equity');
    if (!el) return;
    var chart = makeChart(LC, el);
    var eq = chart.addSeries(LC.LineSeries, withQuiet({ color: data.colors.equity, lineWidth: 2, priceFormat: money }));
    eq.setData(points(data.equity));
    var dd = chart.addSeries(
      LC.BaselineSeries,
      withQuiet({
        baseValue: { type: 'price', price: 0 },
        topLineColor: data.colors.drawdown,
        topFillColor1: 'rgba(0,0,0,0)',
        topFillColor2: 'rgba(0,0,0,0)',
        bottomLineColor: data.colors.drawdown,
        bottomFillColor1: 'rgba(239,68,68,0.15)',
        bottomFillColor2: 'rgba(239,68,68,0.45)',
        lineWidth: 2,
        priceFormat: percent,
        autoscaleInfoProvider: includeZero,
      }),
      1,
    );
    dd.setData(points(data.drawdown));
    var panes = chart.panes();
    if (panes.length > 1) {
      panes[0].setStretchFactor(0.7);
      panes[1].setStretchFactor(0.3);
    }
    chart.timeScale().fitContent();
  }

  function drawPrices(LC, data) {
    for (var i = 0; i < data.prices.length; i++) {
      var p = data.prices[i];
      var el = document.getElementById('chart-price-' + i);
      if (!el) continue;
      var chart = makeChart(LC, el);
      var d = decimalsOf(p.price.v);
      var s = chart.addSeries(LC.LineSeries, withQuiet({ color: p.color, lineWidth: 2, priceFormat: { type: 'price', precision: d, minMove: Math.pow(10, -d) } }));
      s.setData(points(p.price));
      var markers = new Array(p.markers.length);
      for (var k = 0; k < p.markers.length; k++) {
        var m = p.markers[k];
        var buy = m.side === 'BUY';
        markers[k] = { time: m.t, position: buy ? 'atPriceBottom' : 'atPriceTop', price: m.p, shape: buy ? 'arrowUp' : 'arrowDown', color: buy ? data.colors.buy : data.colors.sell, size: 1 };
      }
      if (markers.length > 0) LC.createSeriesMarkers(s, markers);
      chart.timeScale().fitContent();
    }
  }

  function drawExposure(LC, data) {
    var el = document.getElementById('chart-exposure');
    if (!el || data.exposure.length === 0) return;
    var chart = makeChart(LC, el);
    if (data.exposureMode === 'stacked') {
      // cumulative sums, drawn from the total down so that each band shows one class
      var n = data.exposure[0].series.t.length;
      var cum = [];
      var acc = new Array(n).fill(0);
      for (var c = 0; c < data.exposure.length; c++) {
        var v = data.exposure[c].series.v;
        acc = acc.map(function (x, j) { return x + (v[j] || 0); });
        cum.push(acc);
      }
      for (var c2 = data.exposure.length - 1; c2 >= 0; c2--) {
        var e = data.exposure[c2];
        var fill = blend(e.color, 0.45);
        var series = chart.addSeries(
          LC.BaselineSeries,
          withQuiet({ baseValue: { type: 'price', price: 0 }, topLineColor: e.color, topFillColor1: fill, topFillColor2: fill, bottomLineColor: e.color, bottomFillColor1: fill, bottomFillColor2: fill, lineWidth: 2, priceFormat: percent, autoscaleInfoProvider: includeZero }),
        );
        series.setData(points({ t: e.series.t, v: cum[c2] }));
      }
    } else {
      for (var c3 = 0; c3 < data.exposure.length; c3++) {
        var e3 = data.exposure[c3];
        var line = chart.addSeries(LC.LineSeries, withQuiet({ color: e3.color, lineWidth: 2, priceFormat: percent, autoscaleInfoProvider: includeZero }));
        line.setData(points(e3.series));
      }
    }
    chart.timeScale().fitContent();
  }

  function sortable(table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    for (var i = 0; i < heads.length; i++) {
      (function (th, col) {
        if (th.classList.contains('barhead')) return;
        th.addEventListener('click', function () {
          var asc = !th.classList.contains('sorted-asc');
          for (var h = 0; h < heads.length; h++) heads[h].classList.remove('sorted-asc', 'sorted-desc');
          th.classList.add(asc ? 'sorted-asc' : 'sorted-desc');
          var numeric = th.getAttribute('data-type') === 'num';
          var body = table.tBodies[0];
          var rows = Array.prototype.slice.call(body.rows);
          var key = function (tr) {
            var td = tr.cells[col];
            var raw = td ? (td.hasAttribute('data-v') ? td.getAttribute('data-v') : td.textContent) : '';
            if (!numeric) return raw;
            var x = parseFloat(raw);
            return isNaN(x) ? -Infinity : x;
          };
          rows.sort(function (a, b) {
            var x = key(a);
            var y = key(b);
            var r = x < y ? -1 : x > y ? 1 : 0;
            return asc ? r : -r;
          });
          for (var r = 0; r < rows.length; r++) body.appendChild(rows[r]);
        });
      })(heads[i], i);
    }
  }

  var tables = document.querySelectorAll('table.sortable');
  for (var t = 0; t < tables.length; t++) sortable(tables[t]);

  var LC = window.LightweightCharts;
  if (!LC) return fail('the lightweight-charts library is missing from the page');
  try {
    var data = JSON.parse(document.getElementById('report-data').textContent);
    drawEquity(LC, data);
    drawPrices(LC, data);
    drawExposure(LC, data);
  } catch (e) {
    return fail(String(e && e.message ? e.message : e));
  }
  // charts paint on animation frames: mark the page ready after two of them
  requestAnimationFrame(function () {
    requestAnimationFrame(function () {
      root.setAttribute('data-charts-ready', 'true');
    });
  });
})();
