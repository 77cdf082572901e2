import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The dashboard JSON type-checked against @grafana/schema's Dashboard as an object literal
// (`satisfies`), so that TypeScript's excess-property check names every key the schema does
// not know, and every value of the wrong type; Grafana itself is not needed.

const root = fileURLToPath(new URL('../', import.meta.url));
const dashboardFile = `${root}grafana/dashboards/festival-resolver.json`;

/** The diagnostics of `const dashboard = <json> satisfies Dashboard`, one line each. */
function typeErrors(json: string): string[] {
  // trimEnd: a line break before `satisfies` ends the statement (ASI), and JSON files end with one.
  const fileName = `${root}test/__dashboard-check.ts`;
  const text = `import type { Dashboard } from '@grafana/schema';\nexport const dashboard = ${json.trimEnd()} satisfies Dashboard;\n`;
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => (name === fileName ? text : readFile(name));
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language) =>
    name === fileName ? ts.createSourceFile(name, text, language) : getSourceFile(name, language);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === fileName || fileExists(name);
  const program = ts.createProgram([fileName], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n').split('\n')[0] ?? '');
}

describe('Grafana dashboard against @grafana/schema', () => {
  it('when the dashboard is checked as a Dashboard literal, then TypeScript reports nothing', () => {
    const json = readFileSync(dashboardFile, 'utf8');
    expect(typeErrors(json)).toEqual([]);
  });

  it('when the dashboard carries an unknown key or a wrong type, then the check names it', () => {
    const dashboard = JSON.parse(readFileSync(dashboardFile, 'utf8')) as Record<string, unknown>;
    const unknownKey = typeErrors(JSON.stringify({ ...dashboard, refreshh: '30s' }));
    expect(unknownKey.join('\n')).toMatch(
      /known properties, and '"refreshh"' does not exist in type 'Dashboard'/,
    );
    const panels = dashboard.panels as Record<string, unknown>[];
    const unknownPanelKey = typeErrors(
      JSON.stringify({ ...dashboard, panels: [{ ...panels[0], titel: 'x' }, ...panels.slice(1)] }),
    );
    expect(unknownPanelKey.join('\n')).toMatch(/'"titel"' does not exist/);
    const wrongType = typeErrors(JSON.stringify({ ...dashboard, editable: 'yes' }));
    expect(wrongType.join('\n')).toMatch(/Type 'string' is not assignable to type 'boolean/);
  });
});
