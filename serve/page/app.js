// wordspace explorer: every view is one or two calls to the JSON API (/api/...), the same calls a
// script would make; the view's inputs live in the URL (?q=cat, ?a=paris&b=france&c=berlin,
// ?lm=...), so a view can be bookmarked and opens directly in that state. No library, no network
// beyond this server.
'use strict';

const SVG_NS = 'http://www.w3.org/2000/svg';
const COLOURS = ['#1f6feb', '#d1242f', '#1a7f37', '#8250df', '#bf8700', '#0a7ea4', '#cf222e',
                 '#6e7781'];
const $ = (id) => document.getElementById(id);

// GET /api/<path> with `params` (arrays repeat the name); resolves to the JSON body, rejects
// with the API's own error message for a 4xx or 5xx.
async function api(path, params) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params || {})) {
    for (const v of [].concat(value)) query.append(name, v);
  }
  const response = await fetch(`/api/${path}?${query}`);
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || `HTTP ${response.status}`);
  return body;
}

function el(tag, attrs, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function svgEl(tag, attrs, text) {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

function showError(id, error) { $(id).textContent = error ? String(error.message || error) : ''; }

// ---- URL state: the inputs of every view run so far.
const state = new URLSearchParams(location.search);
function saveState(updates) {
  for (const [k, v] of Object.entries(updates)) {
    if (v === undefined || v === null || v === '') state.delete(k); else state.set(k, v);
  }
  const query = state.toString();
  history.replaceState(null, '', query ? `/?${query}` : '/');
}

// A ranked list (answers: [{word, score}]) as <li>s; clicking a word searches it.
function fillRanked(list, answers, options) {
  clear(list);
  const max = Math.max(1e-9, ...answers.map((a) => Math.abs(a.score)));
  for (const a of answers) {
    const li = el('li', options && options.inputs && options.inputs.has(a.word) ? {class: 'input'} : {});
    const link = el('a', {class: 'word', href: `/?q=${encodeURIComponent(a.word)}`}, a.word);
    link.addEventListener('click', (event) => { event.preventDefault(); search(a.word); });
    li.append(link, el('span', {class: 'score'}, a.score === null ? 'n/a' : a.score.toFixed(3)));
    const bar = el('span', {class: 'bar'});
    bar.style.width = `${Math.round(60 * Math.abs(a.score) / max)}px`;
    li.append(bar);
    list.append(li);
  }
}

// ---- neighbours and the map
let searchToken = 0;
async function search(q) {
  q = q.trim();
  $('q').value = q;
  if (!q) return;
  const k = Number($('k').value) || 10;
  saveState({q, k: k === 10 ? '' : k});
  const token = ++searchToken;
  showError('q-error', null);
  try {
    const near = await api('neighbors', {q, k});
    if (token !== searchToken) return;
    fillRanked($('neighbors'), near.answers);
    // The map centres on the query's words (an expression maps each of its words).
    const words = q.split(/\s+/).filter((w) => w !== '+' && w !== '-');
    const map = await api('map', {words: words.join(' '), k: Math.min(k, 30)});
    if (token !== searchToken) return;
    drawMap(map);
  } catch (error) {
    if (token !== searchToken) return;
    clear($('neighbors'));
    clear($('map'));
    showError('q-error', error);
  }
}

function drawMap(map) {
  const svg = $('map');
  clear(svg);
  const W = 640, H = 440, pad = 50;
  const xs = map.points.map((p) => p.x), ys = map.points.map((p) => p.y);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)], [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  // One scale on both axes, so that distances on the map are comparable in every direction.
  const scale = Math.min((W - 2 * pad) / Math.max(x1 - x0, 1e-9), (H - 2 * pad) / Math.max(y1 - y0, 1e-9));
  const cx = (W - scale * (x1 - x0)) / 2, cy = (H - scale * (y1 - y0)) / 2;
  svg.append(svgEl('rect', {x: 0, y: 0, width: W, height: H, fill: '#ffffff'}));
  const groups = [...new Set(map.points.map((p) => p.of))];
  for (const p of map.points) {
    const x = cx + scale * (p.x - x0), y = H - (cy + scale * (p.y - y0));
    const colour = COLOURS[groups.indexOf(p.of) % COLOURS.length];
    const g = svgEl('g', {class: 'pt', 'data-word': p.word});
    g.append(svgEl('circle', {cx: x, cy: y, r: p.asked ? 6 : 4, fill: colour}));
    g.append(svgEl('text', {x: x + 8, y: y + 4, 'font-size': p.asked ? 15 : 13,
                            'font-weight': p.asked ? 'bold' : 'normal', fill: colour,
                            'font-family': 'sans-serif'}, p.word));
    g.append(svgEl('title', {}, `${p.word}: cosine ${p.cosine.toFixed(3)} with ${p.of}`));
    g.addEventListener('click', () => search(p.word));
    svg.append(g);
  }
  const shares = map.variance_shares.map((s) => `${Math.round(100 * s)}%`).join(' and ');
  svg.append(svgEl('text', {x: 8, y: H - 8, 'font-size': 11, fill: '#5b6570',
                            'font-family': 'sans-serif'}, `PC1 and PC2: ${shares} of the variance`));
  $('map-caption').textContent =
      map.missing.length ? `not in the vectors: ${map.missing.join(' ')}` : 'Click a word on the map to recentre.';
}

// Completion from the vocabulary, as the user types.
let completeToken = 0;
async function complete(input) {
  const prefix = input.value.trim().split(/\s+/).pop();
  if (!prefix || prefix === '+' || prefix === '-') return;
  const token = ++completeToken;
  try {
    const r = await api('complete', {prefix, k: 12});
    if (token !== completeToken) return;
    const list = $('completions');
    clear(list);
    const head = input.value.slice(0, input.value.lastIndexOf(prefix));
    for (const w of r.words) list.append(el('option', {value: head + w}));
  } catch (error) { /* a completion that fails shows nothing */ }
}

// ---- analogy: 3CosAdd and 3CosMul side by side, with and without the input words
async function analogy(a, b, c) {
  [$('a').value, $('b').value, $('c').value] = [a, b, c];
  if (!a || !b || !c) return;
  saveState({a, b, c});
  showError('analogy-error', null);
  const out = $('analogy-result');
  try {
    const results = await Promise.all(['add', 'mul'].map(
        (method) => api('analogy', {a, b, c, method, k: 8, include_inputs: 1})));
    clear(out);
    const inputs = new Set([a, b, c]);
    for (const r of results) {
      const box = el('div');
      box.append(el('h3', {}, `${r.measure === '3cosadd' ? '3CosAdd' : '3CosMul'}: ${a} : ${b} :: ${c} : ?`));
      box.append(el('p', {class: 'hint'}, 'inputs excluded (as word2vec.c and gensim answer)'));
      const excluded = el('ol', {class: 'ranked analogy-answers'});
      fillRanked(excluded, r.answers);
      box.append(excluded);
      box.append(el('p', {class: 'hint'}, 'inputs included (grey: an input word)'));
      const included = el('ol', {class: 'ranked'});
      fillRanked(included, r.unfiltered, {inputs});
      box.append(included);
      out.append(box);
    }
  } catch (error) {
    clear(out);
    showError('analogy-error', error);
  }
}

// ---- bias: the words' projections on the direction of the pairs
async function bias(pairs, words, remember = true) {
  $('pair').value = pairs;
  $('bias-words').value = words;
  if (remember) saveState({pair: pairs === 'he:she' ? '' : pairs, bw: words});
  showError('bias-error', null);
  const svg = $('bias');
  try {
    const r = await api('bias', {pair: pairs, words, k: 5});
    clear(svg);
    const W = 640, mid = W / 2, rowH = 22;
    const items = [...r.words];
    const H = Math.max(60, 40 + rowH * items.length);
    svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
    svg.append(svgEl('rect', {x: 0, y: 0, width: W, height: H, fill: '#ffffff'}));
    const [first, second] = r.pairs_used.length ? r.pairs_used[0] : ['+', '-'];
    svg.append(svgEl('text', {x: W - 8, y: 16, 'text-anchor': 'end', 'font-size': 12, fill: '#d1242f',
                              'font-family': 'sans-serif'}, `towards ${first} →`));
    svg.append(svgEl('text', {x: 8, y: 16, 'font-size': 12, fill: '#1f6feb',
                              'font-family': 'sans-serif'}, `← towards ${second}`));
    svg.append(svgEl('line', {x1: mid, y1: 24, x2: mid, y2: H - 4, stroke: '#8c959f'}));
    const max = Math.max(0.05, ...items.map((p) => Math.abs(p.projection)));
    items.forEach((p, i) => {
      const y = 30 + i * rowH, w = (mid - 90) * Math.abs(p.projection) / max;
      const x = p.projection >= 0 ? mid : mid - w;
      svg.append(svgEl('rect', {x, y, width: Math.max(w, 1), height: rowH - 6,
                                fill: p.projection >= 0 ? '#d1242f' : '#1f6feb', opacity: 0.7}));
      const label = `${p.word} ${p.projection >= 0 ? '+' : ''}${p.projection.toFixed(3)}`;
      svg.append(svgEl('text', {x: p.projection >= 0 ? mid - 6 : mid + 6, y: y + rowH - 10,
                                'text-anchor': p.projection >= 0 ? 'end' : 'start', 'font-size': 12,
                                fill: '#1b1f24', 'font-family': 'sans-serif'}, label));
    });
    const extremes = (list) => list.map((p) => p.word).join(', ');
    $('bias-caption').textContent =
        `direction from ${r.pairs_used.map((p) => p.join('-')).join(' ')} ` +
        `(${Math.round(100 * r.variance_explained)}% of the pairs' variance); most towards ` +
        `${first}: ${extremes(r.top_positive)}; towards ${second}: ${extremes(r.top_negative)}` +
        (r.missing.length ? `; not in the vectors: ${r.missing.join(' ')}` : '');
  } catch (error) {
    clear(svg);
    $('bias-caption').textContent = '';
    showError('bias-error', error);
  }
}

// ---- the language model
let attention = null;
// `remember`: put the sentence in the URL (not for the preloaded example).
async function readSentence(text, remember = true) {
  $('lm-text').value = text;
  if (remember) saveState({lm: text});
  showError('lm-error', null);
  try {
    const [next, att, lens] = await Promise.all([
      api('lm/next', {text, k: 10}), api('lm/attention', {text}), api('lm/lens', {text, k: 3})]);
    fillRanked($('next'), next.answers);
    if (next.note) showError('lm-error', next.note);
    attention = att;
    fillSelect($('layer'), att.layers);
    fillSelect($('head'), att.heads);
    drawAttention();
    drawLens(lens);
  } catch (error) {
    clear($('next'));
    clear($('attention'));
    clear($('lens'));
    showError('lm-error', error);
  }
}

function fillSelect(select, n) {
  const keep = Math.min(Number(select.value) || 0, n - 1);
  clear(select);
  for (let i = 0; i < n; ++i) select.append(el('option', {value: i}, String(i)));
  select.value = String(keep);
}

function drawAttention() {
  const svg = $('attention');
  clear(svg);
  if (!attention) return;
  const l = Number($('layer').value), h = Number($('head').value);
  const w = attention.weights[l][h], tokens = attention.tokens, T = tokens.length;
  const cell = 28, left = 90, top = 90, W = left + T * cell + 10, H = top + T * cell + 10;
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.style.maxWidth = `${Math.round(1.6 * W)}px`;  // a short sentence is not blown up
  svg.append(svgEl('rect', {x: 0, y: 0, width: W, height: H, fill: '#ffffff'}));
  const keyLabels = [], rows = [];
  tokens.forEach((t, i) => {
    const key = svgEl('text', {x: left + i * cell + cell / 2, y: top - 6, 'font-size': 12,
                               'font-family': 'sans-serif', fill: '#1b1f24', class: 'tok key',
                               transform: `rotate(-50 ${left + i * cell + cell / 2} ${top - 6})`}, t);
    keyLabels.push(key);
    svg.append(key);
  });
  for (let q = 0; q < T; ++q) {
    const row = svgEl('g', {class: 'att-row', 'data-query': q});
    row.append(svgEl('text', {x: left - 6, y: top + q * cell + cell / 2 + 4, 'text-anchor': 'end',
                              'font-size': 12, 'font-family': 'sans-serif', fill: '#1b1f24',
                              class: 'tok'}, tokens[q]));
    for (let k = 0; k < T; ++k) {
      const r = svgEl('rect', {x: left + k * cell, y: top + q * cell, width: cell - 1, height: cell - 1,
                               fill: '#1f6feb', 'fill-opacity': k <= q ? 0.04 + 0.96 * w[q][k] : 0});
      r.append(svgEl('title', {}, `${tokens[q]} → ${tokens[k]}: ${w[q][k].toFixed(3)}`));
      row.append(r);
    }
    // Hovering a word (its row) shows what it attends to: the row outlined, the attended words
    // drawn in proportion to their weight.
    row.addEventListener('mouseenter', () => {
      row.setAttribute('stroke', '#d1242f');
      keyLabels.forEach((label, k) => {
        label.setAttribute('fill', k <= q ? '#d1242f' : '#d5dbe1');
        label.setAttribute('font-size', 10 + 10 * (k <= q ? w[q][k] : 0));
      });
    });
    row.addEventListener('mouseleave', () => {
      row.removeAttribute('stroke');
      keyLabels.forEach((label) => { label.setAttribute('fill', '#1b1f24'); label.setAttribute('font-size', 12); });
    });
    svg.append(row);
  }
  svg.append(svgEl('text', {x: 6, y: 16, 'font-size': 12, fill: '#5b6570', 'font-family': 'sans-serif'},
                   `layer ${l}, head ${h}: rows attend to columns`));
}

function drawLens(lens) {
  const svg = $('lens');
  clear(svg);
  const T = lens.tokens.length, L = lens.layers.length;
  const cw = 96, ch = 24, left = 90, top = 30, W = left + T * cw + 10, H = top + L * ch + 10;
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.style.maxWidth = `${Math.round(1.3 * W)}px`;
  svg.append(svgEl('rect', {x: 0, y: 0, width: W, height: H, fill: '#ffffff'}));
  lens.tokens.forEach((t, i) => svg.append(svgEl('text', {
    x: left + i * cw + cw / 2, y: top - 8, 'text-anchor': 'middle', 'font-size': 12,
    'font-weight': 'bold', 'font-family': 'sans-serif', fill: '#1b1f24'}, t)));
  lens.layers.forEach((layer, r) => {
    const name = layer.layer === 0 ? 'embeddings' : layer.layer === L - 1 ? `${layer.layer} (out)` : `${layer.layer}`;
    svg.append(svgEl('text', {x: left - 6, y: top + r * ch + ch / 2 + 4, 'text-anchor': 'end',
                              'font-size': 12, 'font-family': 'sans-serif', fill: '#1b1f24'}, name));
    layer.positions.forEach((top3, t) => {
      const best = top3[0];
      const rect = svgEl('rect', {x: left + t * cw, y: top + r * ch, width: cw - 1, height: ch - 1,
                                  fill: '#1a7f37', 'fill-opacity': 0.08 + 0.8 * best.score});
      rect.append(svgEl('title', {}, top3.map((w) => `${w.word} ${w.score.toFixed(3)}`).join(', ')));
      svg.append(rect);
      svg.append(svgEl('text', {x: left + t * cw + cw / 2, y: top + r * ch + ch / 2 + 4,
                                'text-anchor': 'middle', 'font-size': 11, 'font-family': 'sans-serif',
                                fill: best.word === lens.final_words[t] ? '#1b1f24' : '#5b6570'},
                       best.word));
    });
  });
}

async function context(word, s1, s2, remember = true) {
  [$('ctx-word').value, $('ctx-s1').value, $('ctx-s2').value] = [word, s1, s2];
  if (remember) saveState({cw: word, s1, s2});
  showError('context-error', null);
  const svg = $('context');
  try {
    const r = await api('lm/context', {word, text: [s1, s2], k: 3});
    clear(svg);
    const rowH = 26, W = 640, left = 110, barW = 200, H = 20 + rowH * r.layers.length;
    svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
    svg.style.maxWidth = `${Math.round(1.3 * W)}px`;
    svg.append(svgEl('rect', {x: 0, y: 0, width: W, height: H, fill: '#ffffff'}));
    r.layers.forEach((layer, i) => {
      const y = 10 + i * rowH, cos = layer.cosines[0][1];
      const name = layer.layer === 'static' ? 'static' : layer.layer === '0' ? 'layer 0' : `layer ${layer.layer}`;
      svg.append(svgEl('text', {x: left - 6, y: y + 15, 'text-anchor': 'end', 'font-size': 12,
                                'font-family': 'sans-serif', fill: '#1b1f24'}, name));
      svg.append(svgEl('rect', {x: left, y: y + 3, width: Math.max(1, barW * Math.max(0, cos)),
                                height: rowH - 8, fill: '#8250df', opacity: 0.7}));
      svg.append(svgEl('text', {x: left + barW + 6, y: y + 15, 'font-size': 12, 'font-family': 'sans-serif',
                                fill: '#1b1f24'}, cos === null ? 'n/a' : cos.toFixed(3)));
      const near = layer.nearest.map((list) => list.map((w) => w.word).join(' ')).join('  |  ');
      svg.append(svgEl('text', {x: left + barW + 56, y: y + 15, 'font-size': 11, 'font-family': 'sans-serif',
                                fill: '#5b6570'}, near));
    });
  } catch (error) {
    clear(svg);
    showError('context-error', error);
  }
}

// ---- saving a picture: the SVG as drawn (colours and fonts are attributes, so it stands alone)
function saveSvg(id) {
  const svg = $(id).cloneNode(true);
  svg.setAttribute('xmlns', SVG_NS);
  const blob = new Blob([new XMLSerializer().serializeToString(svg)], {type: 'image/svg+xml'});
  const link = el('a', {href: URL.createObjectURL(blob), download: `wordspace-${id}.svg`});
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

// ---- wiring, and the view the URL asks for
async function start() {
  $('search-form').addEventListener('submit', (e) => { e.preventDefault(); search($('q').value); });
  for (const id of ['q', 'a', 'b', 'c']) $(id).addEventListener('input', (e) => complete(e.target));
  $('analogy-form').addEventListener('submit', (e) => {
    e.preventDefault();
    analogy($('a').value.trim(), $('b').value.trim(), $('c').value.trim());
  });
  $('bias-form').addEventListener('submit', (e) => { e.preventDefault(); bias($('pair').value.trim(), $('bias-words').value.trim()); });
  $('lm-form').addEventListener('submit', (e) => { e.preventDefault(); readSentence($('lm-text').value); });
  $('context-form').addEventListener('submit', (e) => {
    e.preventDefault();
    context($('ctx-word').value.trim(), $('ctx-s1').value, $('ctx-s2').value);
  });
  $('layer').addEventListener('change', drawAttention);
  $('head').addEventListener('change', drawAttention);
  for (const button of document.querySelectorAll('button.save')) {
    button.addEventListener('click', () => saveSvg(button.dataset.svg));
  }

  let info;
  try {
    info = await api('info');
  } catch (error) {
    $('info').textContent = `the server does not answer: ${error.message}`;
    return;
  }
  $('info').textContent = `${info.vectors}: ${info.vocab_size.toLocaleString()} words × ${info.dim}` +
      (info.model ? ` · ${info.model.model}: ${info.model.layers} layers × ${info.model.heads} heads, context ${info.model.context}` : ' · no language model (--model)');
  if (state.get('k')) $('k').value = state.get('k');
  if (state.get('q')) {
    search(state.get('q'));
  } else {
    $('map').append(svgEl('text', {x: 320, y: 220, 'text-anchor': 'middle', 'font-size': 16,
                                   fill: '#5b6570', 'font-family': 'sans-serif'},
                          'type a word above: its neighbours appear here'));
  }
  if (state.get('a') && state.get('b') && state.get('c')) analogy(state.get('a'), state.get('b'), state.get('c'));
  // The bias panel opens on its example (he:she) unless the URL names other words.
  bias(state.get('pair') || $('pair').value, state.get('bw') || $('bias-words').value, state.has('bw'));
  if (info.model) {
    $('lm-panel').hidden = false;
    readSentence(state.get('lm') || $('lm-text').value, state.has('lm'));
    context(state.get('cw') || $('ctx-word').value, state.get('s1') || $('ctx-s1').value,
            state.get('s2') || $('ctx-s2').value, state.has('cw'));
  }
}

start();
