// The map (#/map): the attacks the shared filters select, at the places
// their sources give, on country outlines drawn from world-atlas's
// Natural Earth TopoJSON, bundled into the page. There is no tile layer:
// the map asks nothing of any server, so it works with no network and
// leaks no place an analyst looks at.

import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { feature } from 'topojson-client';
import countries110m from 'world-atlas/countries-110m.json';
import { el, pageHash, plural } from './app.js';
import { view } from './views.js';
import { FILTERS, filtersOf, allAttacks, filterForm, attackHash, attackTitle, placeOf, known } from './incidents.js';
import { timelineSection } from './timeline.js';
import './map.css';

let countries = null;

// countryLayer is the world's outlines as a GeoJSON layer (made once).
function countryLayer() {
  countries ||= feature(countries110m, countries110m.objects.countries);
  return L.geoJSON(countries, {
    interactive: false,
    style: { className: 'country', color: '#9aa5b1', weight: 0.6, fillColor: '#eef0e6', fillOpacity: 1 },
  });
}

// places groups the attacks with coordinates by their point.
function places(attacks) {
  const byPoint = new Map();
  for (const a of attacks) {
    if (!known(a.latitude) || !known(a.longitude)) continue;
    const key = `${a.latitude.toFixed(4)},${a.longitude.toFixed(4)}`;
    if (!byPoint.has(key)) byPoint.set(key, { lat: a.latitude, lon: a.longitude, attacks: [] });
    byPoint.get(key).attacks.push(a);
  }
  return [...byPoint.values()];
}

// whenShown calls f once node is in the page (route() inserts a view's
// nodes after its render returns), unless the view has gone.
function whenShown(node, signal, f) {
  const tick = () => {
    if (signal.aborted) return;
    if (node.isConnected) f();
    else requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

function drawMap(box, pts, filters, at, signal) {
  // Leaflet focuses the map on a press so that its keys work, and the
  // browser then scrolls the page (main, not the window Leaflet restores)
  // to show the whole map: the marker pressed moves away before the
  // release and the click is lost. Focusing first, without scrolling,
  // leaves Leaflet nothing to do.
  box.addEventListener('pointerdown', () => box.focus({ preventScroll: true }), { capture: true });
  box.addEventListener('mousedown', () => box.focus({ preventScroll: true }), { capture: true });
  const map = L.map(box, {
    worldCopyJump: false, minZoom: 1, maxZoom: 12, zoomSnap: 0.5,
    maxBounds: [[-85, -200], [85, 200]], keyboard: true,
  });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution('Leaflet · borders: Natural Earth, via world-atlas');
  countryLayer().addTo(map);
  const markers = L.featureGroup();
  let centred = false;
  for (const p of pts) {
    const n = p.attacks.length;
    const m = L.circleMarker([p.lat, p.lon], {
      radius: 6 + 2.5 * Math.sqrt(n - 1), className: 'attack-marker', color: '#8c1d18', weight: 1.5,
      fillColor: '#d64541', fillOpacity: 0.8,
    });
    // Leaflet writes string content as HTML: a place's name comes from
    // documents, so it is given as an element, its words as text.
    m.bindTooltip(el('span', {}, `${placeOf(p.attacks[0]) || 'unnamed place'}: ${plural(n, 'attack', 'attacks')}`));
    if (n === 1) {
      m.on('click', () => { location.hash = attackHash(p.attacks[0].id, filters); });
    } else {
      m.bindPopup(el('div', { class: 'map-popup' },
        el('strong', {}, placeOf(p.attacks[0]) || 'unnamed place'),
        el('ul', {}, p.attacks.map((a) => el('li', {}, el('a', { href: attackHash(a.id, filters) }, attackTitle(a)))))));
    }
    m.addTo(markers);
    if (at && p.attacks.some((a) => String(a.id) === at || (a.members || []).map(String).includes(at))) {
      map.setView([p.lat, p.lon], 6);
      centred = true;
      m.openTooltip();
    }
  }
  markers.addTo(map);
  if (!centred) {
    if (pts.length) map.fitBounds(markers.getBounds().pad(0.3), { maxZoom: 6 });
    else map.fitWorld();
  }
  box.dataset.markers = String(pts.length);
  signal.addEventListener('abort', () => map.remove());
}

async function mapView(match, params, signal) {
  const filters = filtersOf(params);
  const at = /^[0-9]+$/.test(params.get('at') || '') ? params.get('at') : '';
  const { attacks, total, more } = await allAttacks(filters, signal);
  const pts = places(attacks);
  const placed = pts.reduce((n, p) => n + p.attacks.length, 0);
  const box = el('div', { class: 'map', id: 'map', role: 'region', 'aria-label': 'Map of the attacks' });
  whenShown(box, signal, () => drawMap(box, pts, filters, at, signal));
  document.title = 'Map · Mosaic';
  const keep = Object.fromEntries(FILTERS.filter((k) => filters[k]).map((k) => [k, filters[k]]));
  return {
    nodes: [
      el('div', { class: 'view-head' },
        el('h1', { tabindex: '-1' }, 'Map'),
        el('span', { class: 'for' },
          el('span', { class: 'placed' }, `${plural(placed, 'attack', 'attacks')} placed of ${plural(total, 'attack', 'attacks')}`),
          more ? ' (the first 5,000 read)' : '', ' · ',
          el('a', { href: pageHash('/incidents', filters) }, 'as a list'))),
      filterForm('/map', filters, {}),
      timelineSection('/map', filters, keep, signal),
      box,
      pts.length ? el('details', { class: 'block map-places' },
        el('summary', {}, plural(pts.length, 'place', 'places')),
        el('ul', {}, pts.map((p) => el('li', {}, el('strong', {}, placeOf(p.attacks[0]) || 'unnamed place'), ': ',
          p.attacks.map((a, i) => [i ? ', ' : '', el('a', { href: attackHash(a.id, filters) }, a.date || `attack ${a.id}`)])))))
        : el('p', { class: 'empty' }, 'No attack the filters select has coordinates.'),
    ],
    status: `Map: ${plural(placed, 'attack', 'attacks')} placed of ${plural(total, 'attack', 'attacks')}`,
  };
}

view(/^\/map$/, mapView);
