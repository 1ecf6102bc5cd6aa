// check.cjs FILE reads a FollowTheMoney JSON-lines file with
// FollowTheMoney's own model and prints, as JSON, how many entities of
// each schema it holds and every way a line breaks the model: a schema
// the model lacks or holds abstract, a property the schema lacks, a
// required property missing, a value that is not a string, a date or
// country the type refuses, an entity property naming an id the file does
// not hold or an entity of a schema outside the property's range.
"use strict";
const fs = require("fs");
const ftm = require("@alephdata/followthemoney");

const model = new ftm.Model(ftm.defaultModel);
const lines = fs.readFileSync(process.argv[2], "utf8").split("\n").filter((l) => l.trim() !== "");
const errors = [];
const schemata = {};
const byID = new Map();
const entities = [];

lines.forEach((line, i) => {
  const at = `line ${i + 1}`;
  let raw;
  try {
    raw = JSON.parse(line);
  } catch (e) {
    errors.push(`${at}: ${e.message}`);
    return;
  }
  let schema;
  try {
    schema = model.getSchema(raw.schema);
  } catch (e) {
    errors.push(`${at}: ${e.message}`);
    return;
  }
  if (schema.abstract) errors.push(`${at}: schema ${schema.name} is abstract`);
  schemata[schema.name] = (schemata[schema.name] || 0) + 1;
  for (const [name, values] of Object.entries(raw.properties || {})) {
    const prop = schema.hasProperty(name) ? schema.getProperty(name) : undefined;
    if (!prop) {
      errors.push(`${at}: ${schema.name} has no property ${name}`);
      continue;
    }
    if (!Array.isArray(values) || values.some((v) => typeof v !== "string")) {
      errors.push(`${at}: ${schema.name}.${name} is not a list of strings`);
      continue;
    }
    for (const v of values) {
      if (prop.type.name === "date" && !/^\d{4}(-\d{2}(-\d{2})?)?$/.test(v)) errors.push(`${at}: ${name} date ${v}`);
      if (prop.type.name === "country" && !/^[a-z]{2}(-[a-z]+)?$/.test(v)) errors.push(`${at}: ${name} country ${v}`);
    }
  }
  for (const name of schema.required || []) {
    if (!(raw.properties || {})[name]) errors.push(`${at}: ${schema.name} without its required ${name}`);
  }
  let entity;
  try {
    entity = model.getEntity(raw);
  } catch (e) {
    errors.push(`${at}: the model refuses it: ${e.message}`);
    return;
  }
  byID.set(entity.id, entity);
  entities.push([at, entity]);
});

for (const [at, entity] of entities) {
  for (const prop of entity.getProperties()) {
    if (prop.type.name !== "entity") continue;
    for (const v of entity.getProperty(prop)) {
      const id = typeof v === "string" ? v : v.id;
      const target = byID.get(id);
      if (!target) {
        errors.push(`${at}: ${entity.schema.name}.${prop.name} names ${id}, which the file lacks`);
      } else if (prop.hasRange && !target.schema.isA(prop.getRange())) {
        errors.push(`${at}: ${entity.schema.name}.${prop.name} names a ${target.schema.name}, not a ${prop.getRange().name}`);
      }
    }
  }
}

process.stdout.write(JSON.stringify({ schemata, errors }));
