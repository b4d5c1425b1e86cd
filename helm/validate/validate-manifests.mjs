// Validates rendered Kubernetes manifests (multi-document YAML files named on the command line) offline,
// against the Kubernetes API's own schemas as the kubernetes-models packages carry them, twice over:
//  - each object's validate(), compiled from the OpenAPI schemas: types, required members, enums, formats;
//  - the same objects as TypeScript literals of the packages' generated interfaces, type-checked by tsc,
//    whose excess-property check refuses a member the schema does not have (the validators allow any).
// Prints one line per problem and exits 1 if there is any; the kind of an object it has no schema for
// is a problem too.
import { readFileSync, mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import ts from "typescript";

const here = dirname(fileURLToPath(import.meta.url));

/** The module of an object's model: core and built-in groups in kubernetes-models, CRDs in their own package. */
function modelModule(apiVersion, kind) {
  const crdPackages = { "monitoring.coreos.com": "@kubernetes-models/prometheus-operator" };
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  if (crdPackages[group]) return `${crdPackages[group]}/${group}/${version}/${kind}`;
  return group ? `kubernetes-models/${group}/${version}/${kind}` : `kubernetes-models/${version}/${kind}`;
}

const problems = [];
const objects = [];
for (const file of process.argv.slice(2)) {
  for (const document of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (document.errors.length > 0) {
      problems.push(`${file}: not YAML: ${document.errors[0].message}`);
      continue;
    }
    const object = document.toJS();
    if (object == null) continue;
    const where = `${file}: ${object.kind}/${object.metadata?.name}`;
    if (typeof object.apiVersion !== "string" || typeof object.kind !== "string") {
      problems.push(`${where}: no apiVersion or kind`);
      continue;
    }
    const module = modelModule(object.apiVersion, object.kind);
    let model;
    try {
      model = (await import(module))[object.kind];
    } catch {
      problems.push(`${where}: no schema for ${object.apiVersion} ${object.kind}`);
      continue;
    }
    try {
      new model(object).validate();
    } catch (error) {
      problems.push(`${where}: ${error.message}`);
    }
    objects.push({ where, module, kind: object.kind, object });
  }
}

// One TypeScript file per object, its JSON pretty-printed so a diagnostic's line points at the member;
// beside node_modules, where their imports resolve.
const work = mkdtempSync(join(here, "work-"));
const sources = new Map();
objects.forEach(({ where, module, kind, object }, index) => {
  const path = join(work, `object${index}.ts`);
  writeFileSync(path, `import type { I${kind} } from "${module}";\n`
    + `export const object: I${kind} = ${JSON.stringify(object, null, 2)};\n`);
  sources.set(path, where);
});
const program = ts.createProgram([...sources.keys()], {
  noEmit: true, strict: true, skipLibCheck: true, types: [],
  module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
});
for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, " ");
  const file = diagnostic.file?.fileName;
  const line = file ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line + 1 : 0;
  const text = file ? diagnostic.file.text.split("\n")[line - 1].trim() : "";
  problems.push(`${sources.get(file) ?? file}: ${message} (at ${text})`);
}
rmSync(work, { recursive: true, force: true });

for (const problem of problems) console.log(problem);
console.log(`${objects.length} objects checked, ${problems.length} problems`);
process.exit(problems.length === 0 ? 0 : 1);
