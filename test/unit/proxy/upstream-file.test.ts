import { describe, expect, it } from 'vitest';
import { parseNginx } from '../../../src/proxy/nginx-syntax.js';
import {
  readUpstreamFile,
  rewriteUpstreamFile,
  UpstreamLayoutError,
  upstreamBlockText,
} from '../../../src/proxy/upstream-file.js';

const PATH = '/etc/nginx/conf.d/upstream.conf';

/** A team's conf.d file: the whole block, with directives, a backup server, comments and a server block after it. */
const TEAM = `# shop api — edited by hand, see wiki
upstream shop_api {
    least_conn;
    keepalive 32;   # reuse connections
    server 127.0.0.1:8000 max_fails=3 fail_timeout=10s;  # the compose app
    server 127.0.0.1:8080 backup;
}

server {
    listen 80;
    location / { proxy_pass http://shop_api; }
}
`;

describe('readUpstreamFile', () => {
  it('finds the block layout and its servers', () => {
    const f = readUpstreamFile(TEAM, 'shop_api', PATH);
    expect(f.layout).toBe('block');
    expect(f.line).toBe(2);
    expect(f.servers).toEqual([{ address: '127.0.0.1:8000', params: ['max_fails=3', 'fail_timeout=10s'] }]);
    expect(f.backups).toEqual([{ address: '127.0.0.1:8080', params: ['backup'] }]);
  });

  it('finds the server-lines layout (included inside a block elsewhere)', () => {
    const f = readUpstreamFile('server 127.0.0.1:18001 max_fails=1 fail_timeout=2s;\nkeepalive 8;\n', 'api', PATH);
    expect(f.layout).toBe('servers');
    expect(f.servers.map((s) => s.address)).toEqual(['127.0.0.1:18001']);
  });

  it('a missing or empty file is new', () => {
    expect(readUpstreamFile(undefined, 'api', PATH).layout).toBe('new');
    expect(readUpstreamFile('  \n', 'api', PATH).layout).toBe('new');
  });

  it('names the upstreams a file holds when the configured one is not among them', () => {
    expect(() => readUpstreamFile(TEAM, 'api', PATH)).toThrow(
      /upstream.conf holds upstream shop_api but not "api" \(strategy.proxy.nginx.upstream/,
    );
  });

  it('refuses a file that is neither layout, naming the line', () => {
    const site = 'server {\n  listen 80;\n}\n';
    expect(() => readUpstreamFile(site, 'api', PATH)).toThrow(UpstreamLayoutError);
    expect(() => readUpstreamFile(site, 'api', PATH)).toThrow(/"server" at line 1 cannot stand in an upstream/);
    expect(() => readUpstreamFile('upstream api {\n server a:1;\n', 'api', PATH)).toThrow(/not nginx syntax/);
    expect(() => readUpstreamFile('server a:1', 'api', PATH)).toThrow(/has no ";"/);
  });
});

describe('rewriteUpstreamFile', () => {
  it('changes only the primary server lines of the block; every other byte stays', () => {
    const next = rewriteUpstreamFile(TEAM, 'shop_api', PATH, [
      { address: '127.0.0.1:18001' },
      { address: '127.0.0.1:18002' },
    ]);
    expect(next).toBe(
      TEAM.replace(
        '    server 127.0.0.1:8000 max_fails=3 fail_timeout=10s;  # the compose app\n',
        '    server 127.0.0.1:18001 max_fails=3 fail_timeout=10s;\n    server 127.0.0.1:18002 max_fails=3 fail_timeout=10s;\n',
      ),
    );
    // Still one valid upstream with its directives.
    const again = readUpstreamFile(next, 'shop_api', PATH);
    expect(again.backups).toHaveLength(1);
    expect(parseNginx(next).map((d) => d.words[0])).toEqual(['upstream', 'server']);
  });

  it('keeps a server given with its own parameters (a server being taken over) as it was', () => {
    const next = rewriteUpstreamFile(TEAM, 'shop_api', PATH, [
      { address: '127.0.0.1:8000', params: ['max_fails=3', 'fail_timeout=10s'] },
      { address: '127.0.0.1:18001' },
    ]);
    expect(readUpstreamFile(next, 'shop_api', PATH).servers).toEqual([
      { address: '127.0.0.1:8000', params: ['max_fails=3', 'fail_timeout=10s'] },
      { address: '127.0.0.1:18001', params: ['max_fails=3', 'fail_timeout=10s'] },
    ]);
  });

  it('an empty list leaves a placeholder so nginx still loads', () => {
    const next = rewriteUpstreamFile(TEAM, 'shop_api', PATH, []);
    expect(readUpstreamFile(next, 'shop_api', PATH).servers).toEqual([{ address: '127.0.0.1:9', params: ['down'] }]);
    // The placeholder is not a model for parameters: the toolkit's own defaults come back.
    const after = rewriteUpstreamFile(next, 'shop_api', PATH, [{ address: '127.0.0.1:18001' }]);
    expect(readUpstreamFile(after, 'shop_api', PATH).servers[0]?.params).toEqual(['max_fails=1', 'fail_timeout=2s']);
  });

  it('a block with only a backup server gets the new lines before its closing brace', () => {
    const text = 'upstream api {\n  keepalive 4;\n  server 10.0.0.9:80 backup;\n}\n';
    const next = rewriteUpstreamFile(text, 'api', PATH, [{ address: '127.0.0.1:18001' }]);
    expect(next).toBe(
      'upstream api {\n  keepalive 4;\n  server 10.0.0.9:80 backup;\n  server 127.0.0.1:18001 max_fails=1 fail_timeout=2s;\n}\n',
    );
  });

  it('writes a new file as server lines to include inside the block', () => {
    const next = rewriteUpstreamFile(undefined, 'api', PATH, [{ address: '127.0.0.1:18001' }]);
    expect(next).toMatch(/^# upstream api: server lines written by runbook-actions/);
    expect(readUpstreamFile(next, 'api', PATH)).toMatchObject({
      layout: 'servers',
      servers: [{ address: '127.0.0.1:18001', params: ['max_fails=1', 'fail_timeout=2s'] }],
    });
  });

  it('rewrites the server-lines layout in place, keeping its other directives and comments', () => {
    const text = '# included by sites-enabled/shop\nkeepalive 16;\nserver unix:/run/shop.sock weight=2;\n';
    const next = rewriteUpstreamFile(text, 'api', PATH, [{ address: '127.0.0.1:18001' }]);
    expect(next).toBe('# included by sites-enabled/shop\nkeepalive 16;\nserver 127.0.0.1:18001;\n');
  });

  it('is not fooled by braces and semicolons in comments and quotes', () => {
    const text =
      'upstream other { server 10.0.0.1:80; } # upstream api { server x; }\nupstream api {\n  hash "$host;{x}" consistent;\n  server 127.0.0.1:1;\n}\n';
    const next = rewriteUpstreamFile(text, 'api', PATH, [{ address: '127.0.0.1:2' }]);
    expect(next).toBe(text.replace('server 127.0.0.1:1;', 'server 127.0.0.1:2;'));
    expect(readUpstreamFile(next, 'other', PATH).servers).toEqual([{ address: '10.0.0.1:80', params: [] }]);
  });
});

describe('upstreamBlockText', () => {
  it('is the block alone for the block layout, undefined otherwise', () => {
    expect(upstreamBlockText(TEAM, 'shop_api', PATH)).toBe(
      `${TEAM.slice(TEAM.indexOf('upstream'), TEAM.indexOf('}') + 1)}\n`,
    );
    expect(upstreamBlockText('server a:1;\n', 'api', PATH)).toBeUndefined();
    expect(upstreamBlockText(undefined, 'api', PATH)).toBeUndefined();
  });
});

describe('a block whose servers are included from another file', () => {
  it('is refused, naming the file that holds them (a switch here would add beside servers it cannot see)', () => {
    const text = 'upstream api {\n  keepalive 8;\n  include /etc/nginx/api.servers;\n}\n';
    expect(() => readUpstreamFile(text, 'api', PATH)).toThrow(
      /includes \/etc\/nginx\/api\.servers \(line 3\): its server lines are there, so point strategy\.proxy\.nginx\.upstream-file at that file/,
    );
  });
});
