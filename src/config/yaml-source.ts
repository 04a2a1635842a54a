/**
 * Reading `runbook.yml` as YAML 1.2 (core schema) with positions: syntax errors, duplicate keys, tabs and alias
 * bombs become ConfigFileErrors with `file:line:col`, and key paths can be mapped back to lines afterwards.
 */
import { type Document, isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, visit } from 'yaml';
import { reservedKeyPaths, reservedKeyProblem } from './fields.js';
import { ConfigFileError, type ConfigProblem } from './problems.js';
import { formatPath, show } from './text.js';

/** Largest config file accepted; a real one is a few KiB. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** Alias expansions allowed when converting to plain data (the `yaml` package's resource-exhaustion guard). */
const MAX_ALIAS_COUNT = 64;

export interface YamlSource {
  /** The document as plain data (objects, arrays, strings, numbers, booleans, null). */
  data: unknown;
  /** Line and column (1-based) of the node at `path`, or of its nearest existing parent. */
  locate(path: readonly PropertyKey[], preferKey?: boolean): { line: number; col: number };
}

const FRIENDLY: Readonly<Record<string, string>> = {
  TAB_AS_INDENT: 'tab character used for indentation: YAML indents with spaces only',
  MULTIPLE_DOCS: 'the file holds several YAML documents (---); put everything in one',
};

/** Parse YAML text; throws ConfigFileError for syntax errors, duplicate keys, bad aliases or an empty/non-mapping root. */
export function readYaml(text: string, file: string): YamlSource {
  if (Buffer.byteLength(text, 'utf8') > MAX_CONFIG_BYTES) {
    throw new ConfigFileError(file, [{ file, message: `the file is larger than ${MAX_CONFIG_BYTES} bytes` }]);
  }
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, {
      lineCounter,
      uniqueKeys: true,
      version: '1.2',
      schema: 'core',
      merge: false,
      prettyErrors: false,
      strict: true,
      stringKeys: true,
    });
  } catch (err) {
    throw new ConfigFileError(file, [{ file, message: `could not parse the file as YAML: ${String(err)}` }]);
  }
  const at = (offset: number) => lineCounter.linePos(offset);
  // After one syntax error the parser's later complaints are mostly echoes: keep the first, and every duplicate key.
  const [firstSyntax] = doc.errors.filter((e) => e.code !== 'DUPLICATE_KEY');
  const reported = [...doc.errors.filter((e) => e === firstSyntax || e.code === 'DUPLICATE_KEY'), ...doc.warnings];
  const problems: ConfigProblem[] = reported.map((e) => ({
    file,
    ...at(e.pos[0]),
    message: describeYamlError(e.code, e.message, text, e.pos[0]),
  }));
  if (problems.length === 0) problems.push(...checkAliases(doc, file, at));
  if (problems.length > 0) throw new ConfigFileError(file, problems);

  if (doc.contents === null) {
    throw new ConfigFileError(file, [{ file, message: 'the file is empty: it needs at least app: and environments:' }]);
  }
  if (!isMap(doc.contents)) {
    const kind = isSeq(doc.contents) ? 'a list' : `the value ${show(isScalar(doc.contents) ? doc.contents.value : '')}`;
    const pos = at(doc.contents.range?.[0] ?? 0);
    throw new ConfigFileError(file, [
      { file, ...pos, message: `the top level must be a mapping with keys like app: and environments:, not ${kind}` },
    ]);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    const message =
      err instanceof ReferenceError
        ? `anchors and aliases expand too much (limit ${MAX_ALIAS_COUNT} expansions): refusing a possible alias bomb`
        : `could not read the YAML: ${String(err)}`;
    throw new ConfigFileError(file, [{ file, message }]);
  }
  const locate = (path: readonly PropertyKey[], preferKey = false) => at(offsetOf(doc, path, preferKey));
  const reserved = reservedKeyPaths(data).map((path) => ({
    file,
    ...locate(path, true),
    path: formatPath(path),
    message: reservedKeyProblem(String(path[path.length - 1])) ?? 'reserved key',
  }));
  if (reserved.length > 0) throw new ConfigFileError(file, reserved);
  return { data, locate };
}

function describeYamlError(code: string, message: string, text: string, offset: number): string {
  if (code === 'DUPLICATE_KEY') {
    const key = /^\s*("(?:[^"\\]|\\.)*"|'[^']*'|[^:,{}[\]#\n]+?)\s*:/.exec(text.slice(offset, offset + 200))?.[1];
    return key === undefined ? 'duplicate key' : `duplicate key ${show(key.replace(/^["']|["']$/g, ''))}`;
  }
  if (/call stack/i.test(message)) return 'the YAML is nested too deeply';
  return FRIENDLY[code] ?? message.split('\n')[0] ?? message;
}

/** Aliases must name an earlier anchor and must not sit inside it (a cycle), checked before anything expands. */
function checkAliases(doc: Document.Parsed, file: string, at: (offset: number) => { line: number; col: number }) {
  const problems: ConfigProblem[] = [];
  const anchors = new Map<string, Node>();
  visit(doc, {
    Node(_key, node, path) {
      if (isAlias(node)) {
        const target = anchors.get(node.source);
        const pos = at(node.range?.[0] ?? 0);
        if (target === undefined)
          problems.push({ file, ...pos, message: `alias *${node.source} has no anchor &${node.source} before it` });
        else if (path.includes(target))
          problems.push({ file, ...pos, message: `alias *${node.source} refers to a node containing itself` });
        return;
      }
      if (node.anchor !== undefined) anchors.set(node.anchor, node);
    },
  });
  return problems;
}

/** Offset of the node at `path` (the key itself when `preferKey`), else of the nearest parent that exists. */
function offsetOf(doc: Document.Parsed, path: readonly PropertyKey[], preferKey: boolean): number {
  let node: unknown = doc.contents;
  let offset = 0;
  for (const [i, seg] of path.entries()) {
    if (isAlias(node)) node = node.resolve(doc);
    const start = (node as Node | undefined)?.range?.[0];
    if (start !== undefined) offset = start;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (pair === undefined) return offset;
      const keyStart = (pair.key as Node).range?.[0] ?? offset;
      const value = pair.value as Node | null;
      const last = i === path.length - 1;
      if (last && (preferKey || value === null || (isScalar(value) && value.value === null))) return keyStart;
      offset = keyStart;
      node = value;
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)];
      if (item === undefined) return offset;
      node = item;
    } else {
      return offset;
    }
  }
  if (isAlias(node)) return node.range?.[0] ?? offset;
  return (node as Node | null)?.range?.[0] ?? offset;
}
