// The checks `npm run fuzz:corpus` and test/reliability/corpus.test.ts run on one file of real
// code nobody here wrote: the shared analysis, the ESLint plugin's `recommended` config and the
// transformer must not throw, a file without durable handlers must come out of the transformer
// byte-identical, and the transformer's output must have no more syntax errors than its input.
//
// Almost no file in node_modules names withDurableExecution or DurableContext, so as they are,
// the analysis and the transformer return at their fast filters. Each file is therefore also
// checked as two variants that make its code orchestration code:
//  - "wrapped": a durable handler (imported from "replayable") is appended that wraps every
//    top-level function in withDurableExecution and calls each of them with the context, so the
//    analysis walks them and the same-file helpers they call;
//  - "annotated": every function of the file gets a first parameter typed DurableContext, so
//    every function body is a handler's body and every hazard in it is rewritten or reported.
// For the variants, the transformer's output and each ESLint suggestion applied to the variant
// must have no more syntax errors than the variant itself.
//
// The implementations are passed in (`{ ts, analysis, transformer, plugin, Linter }`) so the
// script can check the built dist/ and the test the TypeScript sources.
import path from "node:path";

/** Names and prefixes the variant adds; chosen so they cannot collide with the file's own. */
const PREFIX = "__replayableFuzz";

/** A ts.ScriptKind for a file name, as the transformer chooses it. */
function scriptKindOf(ts, fileName) {
  if (/\.[cm]?tsx$/.test(fileName)) return ts.ScriptKind.TSX;
  if (/\.[cm]?ts$/.test(fileName)) return ts.ScriptKind.TS;
  if (/\.jsx$/.test(fileName)) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}

export function parse(ts, text, fileName) {
  return ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKindOf(ts, fileName));
}

/**
 * Syntax errors of a text: what TypeScript's parser reports, plus each `await` where ECMAScript
 * does not allow one (outside an async function, in a parameter initializer, a class field or a
 * static block). TypeScript parses those without a parse diagnostic and reports them only from
 * its checker (TS1308, TS2524), and they are the syntax error a rewrite into
 * `await context.step(...)` could introduce.
 */
export function syntaxErrors(ts, text, fileName) {
  const sourceFile = parse(ts, text, fileName);
  const misplaced = [];
  const visit = (node) => {
    if ((ts.isAwaitExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier)) && !awaitAllowed(ts, node)) misplaced.push(node.getStart(sourceFile));
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  const diagnostics = sourceFile.parseDiagnostics.map((d) => ({ start: d.start ?? 0, message: ts.flattenDiagnosticMessageText(d.messageText, " ") }));
  for (const start of misplaced) diagnostics.push({ start, message: "'await' where it is not allowed" });
  return diagnostics;
}

function awaitAllowed(ts, node) {
  for (let child = node, current = node.parent; current; child = current, current = current.parent) {
    if (ts.isParameter(current) && current.initializer === child) return false;
    if (ts.isPropertyDeclaration(current) && current.initializer === child) return false;
    if (ts.isClassStaticBlockDeclaration(current)) return false;
    if (ts.isFunctionLike(current)) return (ts.getCombinedModifierFlags(current) & ts.ModifierFlags.Async) !== 0;
  }
  return true; // top-level await: the same before and after
}

/** The names of the file's top-level functions: declarations and `const f = (...) => ...`. */
export function topLevelFunctionNames(ts, sourceFile) {
  const names = [];
  for (const statement of sourceFile.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name && statement.body) names.push(statement.name.text);
    else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const init = declaration.initializer;
        if (ts.isIdentifier(declaration.name) && init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) {
          names.push(declaration.name.text);
        }
      }
    }
  }
  return [...new Set(names)];
}

/**
 * The file with a durable handler appended: every top-level function wrapped in
 * withDurableExecution (its second parameter becomes a durable context), and one handler that
 * calls each of them with the context as first argument (the same-file helper walk).
 */
export function handlerVariant(ts, text, fileName) {
  const names = topLevelFunctionNames(ts, parse(ts, text, fileName));
  const wde = `${PREFIX}WithDurableExecution`;
  const lines = [
    "",
    `import { withDurableExecution as ${wde} } from "replayable";`,
    ...names.map((name, index) => `export const ${PREFIX}Wrapped${index} = ${wde}(${name});`),
    `export const ${PREFIX}Handler = ${wde}(async (event, ctx) => {`,
    ...names.map((name) => `  ${name}(ctx, event);`),
    `  return await ctx.step(async () => event);`,
    "});",
    "",
  ];
  return { text: `${text}\n${lines.join("\n")}`, ownLength: text.length, functions: names.length };
}

/** The name the annotated variant gives DurableContext, and the context parameter it adds. */
const CONTEXT_TYPE = `${PREFIX}DurableContext`;
const CONTEXT_PARAMETER = `${PREFIX}Ctx: ${CONTEXT_TYPE}`;

/**
 * The file with a first parameter typed DurableContext added to every function with a body
 * (not to accessors and constructors, whose parameter lists are fixed; after a `this`
 * parameter), and the type import appended.
 */
export function contextParameterVariant(ts, text, fileName) {
  const sourceFile = parse(ts, text, fileName);
  const edits = [];
  const visit = (node) => {
    if (isFunctionWithBody(ts, node)) {
      const parameters = node.parameters;
      const first = parameters[0];
      const afterThis = first && ts.isIdentifier(first.name) && first.name.text === "this";
      if (ts.isArrowFunction(node) && first && !node.getChildren(sourceFile).some((child) => child.kind === ts.SyntaxKind.OpenParenToken)) {
        // `x => ...`: a second parameter needs parentheses.
        edits.push({ at: first.getStart(sourceFile), text: `(${CONTEXT_PARAMETER}, ` }, { at: first.end, text: ")" });
      } else if (afterThis) {
        edits.push({ at: first.end, text: `, ${CONTEXT_PARAMETER}` });
      } else {
        edits.push({ at: parameters.pos, text: first ? `${CONTEXT_PARAMETER}, ` : CONTEXT_PARAMETER });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  let output = "";
  let last = 0;
  for (const edit of edits.sort((a, b) => a.at - b.at)) {
    output += text.slice(last, edit.at) + edit.text;
    last = edit.at;
  }
  output += text.slice(last);
  return {
    text: `${output}\nimport type { DurableContext as ${CONTEXT_TYPE} } from "replayable";\n`,
    ownLength: output.length,
    functions: edits.filter((edit) => edit.text !== ")").length,
  };
}

function isFunctionWithBody(ts, node) {
  return (
    (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node)) &&
    node.body !== undefined
  );
}

/** A file name ESLint's flat config matches (node_modules/ is ignored by default). */
export function lintFileName(cwd, relativePath) {
  return path.join(cwd, "fuzz-corpus", relativePath.replaceAll("node_modules", "nm"));
}

function errorRecord(stage, error) {
  const message = error instanceof Error ? error.message : String(error);
  const stack = error instanceof Error && error.stack ? error.stack.split("\n").slice(0, 12).join("\n") : undefined;
  return { stage, message: message.split("\n").slice(0, 6).join("\n"), stack };
}

/**
 * Runs every check on one text. Returns counts and problems; never throws (a throw from our code
 * is recorded as a crash with its stage).
 */
export function checkText(impl, { text, relativePath, cwd, variant = true, eslint = true, onStage = () => {} }) {
  const { ts } = impl;
  const fileName = path.join(cwd, relativePath);
  const result = {
    file: relativePath,
    bytes: Buffer.byteLength(text),
    crashes: [],
    nonIdentical: [],
    parseRegressions: [],
    handlers: 0,
    variantFunctions: 0,
    variantHandlers: 0,
    variantEdits: 0,
    variantFindings: 0,
    suggestionsChecked: 0,
    /** Milliseconds per stage, for the slowest files' report. */
    stageMs: {},
  };
  const timed = (stage, fn) => {
    onStage(stage);
    const started = performance.now();
    try {
      return fn();
    } finally {
      result.stageMs[stage] = (result.stageMs[stage] ?? 0) + performance.now() - started;
    }
  };
  const guard = (stage, fn) => {
    onStage(stage);
    const started = performance.now();
    try {
      return fn();
    } catch (error) {
      result.crashes.push(errorRecord(stage, error));
      return undefined;
    } finally {
      result.stageMs[stage] = (result.stageMs[stage] ?? 0) + performance.now() - started;
    }
  };

  const checkTransform = (stage, input, expectIdentical) => {
    const output = guard(`${stage}:transform`, () => impl.transformer.transform(input, fileName));
    if (!output) return undefined;
    if (expectIdentical && output.code !== input) {
      result.nonIdentical.push({ stage, firstDifference: firstDifference(input, output.code) });
    }
    if (output.code !== input) {
      const before = timed(`${stage}:syntax`, () => syntaxErrors(ts, input, fileName).length);
      const errors = timed(`${stage}:syntax`, () => syntaxErrors(ts, output.code, fileName));
      if (errors.length > before) {
        result.parseRegressions.push({
          stage,
          before,
          after: errors.length,
          first: errors.slice(0, 3).map((d) => `${d.start}: ${d.message} near ${JSON.stringify(output.code.slice(Math.max(0, d.start - 60), d.start + 40))}`),
        });
      }
    }
    return output;
  };

  const lint = (stage, input) => {
    if (!eslint) return undefined;
    return guard(`${stage}:eslint`, () => {
      const messages = impl.linter.verify(input, impl.eslintConfig, { filename: lintFileName(cwd, relativePath) });
      const unmatched = messages.find((message) => /No matching configuration/.test(message.message));
      if (unmatched) throw new Error(`the fuzz harness gave ESLint a file name no config matches: ${unmatched.message}`);
      return messages;
    });
  };
  const replayableFindings = (messages) => (messages ?? []).filter((message) => message.ruleId?.startsWith("replayable/")).length;

  // Each suggestion (and fix) of the plugin, applied alone, must not add a syntax error. Each one
  // checked costs a parse of the whole text: at most SUGGESTIONS_CHECKED per text, fewer in a
  // big file (SUGGESTION_BYTES parsed in all), spread over the file.
  const checkSuggestions = (stage, input, messages) => timed(`${stage}:suggestions`, () => checkSuggestionsNow(stage, input, messages));
  const checkSuggestionsNow = (stage, input, messages) => {
    const fixes = (messages ?? [])
      .filter((message) => message.ruleId?.startsWith("replayable/"))
      .flatMap((message) => [message.fix, ...(message.suggestions ?? []).map((suggestion) => suggestion.fix)])
      .filter((fix) => fix !== undefined);
    if (fixes.length === 0) return;
    const before = syntaxErrors(ts, input, fileName).length;
    const budget = Math.max(1, Math.min(SUGGESTIONS_CHECKED, Math.floor(SUGGESTION_BYTES / Math.max(1, input.length))));
    const step = Math.max(1, Math.ceil(fixes.length / budget));
    for (let index = 0; index < fixes.length; index += step) {
      const fix = fixes[index];
      const fixed = input.slice(0, fix.range[0]) + fix.text + input.slice(fix.range[1]);
      const errors = syntaxErrors(ts, fixed, fileName);
      result.suggestionsChecked++;
      if (errors.length > before) {
        result.parseRegressions.push({
          stage: `${stage}:suggestion`,
          before,
          after: errors.length,
          first: errors.slice(0, 3).map((d) => `${d.start}: ${d.message} near ${JSON.stringify(fixed.slice(Math.max(0, d.start - 60), d.start + 40))}`),
        });
        return;
      }
    }
  };

  // The file as it is.
  const sourceFile = guard("file:parse", () => parse(ts, text, fileName));
  const analysis = sourceFile && guard("file:analysis", () => impl.analysis.analyzeSourceFile(sourceFile));
  if (analysis) result.handlers = analysis.handlers.length;
  checkTransform("file", text, analysis !== undefined && analysis.handlers.length === 0);
  checkSuggestions("file", text, lint("file", text));

  if (!variant) return result;
  // The variants: the same code walked as orchestration code.
  for (const [name, build] of [
    ["wrapped", handlerVariant],
    ["annotated", contextParameterVariant],
  ]) {
    const built = guard(`${name}:build`, () => build(ts, text, fileName));
    // With no function, no code of the file is orchestration code in the variant.
    if (!built || built.functions === 0) continue;
    result.variantFunctions += built.functions;
    const variantFile = parse(ts, built.text, fileName);
    const variantAnalysis = guard(`${name}:analysis`, () => impl.analysis.analyzeSourceFile(variantFile));
    if (variantAnalysis) result.variantHandlers += variantAnalysis.handlers.length;
    const output = checkTransform(name, built.text, false);
    // Whether the transformer changed the file's own code (not only what the variant appended).
    if (output && firstDifference(built.text, output.code).index < built.ownLength) result.variantEdits++;
    const messages = lint(name, built.text);
    result.variantFindings += replayableFindings(messages);
    checkSuggestions(name, built.text, messages);
  }
  return result;
}

const SUGGESTIONS_CHECKED = 25;
const SUGGESTION_BYTES = 10_000_000;

function firstDifference(a, b) {
  let index = 0;
  while (index < a.length && index < b.length && a[index] === b[index]) index++;
  return { index, before: a.slice(Math.max(0, index - 40), index + 40), after: b.slice(Math.max(0, index - 40), index + 40) };
}

/** Builds what checkText needs from the loaded modules. */
export function implementation({ ts, analysis, transformer, plugin, Linter, cwd }) {
  return {
    ts,
    analysis,
    transformer,
    linter: new Linter({ cwd, configType: "flat" }),
    eslintConfig: [plugin.configs.recommended],
  };
}
