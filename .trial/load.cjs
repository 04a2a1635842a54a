// usage: node load.js OUTFILE ; runs until SIGTERM, writes summary
const http = require('http'); const fs = require('fs');
const out = process.argv[2]; let ok = 0, bad = 0; const errs = {}; const versions = {};
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
let stop = false;
function one() {
  return new Promise((res) => {
    const req = http.get({ host: '127.0.0.1', port: 26400, path: '/version', agent, timeout: 5000 }, (r) => {
      let b = ''; r.on('data', (d) => (b += d)); r.on('end', () => {
        if (r.statusCode === 200) { ok++; const v = b.trim().slice(0, 40); versions[v] = (versions[v] || 0) + 1; }
        else { bad++; const k = 'status ' + r.statusCode; errs[k] = (errs[k] || 0) + 1; }
        res(); });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => { bad++; errs[e.message] = (errs[e.message] || 0) + 1; res(); });
  });
}
async function worker() { while (!stop) { await one(); await new Promise((r) => setTimeout(r, 5)); } }
function dump() { fs.writeFileSync(out, JSON.stringify({ ok, bad, errs, versions }) + '\n'); }
const iv = setInterval(dump, 1000);
process.on('SIGTERM', () => { stop = true; setTimeout(() => { dump(); process.exit(0); }, 300); });
Promise.all([worker(), worker(), worker()]);
