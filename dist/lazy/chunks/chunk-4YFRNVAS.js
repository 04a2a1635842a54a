// src/proxy/nginx-syntax.ts
var NginxSyntaxError = class extends Error {
  name = "NginxSyntaxError";
};
function lineOf(text, offset) {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === "\n") line++;
  return line;
}
function parseNginx(text) {
  let i = 0;
  const n = text.length;
  const isSpace = (c) => c === " " || c === "	" || c === "\n" || c === "\r";
  const word = () => {
    const q = text[i];
    if (q === '"' || q === "'") {
      const from = i;
      let out2 = "";
      for (i++; i < n && text[i] !== q; i++) {
        if (text[i] === "\\" && i + 1 < n) i++;
        out2 += text[i];
      }
      if (i >= n) throw new NginxSyntaxError(`unterminated quote at line ${lineOf(text, from)}`);
      i++;
      return out2;
    }
    let out = "";
    while (i < n) {
      const c = text[i];
      if (isSpace(c) || c === ";" || c === "}") break;
      if (c === "{" && text[i - 1] !== "$") break;
      if (c === "$" && text[i + 1] === "{") {
        const close = text.indexOf("}", i);
        if (close < 0) throw new NginxSyntaxError(`unterminated \${ at line ${lineOf(text, i)}`);
        out += text.slice(i, close + 1);
        i = close + 1;
        continue;
      }
      out += c;
      i++;
    }
    return out;
  };
  const block = (depth) => {
    const out = [];
    let cur;
    while (i < n) {
      const c = text[i];
      if (isSpace(c)) {
        i++;
        continue;
      }
      if (c === "#" && cur === void 0) {
        while (i < n && text[i] !== "\n") i++;
        continue;
      }
      if (c === ";") {
        if (!cur) throw new NginxSyntaxError(`unexpected ";" at line ${lineOf(text, i)}`);
        i++;
        cur.end = i;
        out.push(cur);
        cur = void 0;
        continue;
      }
      if (c === "{") {
        if (!cur) throw new NginxSyntaxError(`unexpected "{" at line ${lineOf(text, i)}`);
        i++;
        const d = cur;
        cur = void 0;
        d.children = block(depth + 1);
        d.close = i - 1;
        d.end = i;
        out.push(d);
        continue;
      }
      if (c === "}") {
        if (cur) throw new NginxSyntaxError(`"${cur.words[0]}" at line ${lineOf(text, cur.start)} has no ";"`);
        if (depth === 0) throw new NginxSyntaxError(`unexpected "}" at line ${lineOf(text, i)}`);
        i++;
        return out;
      }
      const at = i;
      const w = word();
      if (cur) cur.words.push(w);
      else cur = { words: [w], start: at, end: at };
    }
    if (cur) throw new NginxSyntaxError(`"${cur.words[0]}" at line ${lineOf(text, cur.start)} has no ";"`);
    if (depth > 0) throw new NginxSyntaxError('a "{" is never closed');
    return out;
  };
  return block(0);
}
function* walk(ds) {
  for (const d of ds) {
    yield d;
    if (d.children) yield* walk(d.children);
  }
}

export {
  NginxSyntaxError,
  lineOf,
  parseNginx,
  walk
};
