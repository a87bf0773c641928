// Every keyword of every language in server/data/gherkin-languages.json gets
// its scope from syntaxes/gherkin.tmLanguage.json once the document's
// `# language:` header names that language: each keyword line (with its
// colon) scopes the keyword and the name, each step keyword scopes exactly the
// keyword. Prints the wrong keywords (the first few) and exits 1 when there is one.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const textmate = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

const root = join(dirname(fileURLToPath(import.meta.url)), "../../..");
const languages = JSON.parse(readFileSync(join(root, "server/data/gherkin-languages.json"), "utf8"));
const grammarPath = join(root, "syntaxes/gherkin.tmLanguage.json");

const BLOCKS = {
  feature: "feature",
  rule: "rule",
  background: "background",
  scenario: "scenario",
  scenarioOutline: "scenario.outline",
  examples: "examples",
};
const STEPS = ["given", "when", "then", "and", "but"];
const NAME = "A name";

await oniguruma.loadWASM(readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm")).buffer);
const registry = new textmate.Registry({
  onigLib: Promise.resolve({
    createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
    createOnigString: (text) => new oniguruma.OnigString(text),
  }),
  loadGrammar: async (scopeName) =>
    scopeName === "source.gherkin"
      ? textmate.parseRawGrammar(readFileSync(grammarPath, "utf8"), grammarPath)
      : null,
});
const grammar = await registry.loadGrammar("source.gherkin");

/** The scopes of the characters [from, to) of `line`, one list per token. */
function scopesOf(tokens, from, to) {
  return tokens.filter((t) => t.startIndex < to && t.endIndex > from).map((t) => t.scopes);
}

const problems = [];
let checked = 0;
for (const code of Object.keys(languages).sort()) {
  const language = languages[code];
  // [line, keyword length, scope the keyword must have, scope the rest must have or not]
  const lines = [[`# language: ${code}`, 0, null, null]];
  for (const [key, kind] of Object.entries(BLOCKS)) {
    for (const keyword of language[key]) {
      lines.push([`  ${keyword}: ${NAME}`, keyword.length + 1, `keyword.control.${kind}.gherkin`, `entity.name.section.${kind}.gherkin`]);
    }
  }
  for (const key of STEPS) {
    for (const keyword of language[key]) {
      lines.push([`    ${keyword}x`, keyword.trimEnd().length, "keyword.other.step.gherkin", null]);
    }
  }
  let stack = textmate.INITIAL;
  for (const [line, length, keywordScope, nameScope] of lines) {
    const { tokens, ruleStack } = grammar.tokenizeLine(line, stack);
    stack = ruleStack;
    if (keywordScope === null) continue;
    checked += 1;
    const start = line.length - line.trimStart().length;
    const keyword = scopesOf(tokens, start, start + length);
    const after = scopesOf(tokens, start + length, line.length);
    const name = scopesOf(tokens, line.length - NAME.length, line.length);
    const where = `${code}: ${JSON.stringify(line.trim())}`;
    if (keyword.length === 0 || !keyword.every((s) => s.includes(keywordScope))) {
      problems.push(`${where}: the keyword is not ${keywordScope} (${JSON.stringify(keyword)})`);
    } else if (after.some((s) => s.includes(keywordScope))) {
      problems.push(`${where}: ${keywordScope} runs past the keyword`);
    } else if (nameScope && !name.every((s) => s.includes(nameScope))) {
      problems.push(`${where}: the name is not ${nameScope} (${JSON.stringify(name)})`);
    }
  }
}

const SHOWN = 20;
for (const problem of problems.slice(0, SHOWN)) console.log(problem);
if (problems.length > SHOWN) console.log(`... and ${problems.length - SHOWN} more`);
console.log(
  `every language: ${Object.keys(languages).length} languages, ${checked} keywords, ${problems.length} wrong`,
);
process.exit(problems.length === 0 ? 0 : 1);
