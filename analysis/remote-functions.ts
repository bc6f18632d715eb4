import type ts from "typescript";
import typescript from "./typescript.js";
import { skipOuterExpressions } from "./syntax.js";
import type { FunctionNode } from "./functions.js";

// Bound once: the typescript module exposes its API as getters, which cost a lookup and a call on every use.
const { SymbolFlags, isArrowFunction, isFunctionDeclaration, isFunctionExpression, isPropertyAccessExpression, isVariableDeclaration } = typescript;

/**
 * With a type checker: the function a callee denotes when it is declared in another file
 * of the program (an import, a namespace member), with a body we can analyse. Functions
 * from declaration files and node_modules are libraries: their I/O is judged at the call.
 */
export function remoteFunctionOf(callee: ts.Expression, checker: ts.TypeChecker, currentFile: ts.SourceFile): FunctionNode | undefined {
  const node = skipOuterExpressions(callee);
  const location = isPropertyAccessExpression(node) ? node.name : node;
  let symbol = checker.getSymbolAtLocation(location);
  if (symbol && symbol.flags & SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const declaration = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
  if (!declaration) return undefined;
  const file = declaration.getSourceFile();
  if (file === currentFile || file.isDeclarationFile || /[\\/]node_modules[\\/]/.test(file.fileName)) return undefined;
  if (isFunctionDeclaration(declaration) && declaration.body) return declaration;
  if (isVariableDeclaration(declaration) && declaration.initializer) {
    const initializer = skipOuterExpressions(declaration.initializer);
    if (isArrowFunction(initializer) || isFunctionExpression(initializer)) return initializer;
  }
  return undefined;
}
