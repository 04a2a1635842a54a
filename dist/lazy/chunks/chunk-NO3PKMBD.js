import {
  NginxUpstream,
  mkdtempArgv,
  nginxCandidateTestArgv,
  nginxProgram,
  readUpstreamFile,
  rewriteUpstreamFile,
  upstreamBlockText
} from "./chunk-FAX57M2F.js";
import {
  configFileAccess,
  notWritable,
  readText,
  writeAtomic
} from "./chunk-H5JJLJ3Z.js";
import {
  removeTreeArgv
} from "./chunk-CSTC25GN.js";
import {
  errorLine,
  exitText
} from "./chunk-62JVSY2V.js";
import {
  errorMessage
} from "./chunk-O2HJWNJA.js";

// src/proxy/candidate.ts
function candidateSample(service) {
  const lo = service?.["host-ports"]?.[0];
  if (!service || lo === void 0) return [];
  return Array.from({ length: service.replicas }, (_, i) => ({ address: `127.0.0.1:${lo + i}` }));
}
async function checkContainer(t, nginx, c) {
  const name = nginx.container;
  if (!c?.engine) {
    return [
      {
        status: "fail",
        check: "nginx container",
        detail: `nginx container ${name}: the target has no Engine API (set docker-socket)`
      }
    ];
  }
  const out = [];
  try {
    const m = await new NginxUpstream(t, nginx, c.clock, c.log, c.engine).master();
    out.push({
      status: "pass",
      check: "nginx container",
      detail: `${name}: master pid ${m.pid} on the host, ${m.workers.length} workers`
    });
  } catch (err) {
    return [{ status: "fail", check: "nginx container", detail: errorMessage(err) }];
  }
  const r = await c.engine.execInContainer(name, nginx.test).catch((err) => ({ code: -1, stdout: "", stderr: err.message }));
  out.push(
    r.code === 0 ? { status: "pass", check: "nginx test", detail: `${nginx.test.join(" ")} passes in container ${name}` } : {
      status: "fail",
      check: "nginx test",
      detail: `${nginx.test.join(" ")} in container ${name}: ${errorLine(r.stderr) || exitText(r)}`
    }
  );
  return out;
}
var QUIET = { quiet: true, timeoutMs: 3e4 };
var LAYOUT_TEXT = {
  block: "the whole upstream block",
  servers: "server lines included inside the block",
  new: "not there yet"
};
function candidateConf(dir, name, upstream) {
  return `# runbook-actions: a candidate upstream under nginx -t (a throwaway prefix; nothing is served)
pid ${dir}/nginx.pid;
events { worker_connections 16; }
http {
  access_log off;
  client_body_temp_path ${dir}/temp; proxy_temp_path ${dir}/temp; fastcgi_temp_path ${dir}/temp;
  uwsgi_temp_path ${dir}/temp; scgi_temp_path ${dir}/temp;
${upstream}
  server { listen unix:${dir}/candidate.sock; location / { proxy_pass http://${name}; } }
}
`;
}
async function checkUpstreamCandidate(t, nginx, sample, container, opts = {}) {
  const path = nginx["upstream-file"];
  const name = nginx.upstream;
  let text;
  let file;
  try {
    text = await readText(t, path);
    file = readUpstreamFile(text, name, path);
  } catch (err) {
    return [{ status: "fail", check: "nginx upstream", detail: errorMessage(err) }];
  }
  const out = [];
  const canWrite = await configFileAccess(t, path) !== void 0;
  const where = `upstream ${name} in ${path} (${LAYOUT_TEXT[file.layout]}${file.line ? `, line ${file.line}` : ""})`;
  const kept = [
    file.servers.length > 0 ? `${file.servers.length} serving now: ${file.servers.map((s) => s.address).join(", ")}` : "",
    file.backups.length > 0 ? `${file.backups.length} backup server(s) kept` : ""
  ].filter(Boolean);
  if (!canWrite) {
    out.push({
      status: "fail",
      check: "nginx upstream",
      detail: `${where}: ${notWritable(t, path).message}`
    });
  } else if (file.layout === "new") {
    out.push({
      status: "warn",
      check: "nginx upstream",
      detail: `${path} does not exist yet: the first deploy writes server lines there, which nginx must include inside upstream ${name} { include ${path}; }`
    });
  } else
    out.push({
      status: "pass",
      check: "nginx upstream",
      detail: `${where}${kept.length ? `; ${kept.join("; ")}` : ""}`
    });
  if (nginx.container !== void 0) {
    out.push(...await checkContainer(t, nginx, container));
    out.push({
      status: "warn",
      check: "nginx candidate",
      detail: `nginx runs in container ${nginx.container}: the switched file is tested there by deploy itself (nginx -t through the Engine API; a rejected file is put back)`
    });
    return out;
  }
  const program = nginxProgram(nginx.test);
  if (!program) {
    out.push({
      status: "warn",
      check: "nginx candidate",
      detail: `the test command (${nginx.test.join(" ")}) runs no nginx binary this check can call directly; the switched file is tested by deploy itself (a rejected file is put back)`
    });
    return out;
  }
  let candidate;
  try {
    candidate = rewriteUpstreamFile(text, name, path, sample, opts);
  } catch (err) {
    out.push({ status: "fail", check: "nginx candidate", detail: errorMessage(err) });
    return out;
  }
  const upstream = upstreamBlockText(candidate, name, path) ?? `  upstream ${name} {
${candidate}
  }
`;
  const made = await t.exec(mkdtempArgv(), QUIET);
  const tmp = made.stdout.trim();
  if (made.code !== 0 || !tmp.startsWith("/")) {
    out.push({ status: "fail", check: "nginx candidate", detail: `mktemp failed: ${errorLine(made.stderr)}` });
    return out;
  }
  try {
    await writeAtomic(t, `${tmp}/nginx.conf`, candidateConf(tmp, name, upstream));
    const r = await t.exec(nginxCandidateTestArgv(program, tmp), QUIET);
    out.push(
      r.code === 0 ? {
        status: "pass",
        check: "nginx candidate",
        detail: `the upstream as a switch writes it (${sample.map((s) => s.address).join(", ") || "placeholder"}${opts.sticky ? `, with the canary's ${opts.sticky}` : ""}) passes ${program} -t; the live file untouched`
      } : {
        status: "fail",
        check: "nginx candidate",
        detail: `the upstream as a switch would write it fails ${program} -t: ${errorLine(r.stderr) || exitText(r)}`
      }
    );
  } catch (err) {
    out.push({ status: "fail", check: "nginx candidate", detail: errorMessage(err) });
  } finally {
    await t.exec(removeTreeArgv(tmp), QUIET).catch(() => void 0);
  }
  return out;
}

export {
  candidateSample,
  checkUpstreamCandidate
};
