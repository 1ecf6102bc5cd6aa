// The link chart (#/chart): the evidence network drawn with sigma (WebGL)
// over a graphology graph the analyst builds up. It starts from an entity
// (#/chart?entity=ID, its neighbours) or a path (#/chart?from=A&to=B), and
// grows by expanding nodes. An edge opens every sentence behind it; a node
// its profile. Filters by relation type and by date (a histogram of the
// evidence's dates that brushes the chart), shortest paths, layouts, PNG
// and GraphML export. The analyst selects several nodes (shift- or
// ctrl-click, or the lists' checkboxes), hides, pins or groups them into a
// named box; every change can be undone; a chart is saved by name for the
// agency (#/chart lists them, #/chart?saved=NAME reopens one) and exported
// as PNG, SVG or GraphML. #/chart?entities=ID,ID charts those entities and
// the links among them. #/chart?bench=10000,100000 draws a generated graph
// of that many nodes and edges and measures it.
//
// Document content reaches the page only through el() as text; sigma draws
// labels into WebGL, never as HTML.

import Graph from 'graphology';
import Sigma, { DEFAULT_STYLES } from 'sigma';
import {
  extremityArrow, layerDashed, layerFill, layerPlain, pathLine, sdfCircle, sdfDiamond, sdfSquare, sdfTriangle,
} from 'sigma/rendering';
import forceAtlas2 from 'graphology-layout-forceatlas2';
import louvain from 'graphology-communities-louvain';
import betweenness from 'graphology-metrics/centrality/betweenness';
import pagerank from 'graphology-metrics/centrality/pagerank';
import { bidirectional } from 'graphology-shortest-path/unweighted';
import { view } from './views.js';
import { drawLanes } from './chart-timeline.js';
import {
  el, svgEl, api, entityHash, entityLink, evidenceList, relation, remember, nameOf, namesOf,
  badge, dateOf, plural, count, hopView, showError, send, mayDeal, SVG_NS,
} from './app.js';
import './chart.css';

// Kinds: the reader's strong colours (app.css --KIND-edge) and a shape
// each, so that kind survives colouring by community and greyscale print.
const KIND = {
  PERSON: { color: '#3565d0', shape: 'circle', name: 'person' },
  ORG: { color: '#7a45c8', shape: 'square', name: 'organisation' },
  LOCATION: { color: '#23894a', shape: 'triangle', name: 'place' },
};
const OTHER_KIND = { color: '#6b7587', shape: 'diamond', name: 'other' };
const kindOf = (k) => KIND[k] || OTHER_KIND;

// Relation types and their colours; every typed relation has a direction
// (mosaic.go: From is the agent), co-occurrence none.
const RELATIONS = [
  ['contact', '#1f7fbf'], ['command', '#c2346f'], ['member', '#7a45c8'], ['attack', '#b42318'],
  ['travel', '#13807c'], ['family', '#b77800'], ['location', '#23894a'], ['co-occurrence', '#a3abb9'],
];
const REL_COLOR = new Map(RELATIONS);
const DENIED = '#b42318';
const HIGHLIGHT = '#f59e0b';
const CELLS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

// A large chart draws its edges when still, not while dragged: on a
// software renderer an edge costs about 0.1 ms a frame (see the README).
const LARGE_EDGES = 5000;
const LARGE = { hideEdgesOnMove: true, hideLabelsOnMove: true };

const BOX = '#5b3fa8'; // boxes' frame and name
const HISTORY = 50; // changes that can be undone
const MAX_LISTED = 200; // entities #/chart?entities= charts at most

const MAX_ENRICH = 400; // edges whose evidence is fetched for dates and direction
const EGO_LIMIT = 150;

const edgeKey = (a, b) => (Number(a) < Number(b) ? `${a}-${b}` : `${b}-${a}`);

// newSigma draws graph in container: nodes shaped by kind, edges coloured
// by type, dashed when hedged or denied, arrowheads where directed.
function newSigma(graph, container, settings) {
  return new Sigma(graph, container, {
    primitives: {
      nodes: { shapes: [sdfCircle(), sdfSquare(), sdfTriangle(), sdfDiamond()], layers: [layerFill()] },
      edges: {
        // Straight lines only: sigma's default adds self-loops of 32
        // segments, and every edge then costs as many vertices (3× slower
        // on a software renderer). An entity never links to itself here.
        paths: [pathLine()],
        extremities: [extremityArrow()],
        variables: {
          solidColor: { type: 'color', default: '#a3abb9' },
          dashSize: { type: 'number', default: 0 },
        },
        // A dashed edge has a transparent solid layer and a dash size; a
        // solid one no dash, so the dashed layer is transparent.
        layers: [
          layerPlain({ color: { attribute: 'solidColor' } }),
          layerDashed({ dashSize: { attribute: 'dashSize', default: 0 }, gapSize: { value: 4, mode: 'pixels' }, dashColor: { attribute: 'color' } }),
        ],
      },
    },
    styles: {
      nodes: [
        DEFAULT_STYLES.nodes,
        {
          shape: { attribute: 'shape', defaultValue: 'circle' },
          labelVisibility: { attribute: 'labelVisibility', defaultValue: 'auto' },
        },
        { whenState: 'isHovered', then: { labelVisibility: 'visible' } },
        { whenState: 'isHighlighted', then: { backdropVisibility: 'visible', backdropColor: '#fff3c4', labelVisibility: 'visible' } },
        { whenState: 'isSelected', then: { backdropVisibility: 'visible', backdropColor: '#dbe7ff', backdropBorderColor: '#3565d0', backdropBorderWidth: 2, labelVisibility: 'visible' } },
      ],
      edges: [
        DEFAULT_STYLES.edges,
        {
          head: { attribute: 'head', defaultValue: 'none' },
          tail: { attribute: 'tail', defaultValue: 'none' },
        },
        { whenState: 'isHighlighted', then: { color: HIGHLIGHT, solidColor: HIGHLIGHT, size: 5 } },
        { whenState: 'isHovered', then: { size: 4 } },
      ],
    },
    customNodeState: { isSelected: false },
    settings: { allowInvalidContainer: true, itemSizesReference: 'screen', labelRenderedSizeThreshold: 4, ...settings },
  });
}

// look sets an edge's drawing attributes from what is known of it: its
// types, whether every piece is denied, whether the stated ones are only
// hedged, and the direction of its typed evidence.
function look(a) {
  const type = a.types[0] || 'co-occurrence';
  const color = a.negated ? DENIED : REL_COLOR.get(type) || '#6b7587';
  const dashed = a.negated || a.hedged;
  return {
    color,
    solidColor: dashed ? 'rgba(0,0,0,0)' : color,
    dashSize: dashed ? 6 : 0,
    size: a.negated ? 1.5 : 1 + Math.min(a.weight || 0, 4) * 0.75,
    head: a.forward && !a.negated ? 'arrow' : 'none',
    tail: a.backward && !a.negated ? 'arrow' : 'none',
  };
}

// detail reads an edge's evidence: dates, hedging and direction.
function detail(evidence, source) {
  const positive = evidence.filter((ev) => !ev.negated);
  const typed = positive.filter((ev) => ev.type !== 'co-occurrence');
  const dates = evidence.map((ev) => ev.date).filter(Boolean).map((d) => Date.parse(d)).filter((t) => !Number.isNaN(t));
  return {
    hedged: typed.length > 0 && typed.every((ev) => ev.hedged),
    forward: typed.some((ev) => String(ev.from) === source),
    backward: typed.some((ev) => String(ev.from) !== source),
    dates,
    // The collections the evidence comes from: the agency and collection
    // filter reads them.
    collections: [...new Set(evidence.flatMap((ev) => ev.collections || []))].sort(),
  };
}

class Chart {
  constructor(signal, co) {
    this.signal = signal;
    this.co = co;
    this.graph = new Graph({ type: 'undirected' });
    this.evidence = new Map(); // edge key → evidence, once fetched
    this.hidden = new Set(); // nodes the analyst hid
    this.types = new Set(RELATIONS.map(([t]) => t));
    this.range = null; // [from, to] ms of the date brush
    this.colourBy = 'kind';
    this.sizeBy = 'betweenness';
    this.allLabels = false;
    this.selection = new Set(); // the nodes selected
    this.boxes = []; // { name, members: Set }: groups drawn as boxes
    this.offAgencies = new Set(); // agencies and collections unticked
    this.offCollections = new Set();
    this.agencyOf = new Map(); // collection → agency, from api('collections')
    this.past = []; // snapshots to undo to, the last the newest
    this.future = []; // snapshots undone, to redo
    this.path = null; // { nodes, edges } highlighted
    this.sigma = null;
    // Seeded, so that a chart opened twice is laid out the same.
    this.rand = seeded(1);
    this.build();
  }

  // ---- The page around the canvas

  build() {
    const button = (label, onclick, attrs) => el('button', { type: 'button', class: 'btn', onclick, ...attrs }, label);
    this.stage = el('div', { class: 'chart-stage', role: 'img', 'aria-label': 'Link chart', tabindex: '0' });
    // The boxes are drawn over the canvas, following its zoom and pan.
    this.overlay = svgEl('svg', { class: 'chart-boxes', 'aria-label': 'Boxes' });
    this.panel = el('aside', { class: 'chart-panel', 'aria-live': 'polite', 'aria-label': 'Selection' },
      el('p', { class: 'hint' }, 'Click a link for the sentences behind it, a node for its profile; double-click a node to add its neighbours.'));
    this.summary = el('p', { class: 'chart-summary', 'aria-live': 'polite' });
    this.colour = el('select', { id: 'chart-colour', 'aria-label': 'Colour nodes by' },
      el('option', { value: 'kind' }, 'kind'), el('option', { value: 'community' }, 'cell (Louvain)'));
    this.colour.addEventListener('change', () => { this.colourBy = this.colour.value; this.restyle(); });
    this.undoButton = button('Undo', () => this.undo(), { id: 'chart-undo', disabled: true, title: 'Undo (Ctrl+Z)' });
    this.redoButton = button('Redo', () => this.redo(), { id: 'chart-redo', disabled: true, title: 'Redo (Ctrl+Shift+Z)' });
    this.saveName = el('input', { type: 'text', id: 'chart-save-name', maxlength: '200', required: true, placeholder: 'name', 'aria-label': 'Name to save the chart as' });
    this.saveStatus = el('span', { class: 'chart-save-status', id: 'chart-save-status', 'aria-live': 'polite' });
    this.saveForm = el('form', { class: 'group chart-save', onsubmit: (e) => { e.preventDefault(); this.save(this.saveName.value.trim()); } },
      this.saveName, el('button', { type: 'submit', class: 'btn', id: 'chart-save' }, 'Save'), this.saveStatus);
    this.saveForm.hidden = !mayDeal();
    this.size = el('select', { id: 'chart-size', 'aria-label': 'Size nodes by' },
      el('option', { value: 'betweenness' }, 'betweenness'), el('option', { value: 'pagerank' }, 'PageRank'), el('option', { value: 'degree' }, 'degree'));
    this.size.addEventListener('change', () => { this.sizeBy = this.size.value; this.restyle(); });
    const labels = el('input', { type: 'checkbox', id: 'chart-labels' });
    this.labelsBox = labels;
    labels.addEventListener('change', () => { this.allLabels = labels.checked; this.restyle(); });
    this.fromSel = el('select', { id: 'chart-from', 'aria-label': 'Path from' });
    this.toSel = el('select', { id: 'chart-to', 'aria-label': 'Path to' });
    this.toolbar = el('div', { class: 'chart-toolbar' },
      el('span', { class: 'group' }, el('label', { for: 'chart-colour' }, 'Colour by '), this.colour),
      el('span', { class: 'group' }, el('label', { for: 'chart-size' }, 'Size by '), this.size),
      el('label', { class: 'check' }, labels, 'All labels'),
      el('span', { class: 'group' }, this.undoButton, this.redoButton),
      el('span', { class: 'group' },
        button('Force layout', () => { this.checkpoint(); this.layout(); }), button('Fit', () => this.sigma?.getCamera().reset()),
        button('Show hidden', () => this.unhide(), { id: 'chart-unhide' })),
      el('span', { class: 'group' },
        button('Select all', () => this.selectAll(), { id: 'chart-select-all' }),
        button('Select none', () => this.setSelection([]), { id: 'chart-select-none' }),
        button('Select neighbours', () => this.selectNeighbours(), { id: 'chart-select-neighbours' })),
      el('span', { class: 'group' },
        button('PNG', () => this.png(), { id: 'chart-png', title: 'Save the chart as an image' }),
        button('SVG', () => this.svg(), { id: 'chart-svg', title: 'Save what is on the chart as SVG' }),
        button('GraphML', () => this.graphml(), { id: 'chart-graphml', title: 'Save what is on the chart as GraphML' })),
      this.saveForm);
    this.pathForm = el('form', { class: 'chart-path', onsubmit: (e) => { e.preventDefault(); this.findPath(this.fromSel.value, this.toSel.value); } },
      el('label', { for: 'chart-from' }, 'Shortest path from '), this.fromSel,
      el('label', { for: 'chart-to' }, ' to '), this.toSel,
      el('button', { type: 'submit', class: 'btn primary', id: 'chart-find-path' }, 'Highlight path'),
      button('Clear', () => this.clearPath(), { id: 'chart-clear-path' }));
    this.typeBox = el('fieldset', { class: 'chart-types' }, el('legend', {}, 'Relation types'));
    this.sourceBox = el('fieldset', { class: 'chart-types chart-sources' }, el('legend', {}, 'Agencies and collections'));
    this.histogram = el('div', { class: 'chart-dates' });
    this.lanes = el('section', { class: 'chart-lanes', 'aria-label': 'Timeline of the entities on the chart' });
    this.edgeList = el('ul', { class: 'chart-edges' });
    this.nodeList = el('ul', { class: 'chart-nodes' });
    this.root = el('div', { class: 'chart' },
      this.toolbar, this.pathForm, this.summary,
      el('div', { class: 'chart-body' }, this.stage, this.panel),
      el('div', { class: 'chart-filters' }, el('div', { class: 'chart-filter-boxes' }, this.typeBox, this.sourceBox), this.histogram),
      this.lanes,
      legend(),
      el('details', { class: 'chart-lists' },
        el('summary', {}, 'Links and entities on the chart, as lists'),
        el('div', { class: 'chart-lists-body' },
          el('section', {}, el('h2', {}, 'Links'), this.edgeList),
          el('section', {}, el('h2', {}, 'Entities'), this.nodeList))));
    this.root.addEventListener('keydown', (e) => this.key(e));
  }

  // key: Escape clears the selection, Ctrl+Z undoes, Ctrl+Shift+Z (or
  // Ctrl+Y) redoes (Cmd on a Mac), unless the focus is in a text field.
  key(e) {
    const t = e.target;
    const typing = t.tagName === 'TEXTAREA' || t.isContentEditable ||
      (t.tagName === 'INPUT' && !['checkbox', 'radio', 'button', 'submit'].includes(t.type));
    if (typing) return;
    if (e.key === 'Escape' && this.selection.size) {
      e.preventDefault();
      this.setSelection([]);
      this.panel.replaceChildren(el('p', { class: 'hint' }, 'Nothing selected.'));
      return;
    }
    const mod = e.ctrlKey || e.metaKey;
    if (!mod) return;
    const k = e.key.toLowerCase();
    if (k === 'z' && !e.shiftKey) { e.preventDefault(); this.undo(); }
    else if ((k === 'z' && e.shiftKey) || k === 'y') { e.preventDefault(); this.redo(); }
  }

  // mount starts sigma once the stage is in the page (route() inserts the
  // view's nodes after render returns).
  mount() {
    return new Promise((resolve) => {
      const tryMount = () => {
        if (this.signal.aborted) return;
        if (!this.stage.isConnected) {
          requestAnimationFrame(tryMount);
          return;
        }
        this.sigma = newSigma(this.graph, this.stage, { enableEdgeEvents: true });
        this.stage.append(this.overlay);
        this.sigma.on('afterRender', () => this.drawBoxes());
        this.bind();
        this.signal.addEventListener('abort', () => this.sigma.kill(), { once: true });
        window.mosaicChart = hook(this);
        resolve();
      };
      tryMount();
    });
  }

  bind() {
    const s = this.sigma;
    s.on('clickNode', ({ node, event }) => {
      const o = event?.original;
      if (o && (o.shiftKey || o.ctrlKey || o.metaKey)) this.toggle(node);
      else this.showNode(node);
    });
    s.on('doubleClickNode', (e) => {
      e.preventSigmaDefault?.();
      this.expand(e.node);
    });
    s.on('clickEdge', ({ edge }) => this.showEdge(edge));
    s.on('clickStage', () => this.setSelection([]));
  }

  // ---- Building the graph

  addEntity(id, name, kind, near) {
    id = String(id);
    remember(id, name, kind);
    if (this.graph.hasNode(id)) return false;
    const k = kindOf(kind);
    let x = this.rand() * 10;
    let y = this.rand() * 10;
    if (near && this.graph.hasNode(near)) {
      const p = this.graph.getNodeAttributes(near);
      const angle = this.rand() * 2 * Math.PI;
      x = p.x + 3 * Math.cos(angle);
      y = p.y + 3 * Math.sin(angle);
    }
    this.graph.addNode(id, { label: name, kind, x, y, size: 6, color: k.color, kindColor: k.color, shape: k.shape });
    return true;
  }

  addEdge(e) {
    const a = String(e.a);
    const b = String(e.b);
    if (!this.graph.hasNode(a) || !this.graph.hasNode(b)) return null;
    const key = edgeKey(a, b);
    const attrs = { types: e.types, weight: e.weight, negated: !!e.negated, pieces: e.evidence ?? e.pieces ?? 0 };
    if (this.graph.hasEdge(key)) this.graph.mergeEdgeAttributes(key, attrs);
    else this.graph.addEdgeWithKey(key, a, b, { hedged: false, forward: false, backward: false, dates: [], ...attrs });
    this.graph.mergeEdgeAttributes(key, look(this.graph.getEdgeAttributes(key)));
    return key;
  }

  // know stores an edge's evidence and what it tells of the edge.
  // The evidence is kept even for a link no longer on the chart: undo and
  // redo bring links back.
  know(key, evidence) {
    this.evidence.set(key, evidence);
    if (!this.graph.hasEdge(key)) return;
    const a = this.graph.getEdgeAttributes(key);
    this.graph.mergeEdgeAttributes(key, detail(evidence, this.graph.source(key)));
    this.graph.mergeEdgeAttributes(key, look(a));
  }

  // ego adds an entity's neighbours and the links among them.
  async ego(id, near) {
    const r = await api(`entities/${id}/ego`, { hops: 1, limit: EGO_LIMIT, cooccurrence: this.co ? 1 : '' }, this.signal);
    let added = 0;
    for (const e of r.entities) if (this.addEntity(e.entity, e.name, e.kind, near ?? String(id))) added++;
    // An entity in no relation is not in the network: its profile names it.
    if (!this.graph.hasNode(String(id))) {
      await namesOf([id], this.signal);
      this.addEntity(id, nameOf(id), null);
      added++;
    }
    const keys = r.edges.map((e) => this.addEdge(e)).filter(Boolean);
    return { added, keys, complete: r.complete };
  }

  // enrich fetches the evidence of edges not yet read, a few at a time, for
  // their dates, hedging and direction.
  async enrich(keys) {
    this.reading ??= new Set(); // links being read, by any call
    const todo = keys.filter((k) => !this.evidence.has(k) && !this.reading.has(k)).slice(0, MAX_ENRICH);
    for (const k of todo) this.reading.add(k);
    const next = async () => {
      while (todo.length && !this.signal.aborted) {
        const key = todo.shift();
        const [a, b] = key.split('-');
        try {
          const r = await api('edge', { a, b, cooccurrence: this.co ? 1 : '' }, this.signal);
          this.know(key, r.evidence);
        } catch (err) {
          if (err.name === 'AbortError') return;
          this.evidence.set(key, []);
        } finally {
          this.reading.delete(key);
        }
      }
    };
    await Promise.all([next(), next(), next(), next(), this.agencies()]);
    if (!this.signal.aborted) this.refresh();
  }

  // large switches to drawing edges only when the chart is still.
  large() {
    if (this.sigma && this.graph.size > LARGE_EDGES && !this.sigma.getSetting('hideEdgesOnMove')) this.sigma.setSettings(LARGE);
  }

  async expand(id) {
    this.summary.textContent = `Adding the neighbours of ${nameOf(id)}…`;
    this.checkpoint();
    try {
      const before = this.graph.order;
      const { keys, complete } = await this.ego(id, String(id));
      this.layout(String(id));
      this.large();
      this.refresh();
      const n = this.graph.order - before;
      this.note = `${nameOf(id)}: ${n ? plural(n, 'entity', 'entities') + ' added' : 'no one new'}${complete ? '' : ' (only the nearest)'}.`;
      this.refresh();
      this.enrich(keys);
    } catch (err) {
      // Nothing changed: the snapshot taken before is not an undo.
      this.past.pop();
      this.history();
      if (err.name !== 'AbortError') showError(err.message);
    }
  }

  // ---- Look

  // positive is the chart without denied links and hidden nodes: what
  // centralities, cells and paths are measured on.
  positive() {
    const g = new Graph({ type: 'undirected' });
    this.graph.forEachNode((n) => { if (this.visibleNode(n)) g.addNode(n); });
    this.graph.forEachEdge((e, a, s, t) => {
      if (!a.negated && this.visibleEdge(e) && g.hasNode(s) && g.hasNode(t)) g.addEdgeWithKey(e, s, t);
    });
    return g;
  }

  restyle() {
    const g = this.positive();
    let score = {};
    if (g.order) {
      if (this.sizeBy === 'degree') g.forEachNode((n) => { score[n] = g.degree(n); });
      else if (this.sizeBy === 'pagerank' && g.size) score = pagerank(g);
      else if (g.size) score = betweenness(g);
    }
    let cells = {};
    if (g.size) {
      try { cells = louvain(g, { rng: seeded(1) }); } catch { cells = {}; }
    }
    const max = Math.max(1e-9, ...Object.values(score));
    this.graph.updateEachNodeAttributes((n, a) => {
      const v = score[n] || 0;
      const cell = cells[n];
      return {
        ...a,
        score: v,
        cell: cell ?? -1,
        size: 5 + 13 * Math.sqrt(v / max),
        color: this.colourBy === 'community' ? (cell === undefined ? '#c3c9d4' : CELLS[cell % CELLS.length]) : a.kindColor,
        labelVisibility: this.allLabels ? 'visible' : 'auto',
      };
    });
  }

  visibleNode(n) {
    return !this.hidden.has(n);
  }

  inRange(a) {
    if (!this.range) return true;
    if (!a.dates.length) return true; // undated evidence is kept: the brush cannot place it
    return a.dates.some((t) => t >= this.range[0] && t <= this.range[1]);
  }

  // fromSources: an edge is shown if any of its evidence is in a ticked
  // collection of a ticked agency; one whose evidence is not read yet stays.
  fromSources(a) {
    if (!this.offAgencies.size && !this.offCollections.size) return true;
    if (!a.collections || !a.collections.length) return true;
    return a.collections.some((c) => !this.offCollections.has(c) && !this.offAgencies.has(this.agencyOf.get(c) || ''));
  }

  // visibleEdge reports whether the filters keep a link; anyDate leaves
  // the date range out (the timeline shows the dates around it).
  visibleEdge(e, anyDate = false) {
    const a = this.graph.getEdgeAttributes(e);
    return this.visibleNode(this.graph.source(e)) && this.visibleNode(this.graph.target(e)) &&
      a.types.some((t) => this.types.has(t)) && (anyDate || this.inRange(a)) && this.fromSources(a);
  }

  // refresh applies the filters to sigma's states and redraws the lists,
  // the type boxes and the histogram.
  refresh() {
    if (!this.sigma) return;
    const edgesShown = [];
    const filtered = this.range !== null || this.types.size < RELATIONS.length || this.offAgencies.size > 0 || this.offCollections.size > 0;
    this.shown = new Set();
    this.graph.forEachEdge((e) => {
      const show = this.visibleEdge(e);
      this.sigma.setEdgeState(e, { isHidden: !show });
      if (show) edgesShown.push(e);
    });
    let nodesShown = 0;
    this.graph.forEachNode((n) => {
      // A filter hides the entities it leaves unlinked; the analyst's
      // hiding hides the entity.
      let show = this.visibleNode(n);
      if (show && filtered && this.graph.degree(n) > 0) show = this.graph.someEdge(n, (e) => this.visibleEdge(e));
      this.sigma.setNodeState(n, { isHidden: !show });
      if (show) { nodesShown++; this.shown.add(n); }
    });
    // Nodes gone (an undo) leave the selection and their boxes.
    for (const n of this.selection) if (!this.graph.hasNode(n)) this.selection.delete(n);
    for (const b of this.boxes) for (const n of b.members) if (!this.graph.hasNode(n)) b.members.delete(n);
    this.boxes = this.boxes.filter((b) => b.members.size);
    this.restyle();
    this.stage.dataset.nodes = String(nodesShown);
    this.stage.dataset.edges = String(edgesShown.length);
    const hiddenN = this.graph.order - nodesShown;
    this.summary.textContent = `${plural(nodesShown, 'entity', 'entities')} and ${plural(edgesShown.length, 'link', 'links')} on the chart` +
      (hiddenN ? ` (${count(hiddenN)} hidden)` : '') + '.' + (this.note ? ` ${this.note}` : '');
    this.lists(edgesShown);
    this.typeFilter();
    this.sourceFilter();
    this.stage.dataset.selected = String(this.selection.size);
    this.drawBoxes();
    this.dates();
    drawLanes(this, this.lanes);
    this.pathChoices();
  }

  // relationColour is the colour links of a type are drawn in.
  relationColour(type) {
    return REL_COLOR.get(type) || OTHER_KIND.color;
  }

  lists(edges) {
    const name = (n) => this.graph.getNodeAttribute(n, 'label');
    const items = edges.map((e) => ({ e, text: [name(this.graph.source(e)), name(this.graph.target(e))].sort().join(' — ') }))
      .sort((x, y) => x.text.localeCompare(y.text));
    this.edgeList.replaceChildren(...items.map(({ e, text }) => {
      const a = this.graph.getEdgeAttributes(e);
      return el('li', {}, el('button', { type: 'button', class: 'link-button', 'data-edge': e, onclick: () => this.showEdge(e) },
        text, ' ', el('span', { class: 'rels' }, a.types.map(relation)),
        a.negated ? badge('negated', 'denied') : null, a.hedged ? badge('hedged', 'hedged') : null));
    }));
    const nodes = this.graph.nodes().sort((x, y) => name(x).localeCompare(name(y)));
    this.nodeList.replaceChildren(...nodes.map((n) => el('li', {},
      el('input', { type: 'checkbox', class: 'chart-pick', 'data-node': n, checked: this.selection.has(n), 'aria-label': `Select ${name(n)}`,
        onchange: (e) => this.toggle(n, e.target.checked) }), ' ',
      el('button', { type: 'button', class: 'link-button', 'data-node': n, onclick: () => this.showNode(n) }, name(n)),
      this.hidden.has(n) ? badge('hidden', 'hidden') : null)));
  }

  // typeFilter offers a box for each relation type on the chart. The boxes
  // are made again only when the types change: a box rebuilt on every
  // redraw (evidence arrives in the background) could swallow a click.
  typeFilter() {
    const present = new Set();
    this.graph.forEachEdge((e, a) => a.types.forEach((t) => present.add(t)));
    const sig = RELATIONS.filter(([t]) => present.has(t)).map(([t]) => t).join('|');
    if (sig === this.typeSig) {
      for (const b of this.typeBox.querySelectorAll('input[data-type]')) b.checked = this.types.has(b.dataset.type);
      return;
    }
    this.typeSig = sig;
    const boxes = RELATIONS.filter(([t]) => present.has(t)).map(([t, color]) => {
      const box = el('input', { type: 'checkbox', checked: this.types.has(t), 'data-type': t });
      box.addEventListener('change', () => {
        this.checkpoint();
        if (box.checked) this.types.add(t);
        else this.types.delete(t);
        this.refresh();
      });
      return el('label', { class: 'check' }, box, swatch('swatch-line', color), t);
    });
    this.typeBox.replaceChildren(el('legend', {}, 'Relation types'), ...boxes);
  }

  // dates draws a histogram of the evidence's dates by month; dragging
  // across it keeps the links stated in that span (i2's histogram filter).
  dates() {
    const all = [];
    this.graph.forEachEdge((e, a) => { if (this.visibleNode(this.graph.source(e)) && this.visibleNode(this.graph.target(e))) all.push(...a.dates); });
    const head = el('div', { class: 'chart-dates-head' }, el('strong', {}, 'Dates of the evidence'));
    if (!all.length) {
      const pending = this.graph.size > this.evidence.size;
      this.histogram.replaceChildren(head, el('p', { class: 'hint' }, pending ? 'Reading the links’ dates…' : 'No dated evidence on the chart.'));
      return;
    }
    const month = (t) => { const d = new Date(t); return d.getUTCFullYear() * 12 + d.getUTCMonth(); };
    const lo = month(Math.min(...all));
    const hi = month(Math.max(...all));
    const n = hi - lo + 1;
    const bins = new Array(n).fill(0);
    for (const t of all) bins[month(t) - lo]++;
    const inBrush = (i) => {
      if (!this.range) return true;
      const start = Date.UTC(Math.floor((lo + i) / 12), (lo + i) % 12, 1);
      const end = Date.UTC(Math.floor((lo + i + 1) / 12), (lo + i + 1) % 12, 1) - 1;
      return end >= this.range[0] && start <= this.range[1];
    };
    const W = 600;
    const H = 70;
    const bw = W / n;
    const top = Math.max(...bins);
    const label = (i) => { const m = lo + i; return `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`; };
    const svg = svgEl('svg', { viewBox: `0 0 ${W} ${H + 16}`, class: 'histogram', role: 'img',
      'aria-label': `Evidence per month from ${label(0)} to ${label(n - 1)}; drag to keep a span` },
    bins.map((c, i) => svgEl('rect', {
      x: i * bw + 1, y: H - (H - 4) * c / top, width: Math.max(1, bw - 2), height: (H - 4) * c / top,
      class: inBrush(i) ? 'bar on' : 'bar', 'data-month': label(i),
    }, svgEl('title', {}, `${label(i)}: ${plural(c, 'sentence', 'sentences')}`))),
    svgEl('text', { x: 0, y: H + 13, class: 'axis' }, label(0)),
    svgEl('text', { x: W, y: H + 13, class: 'axis end' }, label(n - 1)));
    const brush = svgEl('rect', { class: 'brush', y: 0, height: H, x: 0, width: 0 });
    svg.append(brush);
    let start = null;
    const at = (ev) => {
      const r = svg.getBoundingClientRect();
      return Math.max(0, Math.min(n - 1, Math.floor((ev.clientX - r.left) / r.width * n)));
    };
    svg.addEventListener('pointerdown', (ev) => { start = at(ev); svg.setPointerCapture(ev.pointerId); });
    svg.addEventListener('pointermove', (ev) => {
      if (start === null) return;
      const [i, j] = [Math.min(start, at(ev)), Math.max(start, at(ev))];
      brush.setAttribute('x', i * bw);
      brush.setAttribute('width', (j - i + 1) * bw);
    });
    svg.addEventListener('pointerup', (ev) => {
      if (start === null) return;
      const [i, j] = [Math.min(start, at(ev)), Math.max(start, at(ev))];
      start = null;
      this.setRange(Date.UTC(Math.floor((lo + i) / 12), (lo + i) % 12, 1), Date.UTC(Math.floor((lo + j + 1) / 12), (lo + j + 1) % 12, 1) - 1);
    });
    // The same filter by keyboard: two months.
    const monthInput = (id, value) => el('input', { type: 'month', id, value, min: label(0), max: label(n - 1) });
    const from = monthInput('chart-since', this.range ? new Date(this.range[0]).toISOString().slice(0, 7) : label(0));
    const to = monthInput('chart-until', this.range ? new Date(this.range[1]).toISOString().slice(0, 7) : label(n - 1));
    const apply = () => {
      const [fy, fm] = from.value.split('-').map(Number);
      const [ty, tm] = to.value.split('-').map(Number);
      if (fy && ty) this.setRange(Date.UTC(fy, fm - 1, 1), Date.UTC(ty, tm, 1) - 1);
    };
    from.addEventListener('change', apply);
    to.addEventListener('change', apply);
    this.histogram.replaceChildren(head, svg,
      el('div', { class: 'chart-dates-form' },
        el('label', { for: 'chart-since' }, 'From '), from, el('label', { for: 'chart-until' }, ' to '), to,
        el('button', { type: 'button', class: 'btn', id: 'chart-all-dates', disabled: !this.range, onclick: () => this.setRange(null) }, 'All dates'),
        this.range ? el('span', { class: 'hint' }, ' Links with undated evidence stay.') : null));
  }

  setRange(from, to) {
    this.checkpoint();
    this.range = from === null ? null : [from, to];
    this.refresh();
  }

  pathChoices() {
    const nodes = this.graph.nodes().filter((n) => this.visibleNode(n))
      .sort((x, y) => this.graph.getNodeAttribute(x, 'label').localeCompare(this.graph.getNodeAttribute(y, 'label')));
    for (const sel of [this.fromSel, this.toSel]) {
      const was = sel.value;
      sel.replaceChildren(...nodes.map((n) => el('option', { value: n }, this.graph.getNodeAttribute(n, 'label'))));
      if (nodes.includes(was)) sel.value = was;
    }
  }

  // ---- Layouts

  // layout runs a bounded ForceAtlas2 (no worker: the page's CSP allows no
  // blob: scripts); pinned nodes stay where they are.
  layout() {
    if (this.graph.order < 2) return;
    const iterations = this.graph.order > 2000 ? 20 : this.graph.order > 300 ? 100 : 300;
    forceAtlas2.assign(this.graph, { iterations, settings: { ...forceAtlas2.inferSettings(this.graph), barnesHutOptimize: this.graph.order > 300 } });
  }

  // radial places one node in the middle and the others on rings by their
  // distance in links from it.
  radial(centre) {
    const depth = new Map([[centre, 0]]);
    const order = [centre];
    for (let i = 0; i < order.length; i++) {
      this.graph.forEachNeighbor(order[i], (m) => {
        if (!depth.has(m) && this.visibleNode(m)) {
          depth.set(m, depth.get(order[i]) + 1);
          order.push(m);
        }
      });
    }
    const rings = new Map();
    for (const n of order) {
      const d = depth.get(n);
      if (!rings.has(d)) rings.set(d, []);
      rings.get(d).push(n);
    }
    const far = rings.size;
    this.graph.forEachNode((n) => { if (!depth.has(n)) { depth.set(n, far); (rings.get(far) || rings.set(far, []).get(far)).push(n); } });
    for (const [d, ns] of rings) {
      ns.forEach((n, i) => {
        if (this.graph.getNodeAttribute(n, 'fixed')) return;
        const angle = (2 * Math.PI * i) / ns.length;
        this.graph.mergeNodeAttributes(n, { x: d * 10 * Math.cos(angle), y: d * 10 * Math.sin(angle) });
      });
    }
  }

  unhide() {
    if (!this.hidden.size) return;
    this.checkpoint();
    this.hidden.clear();
    this.refresh();
  }

  // ---- Selection

  // setSelection makes nodes the selection, marked on the canvas and
  // ticked in the list of entities.
  setSelection(nodes) {
    const next = new Set([...nodes].filter((n) => this.graph.hasNode(n)));
    if (this.sigma) {
      for (const n of this.selection) if (!next.has(n) && this.graph.hasNode(n)) this.sigma.setNodeState(n, { isSelected: false });
      for (const n of next) this.sigma.setNodeState(n, { isSelected: true });
    }
    this.selection = next;
    for (const box of this.nodeList.querySelectorAll('input.chart-pick')) box.checked = next.has(box.dataset.node);
    this.stage.dataset.selected = String(next.size);
  }

  select(node) {
    this.setSelection(node ? [node] : []);
  }

  // toggle adds a node to the selection or takes it out (shift-, ctrl- or
  // cmd-click; the list's checkbox), and shows what is selected.
  toggle(n, on = !this.selection.has(n)) {
    const next = new Set(this.selection);
    if (on) next.add(n);
    else next.delete(n);
    this.setSelection(next);
    this.showSelection();
  }

  selectAll() {
    this.setSelection(this.graph.filterNodes((n) => this.shown?.has(n) ?? this.visibleNode(n)));
    this.showSelection();
  }

  selectNeighbours() {
    const next = new Set(this.selection);
    for (const n of this.selection) {
      this.graph.forEachEdge(n, (e, a, s, t) => { if (this.visibleEdge(e)) next.add(s === n ? t : s); });
    }
    this.setSelection(next);
    this.showSelection();
  }

  // showSelection shows what is selected in the panel, with what can be
  // done to all of it.
  showSelection() {
    const sel = [...this.selection];
    if (sel.length === 0) {
      this.panel.replaceChildren(el('p', { class: 'hint' }, 'Nothing selected. Shift-click nodes, or tick them in the list of entities, to select several.'));
      return;
    }
    if (sel.length === 1) {
      this.showNode(sel[0]);
      return;
    }
    const name = (n) => this.graph.getNodeAttribute(n, 'label');
    sel.sort((x, y) => name(x).localeCompare(name(y)));
    const pinned = sel.every((n) => this.graph.getNodeAttribute(n, 'fixed'));
    const boxName = el('input', { type: 'text', id: 'chart-box-name', maxlength: '120', required: true, 'aria-label': 'Name of the box' });
    const inBoxes = this.boxes.filter((b) => sel.some((n) => b.members.has(n)));
    this.panel.replaceChildren(
      el('h2', {}, `${plural(sel.length, 'entity', 'entities')} selected`),
      el('ul', { class: 'chart-selection' }, sel.map((n) => el('li', {}, entityLink(n)))),
      el('div', { class: 'chart-actions' },
        el('button', { type: 'button', class: 'btn', id: 'chart-hide-selected', onclick: () => this.hideSelected() }, 'Hide'),
        el('button', { type: 'button', class: 'btn', id: 'chart-pin-selected', 'aria-pressed': String(pinned), onclick: () => this.pinSelected(!pinned) }, pinned ? 'Unpin' : 'Pin'),
        el('button', { type: 'button', class: 'btn', onclick: () => this.selectNeighbours() }, 'Select neighbours')),
      el('form', { class: 'chart-group', onsubmit: (e) => { e.preventDefault(); this.group(boxName.value.trim()); } },
        el('label', { for: 'chart-box-name' }, 'Group into a box named '), boxName,
        el('button', { type: 'submit', class: 'btn primary', id: 'chart-group' }, 'Group')),
      inBoxes.length ? el('div', { class: 'chart-actions' }, inBoxes.map((b) =>
        el('button', { type: 'button', class: 'btn', 'data-ungroup': b.name, onclick: () => this.ungroup(b.name) }, `Ungroup “${b.name}”`))) : null);
  }

  hideSelected() {
    if (!this.selection.size) return;
    this.checkpoint();
    for (const n of this.selection) this.hidden.add(n);
    this.setSelection([]);
    this.refresh();
    this.showSelection();
  }

  pinSelected(on) {
    this.checkpoint();
    for (const n of this.selection) this.graph.setNodeAttribute(n, 'fixed', on);
    this.showSelection();
  }

  // ---- Boxes

  // group puts the selected nodes in a box of that name (joining a box of
  // the same name); a node is in one box at most, so it leaves any other.
  group(name) {
    if (!name || !this.selection.size) return;
    this.checkpoint();
    const members = new Set(this.selection);
    for (const b of this.boxes) for (const n of members) b.members.delete(n);
    const same = this.boxes.find((b) => b.name === name);
    if (same) for (const n of members) same.members.add(n);
    else this.boxes.push({ name, members });
    this.boxes = this.boxes.filter((b) => b.members.size);
    this.drawBoxes();
    this.showBox(name);
  }

  ungroup(name) {
    if (!this.boxes.some((b) => b.name === name)) return;
    this.checkpoint();
    this.boxes = this.boxes.filter((b) => b.name !== name);
    this.drawBoxes();
    this.showSelection();
  }

  // showBox selects a box's members and names it in the panel.
  showBox(name) {
    const b = this.boxes.find((x) => x.name === name);
    if (!b) return;
    this.setSelection(b.members);
    this.showSelection();
    this.panel.prepend(el('p', { class: 'chart-box-title' }, 'Box ', el('strong', {}, b.name)));
  }

  // boxFrames returns each box with members on screen and the rectangle
  // around them, in the stage's pixels.
  boxFrames() {
    if (!this.sigma) return [];
    const out = [];
    for (const b of this.boxes) {
      let x0 = Infinity; let y0 = Infinity; let x1 = -Infinity; let y1 = -Infinity;
      for (const n of b.members) {
        if (!this.graph.hasNode(n) || !(this.shown?.has(n) ?? this.visibleNode(n))) continue;
        const d = this.sigma.getNodeDisplayData(n);
        if (!d) continue;
        const v = this.sigma.framedGraphToViewport(d);
        const r = (d.size || 6) + 10;
        x0 = Math.min(x0, v.x - r); y0 = Math.min(y0, v.y - r);
        x1 = Math.max(x1, v.x + r); y1 = Math.max(y1, v.y + r);
      }
      if (x0 !== Infinity) out.push({ box: b, x: x0, y: y0, width: x1 - x0, height: y1 - y0 });
    }
    return out;
  }

  // drawBoxes draws the boxes over the canvas after each frame sigma
  // draws, so they follow zoom and pan; a box's label selects its members.
  drawBoxes() {
    if (!this.sigma || !this.overlay.isConnected) return;
    const frames = this.boxFrames();
    this.boxEls ??= new Map();
    const keep = new Set(frames.map((f) => f.box.name));
    for (const [name, g] of this.boxEls) if (!keep.has(name)) { g.g.remove(); this.boxEls.delete(name); }
    for (const f of frames) {
      let g = this.boxEls.get(f.box.name);
      if (!g) {
        const frame = svgEl('rect', { class: 'frame', rx: 8 });
        const tab = svgEl('rect', { class: 'tab', rx: 3, height: 18 });
        const text = svgEl('text', { class: 'name' }, f.box.name);
        const label = svgEl('g', { class: 'label', role: 'button', tabindex: '0' }, tab, text);
        const open = () => this.showBox(f.box.name);
        label.addEventListener('click', open);
        label.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); open(); } });
        g = { g: svgEl('g', { class: 'chart-box', 'data-box': f.box.name }, frame, label), frame, tab, text, label };
        this.overlay.append(g.g);
        this.boxEls.set(f.box.name, g);
      }
      g.label.setAttribute('aria-label', `Box ${f.box.name}: ${plural(f.box.members.size, 'entity', 'entities')}; select them`);
      g.frame.setAttribute('x', f.x); g.frame.setAttribute('y', f.y);
      g.frame.setAttribute('width', f.width); g.frame.setAttribute('height', f.height);
      // The name's width, measured once it is in the page.
      g.width ||= 12 + (g.text.getComputedTextLength?.() || 7 * f.box.name.length);
      const w = g.width;
      g.tab.setAttribute('x', f.x); g.tab.setAttribute('y', f.y - 18); g.tab.setAttribute('width', w);
      g.text.setAttribute('x', f.x + 6); g.text.setAttribute('y', f.y - 5);
    }
  }

  showNode(n) {
    this.select(n);
    const a = this.graph.getNodeAttributes(n);
    const degree = this.graph.filterEdges(n, (e) => this.visibleEdge(e)).length;
    const pinned = !!a.fixed;
    const buttons = [
      el('button', { type: 'button', class: 'btn primary', id: 'chart-expand', onclick: () => this.expand(n) }, 'Add neighbours'),
      el('button', { type: 'button', class: 'btn', onclick: () => { this.checkpoint(); this.radial(n); this.sigma.getCamera().reset(); } }, 'Radial layout around'),
      el('button', { type: 'button', class: 'btn', 'aria-pressed': String(pinned), onclick: () => { this.checkpoint(); this.graph.setNodeAttribute(n, 'fixed', !pinned); this.showNode(n); } }, pinned ? 'Unpin' : 'Pin'),
      el('button', { type: 'button', class: 'btn', onclick: () => { this.checkpoint(); this.hidden.add(n); this.select(null); this.refresh(); } }, 'Hide'),
      el('button', { type: 'button', class: 'btn', onclick: () => { this.fromSel.value = n; } }, 'Path from here'),
      el('button', { type: 'button', class: 'btn', onclick: () => { this.toSel.value = n; } }, 'Path to here'),
    ];
    this.panel.replaceChildren(
      el('h2', {}, entityLink(n)),
      el('dl', { class: 'facts' },
        el('dt', {}, 'Kind'), el('dd', {}, kindOf(a.kind).name),
        el('dt', {}, 'Links on the chart'), el('dd', { class: 'degree' }, count(degree)),
        el('dt', {}, this.size.selectedOptions[0].textContent), el('dd', {}, Number((a.score || 0).toPrecision(3)).toString()),
        a.cell >= 0 ? [el('dt', {}, 'Cell'), el('dd', {}, String(a.cell + 1))] : null),
      el('p', {}, el('a', { href: entityHash(n) }, 'Open the profile')),
      el('div', { class: 'chart-actions' }, buttons));
  }

  async showEdge(e) {
    if (!this.graph.hasEdge(e)) return;
    const a = this.graph.getEdgeAttributes(e);
    const s = this.graph.source(e);
    const t = this.graph.target(e);
    const head = [
      el('h2', { class: 'edge-title' }, entityLink(s), ' — ', entityLink(t)),
      el('p', { class: 'rels' }, a.types.map(relation),
        a.negated ? badge('negated', 'denied', 'Every document that states it denies it') : null,
        a.hedged ? badge('hedged', 'hedged', 'The documents only allege, believe or ask it') : null,
        el('span', { class: 'strength' }, ` weight ${Number((a.weight || 0).toFixed(2))}`)),
    ];
    this.panel.replaceChildren(...head, el('p', { class: 'pending' }, 'Reading the sentences…'));
    let ev = this.evidence.get(e);
    if (!ev || !ev.length || !ev[0].text) {
      try {
        const r = await api('edge', { a: s, b: t, cooccurrence: this.co ? 1 : '' }, this.signal);
        ev = r.evidence;
        this.know(e, ev);
      } catch (err) {
        if (err.name === 'AbortError') return;
        this.panel.replaceChildren(...head, el('p', { class: 'error' }, err.message));
        return;
      }
    }
    this.panel.replaceChildren(...head,
      el('p', { class: 'hint' }, `${plural(ev.length, 'sentence states', 'sentences state')} it:`),
      el('div', { class: 'edge-evidence' }, evidenceList(ev)));
    // Every sentence, not the first few: unfold the rest.
    for (const d of this.panel.querySelectorAll('details.more')) d.open = true;
  }

  // ---- Paths

  async findPath(from, to) {
    if (!from || !to || from === to) return;
    this.clearPath();
    this.panel.replaceChildren(el('p', { class: 'pending' }, `Finding the shortest path from ${nameOf(from)} to ${nameOf(to)}…`));
    try {
      const r = await api('path', { from, to, k: 1, hops: 6, cooccurrence: this.co ? 1 : '' }, this.signal);
      for (const [id, name] of Object.entries(r.names)) remember(id, name, r.kinds[id]);
      let nodes;
      let hops = null;
      if (r.paths.length) {
        const p = r.paths[0];
        if (p.entities.some((id) => !this.graph.hasNode(String(id)))) this.checkpoint();
        let prev = null;
        for (const id of p.entities) {
          this.addEntity(id, r.names[id] || nameOf(id), r.kinds[id], prev);
          prev = String(id);
        }
        for (const h of p.hops) {
          const key = this.addEdge({ a: h.from, b: h.to, types: h.edge.types, weight: h.edge.weight, negated: h.edge.weight === 0, evidence: h.edge.evidence.length });
          this.know(key, h.edge.evidence);
        }
        nodes = p.entities.map(String);
        hops = p.hops;
      } else {
        // The evidence network has no path: try the links on the chart
        // (they may include names only mentioned together).
        nodes = bidirectional(this.positive(), from, to);
      }
      if (!nodes) {
        this.panel.replaceChildren(el('p', { class: 'no-path' }, el('strong', {}, 'No path'), ` from ${nameOf(from)} to ${nameOf(to)} within 6 hops.`));
        this.refresh();
        return;
      }
      const edges = nodes.slice(1).map((n, i) => edgeKey(nodes[i], n));
      this.path = { nodes, edges };
      this.refresh();
      this.sigma.setNodesState(nodes, { isHighlighted: true });
      this.sigma.setEdgesState(edges.filter((e) => this.graph.hasEdge(e)), { isHighlighted: true });
      this.stage.dataset.path = nodes.join(',');
      this.panel.replaceChildren(
        el('h2', {}, `Path: ${plural(nodes.length - 1, 'hop', 'hops')}`),
        el('p', { class: 'chain' }, nodes.flatMap((id, j) => [j ? el('span', { class: 'arrow', 'aria-hidden': 'true' }, ' → ') : null, entityLink(id)])),
        hops ? el('ol', { class: 'hops' }, hops.map(hopView)) : el('p', { class: 'hint' }, 'Found among the links on the chart; click each link for its sentences.'));
    } catch (err) {
      if (err.name !== 'AbortError') this.panel.replaceChildren(el('p', { class: 'error' }, err.message));
    }
  }

  clearPath() {
    if (!this.path) return;
    this.sigma.setNodesState(this.path.nodes.filter((n) => this.graph.hasNode(n)), { isHighlighted: false });
    this.sigma.setEdgesState(this.path.edges.filter((e) => this.graph.hasEdge(e)), { isHighlighted: false });
    this.path = null;
    delete this.stage.dataset.path;
  }

  // ---- Undo and redo

  // state is what an undo restores: the graph with its positions and
  // attributes, what is hidden, the filters and the boxes. The evidence
  // cache is kept apart: it does not change with the analyst's edits.
  state() {
    return {
      graph: structuredClone(this.graph.export()),
      hidden: [...this.hidden],
      types: [...this.types],
      range: this.range,
      boxes: this.boxes.map((b) => ({ name: b.name, members: [...b.members] })),
      offAgencies: [...this.offAgencies],
      offCollections: [...this.offCollections],
    };
  }

  // restore puts the chart back as a state (or a saved chart's body) left
  // it; strings and arrays are checked, as a saved body is read back.
  restore(st) {
    this.clearPath();
    this.setSelection([]);
    const strings = (v) => (Array.isArray(v) ? v.filter((x) => typeof x === 'string') : []);
    this.graph.clear();
    if (st.graph && Array.isArray(st.graph.nodes)) this.graph.import(st.graph);
    // Evidence read since the state was kept (it is read in the
    // background) gives its links their dates, direction and sources.
    const unread = [];
    this.graph.forEachEdge((e) => {
      const ev = this.evidence.get(e);
      if (ev) this.know(e, ev);
      else unread.push(e);
    });
    this.hidden = new Set(strings(st.hidden).filter((n) => this.graph.hasNode(n)));
    this.types = new Set(Array.isArray(st.types) ? strings(st.types) : RELATIONS.map(([t]) => t));
    this.range = Array.isArray(st.range) && st.range.length === 2 && st.range.every(Number.isFinite) ? [st.range[0], st.range[1]] : null;
    this.boxes = (Array.isArray(st.boxes) ? st.boxes : [])
      .filter((b) => b && typeof b.name === 'string' && b.name)
      .map((b) => ({ name: b.name, members: new Set(strings(b.members).filter((n) => this.graph.hasNode(n))) }))
      .filter((b) => b.members.size);
    this.offAgencies = new Set(strings(st.offAgencies));
    this.offCollections = new Set(strings(st.offCollections));
    this.refresh();
    // A link whose reading was cut short (undone while it was read) is
    // read again.
    if (unread.length) this.enrich(unread);
  }

  // checkpoint keeps the chart as it is before a change, to undo to.
  checkpoint() {
    this.past.push(this.state());
    if (this.past.length > HISTORY) this.past.shift();
    this.future = [];
    this.history();
  }

  undo() {
    if (!this.past.length) return;
    this.future.push(this.state());
    this.restore(this.past.pop());
    this.note = 'Undone.';
    this.history();
    this.refresh();
  }

  redo() {
    if (!this.future.length) return;
    this.past.push(this.state());
    this.restore(this.future.pop());
    this.note = 'Redone.';
    this.history();
    this.refresh();
  }

  history() {
    this.undoButton.disabled = !this.past.length;
    this.redoButton.disabled = !this.future.length;
  }

  // ---- Agencies and collections

  // agencies reads which agency holds each collection, once.
  agencies() {
    this.agenciesRead ??= api('collections', null, this.signal).then((r) => {
      for (const c of r.collections) this.agencyOf.set(c.name, c.agency);
    }, () => null);
    return this.agenciesRead;
  }

  // sourceFilter offers a box per agency and per collection the links'
  // evidence comes from, like the relation types.
  sourceFilter() {
    const present = new Set();
    this.graph.forEachEdge((e, a) => (a.collections || []).forEach((c) => present.add(c)));
    this.sourceBox.hidden = present.size === 0;
    const agencyOf = (c) => this.agencyOf.get(c) || '';
    // set names the chart's set, read when the box changes: undo puts
    // new sets in their place.
    const tick = (set, key, attr, label) => {
      const b = el('input', { type: 'checkbox', checked: !this[set].has(key), [attr]: key });
      b.addEventListener('change', () => {
        this.checkpoint();
        if (b.checked) this[set].delete(key);
        else this[set].add(key);
        this.refresh();
      });
      return el('label', { class: 'check' }, b, label);
    };
    const agencies = [...new Set([...present].map(agencyOf))].sort();
    // Made again only when the agencies or collections change (see
    // typeFilter).
    const sig = agencies.join('|') + '/' + [...present].sort().join('|');
    if (sig === this.sourceSig) {
      for (const b of this.sourceBox.querySelectorAll('input[data-agency]')) b.checked = !this.offAgencies.has(b.dataset.agency);
      for (const b of this.sourceBox.querySelectorAll('input[data-collection]')) b.checked = !this.offCollections.has(b.dataset.collection);
      return;
    }
    this.sourceSig = sig;
    this.sourceBox.replaceChildren(el('legend', {}, 'Agencies and collections'),
      ...agencies.map((ag) => el('span', { class: 'chart-agency' },
        tick('offAgencies', ag, 'data-agency', el('strong', {}, ag || 'agency not known')),
        [...present].filter((c) => agencyOf(c) === ag).sort().map((c) => tick('offCollections', c, 'data-collection', c)))));
  }

  // ---- Saving by name

  // saved is the chart as stored: its state, the look chosen, and whether
  // it follows names mentioned together. The evidence is not kept: it is
  // read again when the chart is opened.
  saved() {
    return { version: 1, co: this.co, colourBy: this.colourBy, sizeBy: this.sizeBy, allLabels: this.allLabels, ...this.state() };
  }

  async save(name) {
    this.saveStatus.classList.remove('error');
    if (!name) {
      this.saveStatus.textContent = 'Name the chart to save it.';
      return;
    }
    this.saveStatus.textContent = 'Saving…';
    try {
      const r = await send(`charts/${encodeURIComponent(name)}`, this.saved(), this.signal, 'PUT');
      this.saveStatus.textContent = `Saved as ${r.name}`;
    } catch (err) {
      if (err.name === 'AbortError') return;
      this.saveStatus.classList.add('error');
      this.saveStatus.textContent = `Not saved: ${err.message}`;
    }
  }

  // load opens a saved chart's body.
  load(body) {
    if (!body || typeof body !== 'object' || !body.graph || !Array.isArray(body.graph.nodes)) throw new Error('this saved chart cannot be read');
    this.co = body.co === true;
    if (['kind', 'community'].includes(body.colourBy)) this.colour.value = this.colourBy = body.colourBy;
    if (['betweenness', 'pagerank', 'degree'].includes(body.sizeBy)) this.size.value = this.sizeBy = body.sizeBy;
    this.allLabels = this.labelsBox.checked = body.allLabels === true;
    this.restore(body);
    this.graph.forEachNode((n, a) => remember(n, String(a.label ?? n), a.kind));
  }

  // among adds the entities listed and the links among them: one ego
  // call each, keeping only the links whose both ends are listed.
  async among(ids) {
    const want = new Set(ids);
    const found = new Map();
    const edges = new Map();
    const todo = [...want];
    const next = async () => {
      while (todo.length && !this.signal.aborted) {
        const id = todo.shift();
        const r = await api(`entities/${id}/ego`, { hops: 1, limit: EGO_LIMIT, cooccurrence: this.co ? 1 : '' }, this.signal).catch((err) => {
          if (err.name === 'AbortError') throw err;
          return { entities: [], edges: [] };
        });
        for (const e of r.entities) if (want.has(String(e.entity))) found.set(String(e.entity), e);
        for (const e of r.edges) if (want.has(String(e.a)) && want.has(String(e.b))) edges.set(edgeKey(e.a, e.b), e);
      }
    };
    await Promise.all([next(), next(), next(), next()]);
    const unnamed = ids.filter((id) => !found.has(id));
    if (unnamed.length) await namesOf(unnamed, this.signal);
    for (const id of ids) {
      const e = found.get(id);
      this.addEntity(id, e ? e.name : nameOf(id), e ? e.kind : null);
    }
    return [...edges.values()].map((e) => this.addEdge(e)).filter(Boolean);
  }

  // ---- Export

  // snapshot copies the drawn canvases onto one white canvas, right after
  // sigma draws (a WebGL canvas is cleared once the frame is shown).
  snapshot() {
    return new Promise((resolve) => {
      this.sigma.once('afterRender', () => {
        const canvases = [...this.stage.querySelectorAll('canvas')];
        const { width, height } = canvases[0];
        const out = document.createElement('canvas');
        out.width = width;
        out.height = height;
        const ctx = out.getContext('2d');
        ctx.fillStyle = '#ffffff';
        ctx.fillRect(0, 0, width, height);
        for (const c of canvases) if (c.width && c.height) ctx.drawImage(c, 0, 0, width, height);
        // The boxes, drawn over the canvas in the page, are drawn here too.
        const k = width / (this.stage.clientWidth || width);
        ctx.scale(k, k);
        ctx.font = '600 12px system-ui, sans-serif';
        for (const f of this.boxFrames()) {
          ctx.strokeStyle = BOX;
          ctx.lineWidth = 1.5;
          ctx.setLineDash([6, 4]);
          ctx.strokeRect(f.x, f.y, f.width, f.height);
          ctx.setLineDash([]);
          ctx.fillStyle = BOX;
          ctx.fillRect(f.x, f.y - 18, ctx.measureText(f.box.name).width + 12, 18);
          ctx.fillStyle = '#ffffff';
          ctx.fillText(f.box.name, f.x + 6, f.y - 5);
        }
        resolve(out);
      });
      this.sigma.refresh();
    });
  }

  async png() {
    const canvas = await this.snapshot();
    canvas.toBlob((blob) => download(blob, 'chart.png'));
  }

  graphml() {
    download(new Blob([toGraphML(this)], { type: 'application/graphml+xml' }), 'chart.graphml');
  }

  svg() {
    download(new Blob([toSVG(this)], { type: 'image/svg+xml' }), 'chart.svg');
  }
}

// xmlText escapes a string for XML text and attribute values.
const xmlText = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]);

// toSVG draws what is on the chart (what GraphML holds) as a standalone
// SVG from the positions on screen: shapes by kind, links coloured by
// type, dashed when hedged or denied, arrowheads where directed, labels
// and boxes. Every string is escaped.
function toSVG(chart) {
  const s = chart.sigma;
  const g = chart.graph;
  const W = chart.stage.clientWidth || 800;
  const H = chart.stage.clientHeight || 600;
  const f = (v) => Number(v).toFixed(1);
  const pos = new Map();
  g.forEachNode((n) => {
    if (!chart.visibleNode(n)) return;
    const d = s.getNodeDisplayData(n);
    if (!d) return;
    const v = s.framedGraphToViewport(d);
    pos.set(n, { x: v.x, y: v.y, r: d.size || 5 });
  });
  const markers = new Map();
  const marker = (color) => {
    if (!markers.has(color)) markers.set(color, `m${markers.size}`);
    return markers.get(color);
  };
  const edges = [];
  g.forEachEdge((e, a, src, dst) => {
    if (!chart.visibleEdge(e) || !pos.has(src) || !pos.has(dst)) return;
    const p = pos.get(src);
    const q = pos.get(dst);
    const len = Math.hypot(q.x - p.x, q.y - p.y) || 1;
    const ux = (q.x - p.x) / len;
    const uy = (q.y - p.y) / len;
    const x1 = p.x + ux * (a.tail === 'arrow' ? p.r : 0);
    const y1 = p.y + uy * (a.tail === 'arrow' ? p.r : 0);
    const x2 = q.x - ux * (a.head === 'arrow' ? q.r : 0);
    const y2 = q.y - uy * (a.head === 'arrow' ? q.r : 0);
    const color = a.color || '#a3abb9';
    const dashed = a.negated || a.hedged;
    edges.push(`  <line class="edge" data-id="${xmlText(e)}" x1="${f(x1)}" y1="${f(y1)}" x2="${f(x2)}" y2="${f(y2)}" stroke="${xmlText(color)}" ` +
      `stroke-width="${f(a.size || 1)}"${dashed ? ' stroke-dasharray="6 4"' : ''}` +
      `${a.head === 'arrow' ? ` marker-end="url(#${marker(color)})"` : ''}${a.tail === 'arrow' ? ` marker-start="url(#${marker(color)})"` : ''}>` +
      `<title>${xmlText(`${g.getNodeAttribute(src, 'label')} — ${g.getNodeAttribute(dst, 'label')}: ${a.types.join(', ')}`)}</title></line>`);
  });
  const nodes = [];
  const labels = [];
  for (const [n, p] of pos) {
    const a = g.getNodeAttributes(n);
    const fill = xmlText(a.color || kindOf(a.kind).color);
    const common = `class="node" data-id="${xmlText(n)}" fill="${fill}"`;
    const r = p.r;
    let shape;
    switch (a.shape) {
      case 'square': shape = `<rect ${common} x="${f(p.x - r)}" y="${f(p.y - r)}" width="${f(2 * r)}" height="${f(2 * r)}"/>`; break;
      case 'triangle': shape = `<polygon ${common} points="${f(p.x)},${f(p.y - r)} ${f(p.x + r)},${f(p.y + r * 0.8)} ${f(p.x - r)},${f(p.y + r * 0.8)}"/>`; break;
      case 'diamond': shape = `<polygon ${common} points="${f(p.x)},${f(p.y - r)} ${f(p.x + r)},${f(p.y)} ${f(p.x)},${f(p.y + r)} ${f(p.x - r)},${f(p.y)}"/>`; break;
      default: shape = `<circle ${common} cx="${f(p.x)}" cy="${f(p.y)}" r="${f(r)}"/>`;
    }
    nodes.push(`  ${shape}`);
    labels.push(`  <text class="label" fill="#1d2433" x="${f(p.x + r + 3)}" y="${f(p.y + 4)}">${xmlText(a.label ?? n)}</text>`);
  }
  const boxes = chart.boxFrames().map((b) => `  <g class="box"><rect x="${f(b.x)}" y="${f(b.y)}" width="${f(b.width)}" height="${f(b.height)}" rx="8" fill="none" stroke="${BOX}" stroke-width="1.5" stroke-dasharray="6 4"/>` +
    `<text class="box-name" fill="${BOX}" font-weight="600" x="${f(b.x + 6)}" y="${f(b.y - 5)}">${xmlText(b.box.name)}</text></g>`);
  return ['<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="${SVG_NS}" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    '  <title>Link chart</title>',
    `  <rect width="${W}" height="${H}" fill="#ffffff"/>`,
    '  <defs>',
    ...[...markers].map(([color, id]) => `    <marker id="${id}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="${xmlText(color)}"/></marker>`),
    '  </defs>',
    ...boxes, ...edges, ...nodes, ...labels,
    '</svg>', ''].join('\n');
}


// GRAPHML_NS is GraphML's namespace: a name written as a URL, never
// fetched.
const GRAPHML_NS = 'http://graphml.graphdrawing.org/xmlns';

// toGraphML writes the entities and links on the chart (not those hidden)
// as GraphML, escaping every string.
function toGraphML(chart) {
  const g = chart.graph;
  const x = xmlText;
  const keys = [
    ['label', 'node', 'string'], ['kind', 'node', 'string'], ['x', 'node', 'double'], ['y', 'node', 'double'],
    ['size', 'node', 'double'], ['color', 'node', 'string'], ['cell', 'node', 'int'],
    ['types', 'edge', 'string'], ['weight', 'edge', 'double'], ['negated', 'edge', 'boolean'], ['hedged', 'edge', 'boolean'],
    ['evidence', 'edge', 'int'], ['first', 'edge', 'string'], ['last', 'edge', 'string'],
  ];
  const out = ['<?xml version="1.0" encoding="UTF-8"?>',
    `<graphml xmlns="${GRAPHML_NS}">`,
    ...keys.map(([k, f, t]) => `  <key id="${f[0]}_${k}" for="${f}" attr.name="${k}" attr.type="${t}"/>`),
    '  <graph id="chart" edgedefault="undirected">'];
  const data = (f, k, v) => (v === undefined || v === null || v === '' ? '' : `<data key="${f}_${k}">${x(v)}</data>`);
  g.forEachNode((n, a) => {
    if (!chart.visibleNode(n)) return;
    out.push(`    <node id="${x(n)}">${data('n', 'label', a.label)}${data('n', 'kind', a.kind)}${data('n', 'x', a.x)}${data('n', 'y', a.y)}` +
      `${data('n', 'size', a.size)}${data('n', 'color', a.color)}${data('n', 'cell', a.cell)}</node>`);
  });
  const iso = (t) => new Date(t).toISOString().slice(0, 10);
  g.forEachEdge((e, a, s, t) => {
    if (!chart.visibleEdge(e)) return;
    out.push(`    <edge id="${x(e)}" source="${x(s)}" target="${x(t)}">${data('e', 'types', a.types.join(' '))}${data('e', 'weight', a.weight)}` +
      `${data('e', 'negated', a.negated)}${data('e', 'hedged', a.hedged)}${data('e', 'evidence', a.pieces)}` +
      `${a.dates.length ? data('e', 'first', iso(Math.min(...a.dates))) + data('e', 'last', iso(Math.max(...a.dates))) : ''}</edge>`);
  });
  out.push('  </graph>', '</graphml>', '');
  return out.join('\n');
}

function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = el('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// swatch is a sample of a colour. The colour is set through the CSSOM: the
// page's CSP refuses style attributes.
function swatch(cls, color) {
  const s = el('span', { class: cls, 'aria-hidden': 'true' });
  s.style.setProperty('--c', color);
  return s;
}

function legend() {
  const line = (label, color, dashed) => el('li', {}, swatch(`swatch-line${dashed ? ' dashed' : ''}`, color), label);
  const shape = (k) => el('li', {}, swatch(`swatch-shape ${k.shape}`, k.color), k.name);
  return el('div', { class: 'chart-legend', 'aria-label': 'Legend' },
    el('ul', {}, Object.values(KIND).map(shape), shape(OTHER_KIND)),
    el('ul', {}, line('stated (arrow: who acts on whom)', '#1f7fbf'), line('hedged: alleged, believed', '#1f7fbf', true),
      line('denied: “was not in touch with”', DENIED, true), line('named together only', REL_COLOR.get('co-occurrence'))));
}

// seeded is a small deterministic random source, so that cells and the
// generated graph come out the same each time.
function seeded(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// hook is what the browser test and the console read of the chart: counts,
// positions on screen, a pixel count and a frame-rate measure.
function hook(chart) {
  return {
    nodes: () => chart.graph.order,
    edges: () => chart.graph.size,
    ids: () => chart.graph.nodes().sort(),
    edgeIds: () => chart.graph.edges().sort(),
    // at is where a node, or the middle of an edge, is on the page.
    at(id) {
      const s = chart.sigma;
      const r = chart.stage.getBoundingClientRect();
      const pos = (n) => s.getNodeDisplayData(n);
      let p;
      if (chart.graph.hasNode(id)) p = pos(id);
      else if (chart.graph.hasEdge(id)) {
        const a = pos(chart.graph.source(id));
        const b = pos(chart.graph.target(id));
        p = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
      } else return null;
      const v = s.framedGraphToViewport(p);
      return { x: r.left + v.x, y: r.top + v.y };
    },
    // drawn counts the pixels of the chart that are not background.
    async drawn() {
      const c = await chart.snapshot();
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] < 240 || d[i + 1] < 240 || d[i + 2] < 240) n++;
      return n;
    },
    // fps pans the camera every frame for ms milliseconds and counts the
    // frames drawn.
    fps(ms = 2000) {
      return new Promise((resolve) => {
        const camera = chart.sigma.getCamera();
        let frames = 0;
        const start = performance.now();
        const step = (now) => {
          const t = now - start;
          if (t >= ms) {
            resolve({ frames, seconds: t / 1000, fps: frames / (t / 1000) });
            return;
          }
          frames++;
          camera.setState({ x: 0.5 + 0.2 * Math.sin(t / 300), y: 0.5 + 0.2 * Math.cos(t / 300) });
          requestAnimationFrame(step);
        };
        requestAnimationFrame(step);
      });
    },
    firstDraw: () => chart.firstDraw,
    // frames counts the frames drawn in ms milliseconds, whatever moves
    // the chart meanwhile (the browser test drags it with the mouse).
    frames(ms = 2000) {
      return new Promise((resolve) => {
        let frames = 0;
        const start = performance.now();
        const step = (now) => {
          if (now - start >= ms) {
            resolve({ frames, seconds: (now - start) / 1000, fps: frames / ((now - start) / 1000) });
            return;
          }
          frames++;
          requestAnimationFrame(step);
        };
        requestAnimationFrame(step);
      });
    },
  };
}

// bench builds a graph of n nodes in clusters and m edges, most of them
// inside a cluster, as an analyst's large chart would be.
function bench(chart, n, m) {
  const rand = seeded(7);
  const clusters = Math.max(1, Math.round(Math.sqrt(n) / 2));
  const centres = Array.from({ length: clusters }, () => [rand() * 1000, rand() * 1000]);
  const kinds = ['PERSON', 'PERSON', 'PERSON', 'ORG', 'LOCATION'];
  const g = chart.graph;
  const of = new Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % clusters;
    of[i] = c;
    const k = kindOf(kinds[i % kinds.length]);
    const r = 40 * Math.sqrt(-2 * Math.log(rand() + 1e-9));
    const th = rand() * 2 * Math.PI;
    g.addNode(String(i), { label: `Entity ${i}`, kind: kinds[i % kinds.length], x: centres[c][0] + r * Math.cos(th), y: centres[c][1] + r * Math.sin(th),
      size: 2 + rand() * 6, color: k.color, kindColor: k.color, shape: k.shape });
  }
  const perCluster = Math.ceil(n / clusters);
  let added = 0;
  while (added < m) {
    const a = Math.floor(rand() * n);
    const b = rand() < 0.9 ? (of[a] + clusters * Math.floor(rand() * perCluster)) % n : Math.floor(rand() * n);
    if (a === b) continue;
    const key = edgeKey(a, b);
    if (g.hasEdge(key)) continue;
    const type = RELATIONS[Math.floor(rand() * RELATIONS.length)][0];
    const attrs = { types: [type], weight: 1, negated: rand() < 0.03, hedged: rand() < 0.1, forward: type !== 'co-occurrence', backward: false, dates: [], pieces: 1 };
    g.addEdgeWithKey(key, String(a), String(b), { ...attrs, ...look(attrs) });
    added++;
  }
}

async function benchView(spec, signal) {
  const [n, m] = spec.split(',').map((s) => Math.min(200_000, Math.max(1, parseInt(s, 10) || 0)));
  const chart = new Chart(signal, false);
  const t = performance.now();
  bench(chart, n || 10_000, m || 100_000);
  const built = performance.now() - t;
  const stage = el('div', { class: 'chart-stage bench' });
  chart.stage = stage;
  const result = el('p', { class: 'chart-summary', id: 'bench-result', 'aria-live': 'polite' }, 'Drawing…');
  const measure = el('button', { type: 'button', class: 'btn', id: 'bench-fps', disabled: true }, 'Measure frames per second while panning');
  const draw = () => {
    if (signal.aborted) return;
    if (!stage.isConnected) {
      requestAnimationFrame(draw);
      return;
    }
    const t0 = performance.now();
    // Edge picking costs a pass per frame: a chart this size is read by
    // its nodes.
    chart.sigma = newSigma(chart.graph, stage, { enableEdgeEvents: false, labelRenderedSizeThreshold: 12, ...LARGE });
    chart.construct = performance.now() - t0;
    signal.addEventListener('abort', () => chart.sigma.kill(), { once: true });
    // The constructor draws once, synchronously; the frame is on screen
    // at the next animation frame.
    requestAnimationFrame(() => {
      chart.firstDraw = performance.now() - t0;
      stage.dataset.firstDraw = chart.firstDraw.toFixed(0);
      result.textContent = `${count(chart.graph.order)} nodes and ${count(chart.graph.size)} edges, generated in ${count(Math.round(built))} ms; ` +
        `first draw in ${count(Math.round(chart.firstDraw))} ms (sigma's constructor ${count(Math.round(chart.construct))} ms).`;
      measure.disabled = false;
    });
    window.mosaicChart = hook(chart);
  };
  measure.addEventListener('click', async () => {
    measure.disabled = true;
    const r = await window.mosaicChart.fps(2000);
    result.textContent = `${count(chart.graph.order)} nodes and ${count(chart.graph.size)} edges; first draw in ${count(Math.round(chart.firstDraw))} ms; ` +
      `${r.fps.toFixed(1)} frames per second while panning (${r.frames} in ${r.seconds.toFixed(1)} s).`;
    stage.dataset.fps = r.fps.toFixed(1);
    measure.disabled = false;
  });
  requestAnimationFrame(draw);
  document.title = 'Chart benchmark · Mosaic';
  return {
    nodes: [el('div', { class: 'view-head' }, el('h1', { tabindex: '-1' }, 'Chart benchmark'),
      el('span', { class: 'for' }, 'A generated graph, to measure drawing')), result, measure, stage],
    status: 'Chart benchmark',
  };
}

// savedList lists the agency's saved charts, to open or delete.
async function savedList(signal) {
  const section = el('section', { class: 'chart-saved', 'aria-labelledby': 'chart-saved-title' },
    el('h2', { id: 'chart-saved-title' }, 'Saved charts'));
  let r;
  try {
    r = await api('charts', null, signal);
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    section.append(el('p', { class: 'hint' }, `Saved charts cannot be listed: ${err.message}`));
    return section;
  }
  if (!r.charts.length) {
    section.append(el('p', { class: 'empty' }, 'No chart saved by your agency yet: save one from its toolbar.'));
    return section;
  }
  const status = el('p', { class: 'hint', 'aria-live': 'polite' });
  const row = (c) => {
    const del = el('button', { type: 'button', class: 'btn', 'data-delete': c.name, 'aria-label': `Delete the chart ${c.name}` }, 'Delete');
    const tr = el('tr', { 'data-chart': c.name },
      el('td', {}, el('a', { href: `#/chart?saved=${encodeURIComponent(c.name)}`, class: 'chart-open' }, c.name)),
      el('td', {}, c.user || ''), el('td', {}, dateOf(c.saved) || ''),
      el('td', {}, el('a', { href: `#/chart?saved=${encodeURIComponent(c.name)}`, class: 'btn', 'aria-label': `Open the chart ${c.name}` }, 'Open'), ' ', mayDeal() ? del : null));
    // Deleting asks once more, in the button itself.
    del.addEventListener('click', async () => {
      if (del.dataset.confirm !== '1') {
        del.dataset.confirm = '1';
        del.textContent = 'Confirm delete';
        return;
      }
      try {
        await send(`charts/${encodeURIComponent(c.name)}`, undefined, signal, 'DELETE');
        tr.remove();
        status.textContent = `Deleted ${c.name}.`;
      } catch (err) {
        if (err.name !== 'AbortError') status.textContent = `Not deleted: ${err.message}`;
      }
    });
    return tr;
  };
  section.append(el('table', { class: 'chart-saved-list' },
    el('thead', {}, el('tr', {}, el('th', {}, 'Name'), el('th', {}, 'Saved by'), el('th', {}, 'When'), el('th', {}, 'Actions'))),
    el('tbody', {}, r.charts.map(row))), status);
  return section;
}

// savedView reopens a chart saved by name; its evidence is read again.
async function savedView(chart, head, name, signal) {
  const r = await api(`charts/${encodeURIComponent(name)}`, null, signal);
  await chart.agencies();
  chart.load(r.body);
  chart.saveName.value = r.name;
  head.append(el('span', { class: 'for' }, `${r.name}, saved${r.user ? ` by ${r.user}` : ''}${dateOf(r.saved) ? ` on ${dateOf(r.saved)}` : ''}`));
  chart.mount().then(() => {
    chart.refresh();
    chart.showSelection();
    chart.enrich(chart.graph.edges());
  });
  document.title = `Chart: ${r.name} · Mosaic`;
  return { nodes: [head, chart.root], status: `Saved chart ${r.name}: ${plural(chart.graph.order, 'entity', 'entities')}` };
}

// listView charts the entities listed and the links among them.
async function listView(chart, head, ids, signal, left) {
  const keys = await chart.among(ids);
  head.append(el('span', { class: 'for' }, `of ${plural(chart.graph.order, 'listed entity', 'listed entities')}`));
  if (left) chart.note = `The first ${count(MAX_LISTED)} listed are charted, ${count(left)} left out.`;
  chart.layout();
  chart.mount().then(() => {
    chart.refresh();
    chart.showSelection();
    chart.enrich(keys);
  });
  document.title = 'Chart of a list · Mosaic';
  return { nodes: [head, chart.root], status: `Link chart of ${plural(chart.graph.order, 'entity', 'entities')}` };
}

view(/^\/chart$/, async (match, p, signal) => {
  if (p.has('bench')) return benchView(p.get('bench'), signal);
  const id = (k) => (/^[0-9]{1,18}$/.test(p.get(k) || '') ? p.get(k) : '');
  const entity = id('entity');
  const from = id('from');
  const to = id('to');
  const all = [...new Set((p.get('entities') || '').split(',').map((s) => s.trim()).filter((s) => /^[0-9]{1,18}$/.test(s)))];
  const listed = all.slice(0, MAX_LISTED);
  const saved = p.get('saved') || '';
  const chart = new Chart(signal, p.get('co') === '1');
  const head = el('div', { class: 'view-head' }, el('h1', { tabindex: '-1' }, 'Link chart'));
  if (saved) return savedView(chart, head, saved, signal);
  if (listed.length) return listView(chart, head, listed, signal, all.length - listed.length);
  if (!entity && !from) {
    document.title = 'Link chart · Mosaic';
    return {
      nodes: [head, el('p', { class: 'hint intro' }, 'Open a chart from an entity’s profile (“Chart”) or from a path between two entities. ',
        'It draws who is linked to whom by the sentences the documents state, and grows as you add neighbours.'),
      await savedList(signal)],
      status: 'Link chart: start from an entity or open a saved chart',
    };
  }
  const start = entity || from;
  const { keys } = await chart.ego(start);
  // ?group=1: the lone-actor check's path from this person to a group or
  // a member of one.
  let target = to;
  let linked = null;
  if (entity && p.get('group') === '1') {
    const r = await api('lone-actors', null, signal);
    linked = r.lone_actors.find((la) => String(la.person) === String(entity)) || { linked: false };
    if (linked.linked) target = String(linked.target);
  }
  if (target) await chart.ego(target).catch(() => null);
  head.append(el('span', { class: 'for' }, target ? `from ${nameOf(start)} to ${nameOf(target)}` : `around ${nameOf(start)}`));
  chart.layout();
  chart.mount().then(async () => {
    chart.refresh();
    if (target) {
      chart.fromSel.value = String(start);
      chart.toSel.value = String(target);
      await chart.findPath(String(start), String(target));
    } else if (linked) {
      chart.showNode(String(start));
      chart.panel.prepend(el('p', { class: 'no-path' }, el('strong', {}, 'No link to a group: '),
        `no path of stated relations links ${nameOf(start)} to a known group or a member of one.`));
    } else chart.showNode(String(start));
    chart.enrich(chart.graph.edges().filter((e) => !keys.includes(e)).concat(keys));
  });
  document.title = `Chart: ${nameOf(start)} · Mosaic`;
  return {
    nodes: [head, chart.root],
    status: `Link chart around ${nameOf(start)}: ${plural(chart.graph.order, 'entity', 'entities')}`,
  };
});

