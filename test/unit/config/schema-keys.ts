/**
 * The key paths of the zod config schema, walked from the zod schema itself (independently of the JSON Schema the
 * generator derives): mapping keys joined with ".", a user-chosen key as `<name>`, a list item as `[]`.
 */

interface Def {
  type: string;
  shape?: Record<string, unknown>;
  innerType?: unknown;
  in?: unknown;
  out?: unknown;
  element?: unknown;
  valueType?: unknown;
  options?: unknown[];
  left?: unknown;
  right?: unknown;
  getter?: () => unknown;
}

/** What parses: enough of a zod schema to validate an example. */
export interface Parser {
  safeParse(value: unknown): { success: boolean; data?: unknown; error?: { issues: { message: string }[] } };
}

const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;
const depth = (path: string): number => path.split(/\.|\[\]/).length;

/**
 * Every key path the schema accepts (`keys`, in breadth-first order) and the outermost schema at every node path,
 * list items and record values included (`nodes`). An object schema used in several places (the checks under
 * `checks:` and under `environments.<name>.checks`) is walked once, at its shortest path; elsewhere only its own key
 * is listed.
 */
export function schemaKeys(root: unknown): { keys: string[]; nodes: Map<string, Parser> } {
  const keys: string[] = [];
  const nodes = new Map<string, Parser>();
  const walked = new Set<unknown>();
  const queue: Array<{ schema: unknown; path: string }> = [{ schema: root, path: '' }];
  while (queue.length > 0) {
    queue.sort((a, b) => depth(a.path) - depth(b.path));
    const { schema, path } = queue.shift() as { schema: unknown; path: string };
    if (!nodes.has(path)) nodes.set(path, schema as Parser);
    const def = defOf(schema);
    const visit = (next: unknown, at = path): void => void queue.push({ schema: next, path: at });
    switch (def.type) {
      case 'object':
        if (walked.has(schema)) break;
        walked.add(schema);
        for (const [key, value] of Object.entries(def.shape ?? {})) {
          const at = path === '' ? key : `${path}.${key}`;
          keys.push(at);
          visit(value, at);
        }
        break;
      case 'optional':
      case 'nullable':
      case 'default':
      case 'prefault':
      case 'nonoptional':
      case 'readonly':
      case 'catch':
        visit(def.innerType);
        break;
      case 'pipe':
        visit(def.in);
        visit(def.out);
        break;
      case 'array':
        visit(def.element, `${path}[]`);
        break;
      case 'record':
        visit(def.valueType, `${path}.<name>`);
        break;
      case 'union':
        for (const option of def.options ?? []) visit(option);
        break;
      case 'intersection':
        visit(def.left);
        visit(def.right);
        break;
      case 'lazy':
        visit(def.getter?.());
        break;
      default:
        // A leaf (string, number, enum, literal, transform, …): no keys below it.
        break;
    }
  }
  return { keys, nodes };
}

/** Whether the schema at a path has a zod default (`.default(…)` or `.prefault(…)`) as its outermost wrapper. */
export function hasZodDefault(schema: Parser): boolean {
  const type = defOf(schema).type;
  return type === 'default' || type === 'prefault';
}
