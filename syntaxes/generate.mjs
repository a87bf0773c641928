#!/usr/bin/env node
// Writes syntaxes/gherkin.tmLanguage.json, the TextMate grammar of Gherkin
// (scope source.gherkin), from Cucumber's keyword list
// server/data/gherkin-languages.json, so that every language the server
// parses is highlighted with the same keywords.
//
//   node syntaxes/generate.mjs          write the grammar
//   node syntaxes/generate.mjs --check  exit 1 when the committed grammar is
//                                       not what this script makes
//
// No dependencies: plain Node (18 or later).
//
// How the grammar reads a document, line by line, like Cucumber's token
// matcher: a `# language: xx` header switches to that language's keywords
// for the rest of the document (English until then); a keyword line is a
// keyword followed by a colon (Feature:, Rule:, Background:, Scenario:,
// Scenario Outline:, Examples: and their translations) and then a name; a
// step line starts with a step keyword (Given, When, Then, And, But, * and
// their translations; most end with a space, some, as in Chinese or
// Japanese, do not); tags, comments, table rows and doc strings look the
// same in every language.
//
// Scopes (listed in README.md, section "Highlighting"):
//   meta.directive.language.gherkin          the `# language: xx` line
//     punctuation.definition.directive.gherkin   its `#`
//     keyword.other.language.gherkin             `language`
//     punctuation.separator.key-value.gherkin    `:`
//     constant.other.language-code.gherkin       `xx`
//   keyword.control.<kind>.gherkin           a keyword with its colon; <kind> is
//                                            feature, rule, background, scenario,
//                                            scenario.outline or examples
//   entity.name.section.<kind>.gherkin       the name after it
//   meta.step.gherkin                        a step line
//     keyword.other.step.gherkin             its keyword (without the space)
//   variable.parameter.placeholder.gherkin   `<name>` in names, steps, cells, doc strings
//   entity.name.tag.gherkin                  `@tag`
//     punctuation.definition.tag.gherkin     its `@`
//   comment.line.number-sign.gherkin         `# ...`
//     punctuation.definition.comment.gherkin its `#`
//   meta.table.row.gherkin                   a table row
//     punctuation.separator.table.gherkin    `|`
//     string.unquoted.cell.gherkin           a cell, without surrounding blanks
//     constant.character.escape.gherkin      `\|`, `\\`, `\n` in a cell
//   string.quoted.docstring.gherkin          a doc string, delimiters included
//     punctuation.definition.string.begin.gherkin / .end.gherkin   `"""` or ```
//     entity.name.type.media-type.gherkin    the media type after the opening delimiter
//     constant.character.escape.gherkin      an escaped delimiter inside

import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const languagesPath = join(root, "server/data/gherkin-languages.json");
const grammarPath = join(here, "gherkin.tmLanguage.json");

// Keyword lines: the key in gherkin-languages.json and the scope segment.
const BLOCKS = [
  ["feature", "feature"],
  ["rule", "rule"],
  ["background", "background"],
  ["scenarioOutline", "scenario.outline"],
  ["scenario", "scenario"],
  ["examples", "examples"],
];
const STEPS = ["given", "when", "then", "and", "but"];

// Where a line starts: at its first character, or, inside a markdown list
// item or block quote, where the markdown grammar's prefix (indentation, `>`)
// ends.
const LINE = "(?:^|\\G)";

/** `text` as an Oniguruma regular expression matching it literally. */
function literal(text) {
  return text.replace(/[.*+?^${}()|[\]\\\/\-#]/g, "\\$&");
}

/** Longest first, so that no keyword is cut short by one it starts with. */
function longestFirst(words) {
  return [...new Set(words)].sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
}

/** Placeholder patterns used inside names, step text and cells. */
const withPlaceholders = [{ include: "#placeholder" }];

function blockRule(words, kind) {
  const alternatives = longestFirst(words).map((w) => literal(`${w}:`));
  return {
    match: `${LINE}\\s*(${alternatives.join("|")})\\s*(.*?)\\s*$`,
    captures: {
      1: { name: `keyword.control.${kind}.gherkin` },
      2: { name: `entity.name.section.${kind}.gherkin`, patterns: withPlaceholders },
    },
  };
}

function stepRule(words) {
  // A keyword ending with a space matches only when that space follows; the
  // space itself is left to the step text, so the keyword scope covers the
  // word alone.
  const alternatives = longestFirst(words).map((w) =>
    w.endsWith(" ") ? `${literal(w.trimEnd())}(?= )` : literal(w),
  );
  return {
    name: "meta.step.gherkin",
    match: `${LINE}\\s*(${alternatives.join("|")})(.*)$`,
    captures: {
      1: { name: "keyword.other.step.gherkin" },
      2: { patterns: withPlaceholders },
    },
  };
}

function languageRules(language) {
  const patterns = [{ include: "#lines" }];
  for (const [key, kind] of BLOCKS) {
    patterns.push(blockRule(language[key], kind));
  }
  patterns.push(stepRule(STEPS.flatMap((key) => language[key])));
  return { patterns };
}

const HEADER = `${LINE}\\s*(#)\\s*(language)\\s*(:)\\s*`;
const headerCaptures = {
  0: { name: "meta.directive.language.gherkin" },
  1: { name: "punctuation.definition.directive.gherkin" },
  2: { name: "keyword.other.language.gherkin" },
  3: { name: "punctuation.separator.key-value.gherkin" },
  4: { name: "constant.other.language-code.gherkin" },
};

/** What every language shares: lines told apart by their first character. */
const shared = {
  lines: {
    patterns: [
      { include: "#doc-string" },
      { include: "#table-row" },
      { include: "#tags" },
      { include: "#language-header" },
      { include: "#comment" },
    ],
  },
  "language-header": {
    comment: "A header naming a language the grammar does not switch to here.",
    match: `${HEADER}([a-zA-Z\\-_]+)\\s*$`,
    captures: headerCaptures,
  },
  comment: {
    name: "comment.line.number-sign.gherkin",
    match: `${LINE}\\s*(#).*$`,
    captures: { 1: { name: "punctuation.definition.comment.gherkin" } },
  },
  tags: {
    begin: `${LINE}\\s*(?=@)`,
    end: "$",
    patterns: [
      {
        name: "entity.name.tag.gherkin",
        match: "(@)[^\\s@]+",
        captures: { 1: { name: "punctuation.definition.tag.gherkin" } },
      },
      {
        name: "comment.line.number-sign.gherkin",
        match: "(?<=\\s)(#).*$",
        captures: { 1: { name: "punctuation.definition.comment.gherkin" } },
      },
    ],
  },
  "table-row": {
    name: "meta.table.row.gherkin",
    begin: `${LINE}\\s*(?=\\|)`,
    end: "$",
    patterns: [
      { name: "punctuation.separator.table.gherkin", match: "\\|" },
      {
        name: "string.unquoted.cell.gherkin",
        match: "(?:\\\\.|[^\\\\|\\s])(?:\\s*(?:\\\\.|[^\\\\|\\s]))*",
        captures: {
          0: {
            patterns: [
              { name: "constant.character.escape.gherkin", match: "\\\\[\\\\|n]" },
              { include: "#placeholder" },
            ],
          },
        },
      },
    ],
  },
  "doc-string": {
    patterns: [
      docString('"""', '\\\\"\\\\"\\\\"'),
      docString("```", "\\\\`\\\\`\\\\`"),
    ],
  },
  placeholder: {
    name: "variable.parameter.placeholder.gherkin",
    match: "<[^<>\\s](?:[^<>]*[^<>\\s])?>",
  },
};

function docString(delimiter, escaped) {
  const open = literal(delimiter);
  return {
    name: "string.quoted.docstring.gherkin",
    begin: `${LINE}\\s*(${open})\\s*(\\S.*?)?\\s*$`,
    beginCaptures: {
      1: { name: "punctuation.definition.string.begin.gherkin" },
      2: { name: "entity.name.type.media-type.gherkin" },
    },
    end: `${LINE}\\s*(${open})`,
    endCaptures: { 1: { name: "punctuation.definition.string.end.gherkin" } },
    patterns: [
      { name: "constant.character.escape.gherkin", match: escaped },
      { include: "#placeholder" },
    ],
  };
}

function grammar(languages) {
  const codes = Object.keys(languages).sort();
  const patterns = [];
  const repository = { ...shared };
  for (const code of codes) {
    // Once the header names a language, its keywords hold to the end.
    patterns.push({
      begin: `${HEADER}(${literal(code)})\\s*$`,
      beginCaptures: headerCaptures,
      end: "(?!)",
      patterns: [{ include: `#lang-${code}` }],
    });
    repository[`lang-${code}`] = languageRules(languages[code]);
  }
  patterns.push({ include: "#lang-en" });
  return {
    comment:
      "Generated by syntaxes/generate.mjs from server/data/gherkin-languages.json: edit those, not this file.",
    name: "Gherkin",
    scopeName: "source.gherkin",
    fileTypes: ["feature"],
    patterns,
    repository,
  };
}

function render() {
  const languages = JSON.parse(readFileSync(languagesPath, "utf8"));
  if (!languages.en) {
    throw new Error(`${relative(root, languagesPath)} has no "en" language`);
  }
  return `${JSON.stringify(grammar(languages), null, 2)}\n`;
}

const shown = relative(root, grammarPath);
const text = render();
if (process.argv.includes("--check")) {
  let committed = null;
  try {
    committed = readFileSync(grammarPath, "utf8");
  } catch {
    // reported below
  }
  if (committed !== text) {
    console.error(
      `${shown} is ${committed === null ? "missing" : "not what syntaxes/generate.mjs makes"} ` +
        `from server/data/gherkin-languages.json: run \`node syntaxes/generate.mjs\` and commit the result.`,
    );
    process.exit(1);
  }
  console.log(`${shown} is up to date`);
} else {
  writeFileSync(grammarPath, text);
  console.log(`wrote ${shown}`);
}
