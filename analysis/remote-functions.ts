import ts from "typescript";
import { skipOuterExpressions } from "./syntax.js";
import type { FunctionNode } from "./functions.js";

/**
 * With a type checker: the function a callee denotes when it is declared in another file
 * of the program (an import, a namespace member), with a body we can analyse. Functions
 * from declaration files and node_modules are libraries: their I/O is judged at the call.
 */
export function remoteFunctionOf(callee: ts.Expression, checker: ts.TypeChecker, currentFile: ts.SourceFile): FunctionNode | undefined {
  const node = skipOuterExpressions(callee);
  const location = ts.isPropertyAccessExpression(node) ? node.name : node;
  let symbol = checker.getSymbolAtLocation(location);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const declaration = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
  if (!declaration) return undefined;
  const file = declaration.getSourceFile();
  if (file === currentFile || file.isDeclarationFile || /[\\/]node_modules[\\/]/.test(file.fileName)) return undefined;
  if (ts.isFunctionDeclaration(declaration) && declaration.body) return declaration;
  if (ts.isVariableDeclaration(declaration) && declaration.initializer) {
    const initializer = skipOuterExpressions(declaration.initializer);
    if (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer)) return initializer;
  }
  return undefined;
}
