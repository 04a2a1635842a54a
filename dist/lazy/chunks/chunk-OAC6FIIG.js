// src/report/escape.ts
var CONTROL_OR_LINE_END = /\r\n|[\u0000-\u001f\u007f\u2028\u2029]/g;
var MARKDOWN_SPECIAL = /[\\`*_[\]~|&<>]/g;
var HTML_SPECIAL = /[&<>"']/g;
var HTML_ENTITY = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
function htmlText(text) {
  return text.replace(CONTROL_OR_LINE_END, " ").replace(HTML_SPECIAL, (ch) => HTML_ENTITY[ch] ?? ch);
}
function htmlBlock(text) {
  return text.replace(/\r\n?/g, "\n").split("\n").map((line) => htmlText(line)).join("\n");
}
function markdownCell(text) {
  return text.replace(CONTROL_OR_LINE_END, " ").replace(MARKDOWN_SPECIAL, (ch) => HTML_ENTITY[ch] ?? `\\${ch}`);
}
var MERMAID_PLAIN = /^[A-Za-z0-9 .,_+\-/()=]$/;
function mermaidText(text) {
  let out = "";
  for (const ch of text.replace(CONTROL_OR_LINE_END, " ")) {
    out += MERMAID_PLAIN.test(ch) ? ch : `#${ch.codePointAt(0)};`;
  }
  return out.trim() || "-";
}
function safeHref(url) {
  if (!url) return void 0;
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:" ? u.href : void 0;
  } catch {
    return void 0;
  }
}

export {
  htmlText,
  htmlBlock,
  markdownCell,
  mermaidText,
  safeHref
};
