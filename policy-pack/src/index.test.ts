import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// Constructing a PolicyPack starts its gRPC server, so the entry file is read, never imported.
const srcDir = fileURLToPath(new URL('.', import.meta.url));
const entryPath = join(srcDir, 'index.ts');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [file] : [];
  });
}

function constructsPolicyPack(node: ts.Node): boolean {
  if (ts.isNewExpression(node)) {
    const callee = node.expression;
    const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : callee.getText();
    if (name === 'PolicyPack') return true;
  }
  return ts.forEachChild(node, constructsPolicyPack) ?? false;
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
}

describe('the entry file', () => {
  const entry = parse(entryPath);

  it('only constructs the pack: imports, declarations, then one `new PolicyPack(...)` statement', () => {
    const kinds = entry.statements.map((s) => ts.SyntaxKind[s.kind]);
    const body = entry.statements.filter((s) => !ts.isImportDeclaration(s));
    expect(body.filter((s) => !ts.isVariableStatement(s))).toHaveLength(1);
    const [construct] = body.filter(ts.isExpressionStatement);
    expect(construct && ts.isNewExpression(construct.expression), kinds.join(', ')).toBe(true);
    expect(construct && constructsPolicyPack(construct)).toBe(true);
    expect(body.filter(ts.isVariableStatement).some(constructsPolicyPack)).toBe(false);
  });

  it('exports nothing', () => {
    const exported = entry.statements.filter(
      (s) =>
        ts.isExportDeclaration(s) ||
        ts.isExportAssignment(s) ||
        (ts.canHaveModifiers(s) &&
          ts.getModifiers(s)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)),
    );
    expect(exported).toEqual([]);
  });

  it('is the only module that constructs a PolicyPack, so importing any other starts no server', () => {
    const constructing = sourceFiles(srcDir)
      .filter((file) => constructsPolicyPack(parse(file)))
      .map((file) => relative(srcDir, file));
    expect(constructing).toEqual(['index.ts']);
  });
});
