// Copies the repository's grammars (../../syntaxes/*.json) into the
// extension's syntaxes/ folder, which package.json's grammars point at.
import { copyFileSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(dirname(fileURLToPath(import.meta.url)));
const source = join(here, "..", "..", "syntaxes");
const target = join(here, "syntaxes");
const wanted = ["gherkin.tmLanguage.json", "gherkin-markdown-injection.tmLanguage.json"];

mkdirSync(target, { recursive: true });
const found = existsSync(source) ? readdirSync(source).filter((f) => f.endsWith(".json")) : [];
for (const file of found) {
  copyFileSync(join(source, file), join(target, file));
}
const missing = wanted.filter((f) => !found.includes(f));
if (missing.length > 0) {
  console.warn(`syntaxes: not in ${source} yet, the package has no highlighting for them: ${missing.join(", ")}`);
}
