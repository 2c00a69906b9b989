/**
 * What real clients send and expect (issue 7 section 2, decisions.md 2.4): errors that keep the
 * connection, lenient string booleans, text values, and the smaller wire points.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { type Sandbox, sampleData } from '../../../src/sandbox/index.js';
import { NOT_FOUND, done, failure, failureBody, item, success } from '../../helpers/api.js';
import { useSandboxClient, withSandbox } from '../../helpers/sandbox.js';
import { type RawResponse, call, signHeaders } from '../../helpers/signer.js';

interface KeptResponse extends RawResponse {
  socket: Socket;
}

/** A signed request through `agent`, remembering the socket it went over. */
function viaAgent(
  sandbox: Sandbox,
  agent: http.Agent,
  method: string,
  pathAndQuery: string,
  options: { body?: string; accessId?: string; secretKey?: string } = {},
): Promise<KeptResponse> {
  const base = new URL(sandbox.baseUrl);
  const path = `${base.pathname}${pathAndQuery}`;
  const headers: Record<string, string> = signHeaders(
    options.accessId ?? sandbox.accessId,
    options.secretKey ?? sandbox.secretKey,
    method,
    path,
    Math.floor(Date.now() / 1000),
  );
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(options.body));
  }
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: base.hostname, port: base.port, method, path, headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const text = body.toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            text,
            json: () => JSON.parse(text) as unknown,
            socket: req.socket as Socket,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('errors keep the connection (decisions.md 2.4)', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await withSandbox();
  });
  after(async () => {
    await sandbox.close();
  });

  it('answers 404, 403, 400 and 401 without Connection: close, and the next request reuses the socket', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const restricted = sandbox.restrictedUser;
    try {
      const steps: [
        string,
        string,
        { body?: string; accessId?: string; secretKey?: string },
        number,
        string,
      ][] = [
        ['GET', '/v2/indicators/hosts/nowhere.example.net', {}, 404, NOT_FOUND],
        ['GET', '/v2/no/such/route', {}, 404, NOT_FOUND],
        ['GET', '/v2/indicators?owner=Example%20Community', restricted, 403, 'Access Denied'],
        [
          // Refused before the handler read the body: the small body is read and dropped.
          'POST',
          '/v2/indicators/hosts?owner=Example%20Community',
          { ...restricted, body: JSON.stringify({ hostName: 'kept.example.net' }) },
          403,
          'Access Denied',
        ],
        [
          'POST',
          '/v2/indicators/hosts',
          { body: '{"hostName":' },
          400,
          'The request was not properly formed',
        ],
        ['GET', '/v2/owners', { secretKey: 'wrong' }, 401, 'Signature data did not match expected result'],
        ['GET', '/_sandbox/clock', restricted, 403, 'Access Denied'],
      ];
      const sockets = new Set<Socket>();
      for (const [method, path, options, status, message] of steps) {
        const r = await viaAgent(sandbox, agent, method, path, options);
        assert.equal(r.status, status, `${method} ${path}: ${r.text}`);
        assert.deepEqual(r.json(), failureBody(message));
        assert.notEqual(r.headers.connection, 'close', `${method} ${path}`);
        sockets.add(r.socket);
      }
      const ok = await viaAgent(sandbox, agent, 'GET', '/v2/owners/mine');
      assert.equal(ok.status, 200);
      sockets.add(ok.socket);
      assert.equal(sockets.size, 1, 'every request went over one connection');
      // The refused POST wrote nothing.
      const missing = await viaAgent(
        sandbox,
        agent,
        'GET',
        '/v2/indicators/hosts/kept.example.net?owner=Example%20Community',
      );
      assert.equal(missing.status, 404);
    } finally {
      agent.destroy();
    }
  });
});

describe('values real clients send (decisions.md 2.4)', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await withSandbox();
  });
  after(async () => {
    await sandbox.close();
  });
  const send = (method: string, path: string, body?: unknown) =>
    call(
      sandbox,
      method,
      path,
      body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) },
    );
  const BOOLEAN = ', please enter one of the following values: true, false';

  describe('string booleans', () => {
    it('takes the Python SDK add_attribute body with "displayed": "true", and "false" on update', async () => {
      item(await send('POST', '/v2/indicators/hosts', { hostName: 'strbool.example.net' }), 'host', 201);
      const path = '/v2/indicators/hosts/strbool.example.net';
      // Byte for byte what the original SDK's add_attribute sends.
      const created = item(
        await send(
          'POST',
          `${path}/attributes`,
          '{"type": "Description", "value": "From the SDK", "displayed": "true"}',
        ),
        'attribute',
        201,
      );
      assert.equal(created.displayed, true);
      assert.equal(item(await send('GET', path), 'host').description, 'From the SDK');
      const updated = item(
        await send('PUT', `${path}/attributes/${String(created.id)}`, { displayed: 'false' }),
        'attribute',
      );
      assert.equal(updated.displayed, false);
      assert.equal(item(await send('GET', path), 'host').description, undefined);
    });

    it('takes "true"/"false" for a task\'s escalated and reminded and a document\'s malware', async () => {
      const task = item(
        await send('POST', '/v2/tasks', { name: 'Strings', escalated: 'true', reminded: 'false' }),
        'task',
        201,
      );
      assert.equal(task.escalated, true);
      assert.equal(task.reminded, false);
      item(
        await send('POST', '/v2/groups/documents', { name: 'Doc', fileName: 'doc.txt', malware: 'false' }),
        'document',
        201,
      );
      const malware = item(
        await send('POST', '/v2/groups/documents', {
          name: 'Zip',
          fileName: 'doc.zip',
          malware: 'true',
          password: 'infected',
        }),
        'document',
        201,
      );
      assert.equal(malware.fileName, 'doc.zip');
    });

    for (const [what, value] of [
      ['"yes"', 'yes'],
      ['"TRUE"', 'TRUE'],
      ['"1"', '1'],
      ['the number 1', 1],
      ['an empty string', ''],
    ] as const) {
      it(`refuses ${what} for a boolean with 400 naming the field`, async () => {
        const path = '/v2/groups/threats/38/attributes';
        failure(
          await send('POST', path, { type: 'Description', value: 'x', displayed: value }),
          400,
          `The displayed for this Attribute is invalid${BOOLEAN}`,
        );
        failure(
          await send('POST', '/v2/tasks', { name: 'T', escalated: value }),
          400,
          `The escalated for this Task is invalid${BOOLEAN}`,
        );
        failure(
          await send('POST', '/v2/groups/documents', { name: 'D', fileName: 'd.txt', malware: value }),
          400,
          `The malware for this Document is invalid${BOOLEAN}`,
        );
        failure(
          await send('POST', '/v2/indicators/hosts', { hostName: 'flag.example.net', dnsActive: value }),
          400,
          `The dnsActive for this Host is invalid${BOOLEAN}`,
        );
      });
    }
  });

  describe('text values', () => {
    const CONTROL = 'may not contain control characters';
    const cases: [string, string, unknown, string][] = [
      [
        'POST',
        '/v2/indicators/hosts',
        { hostName: 'nul\u0000.example.com' },
        `The hostName for this Host is invalid, it ${CONTROL}`,
      ],
      [
        'POST',
        '/v2/indicators/urls',
        { text: 'http://ctl.example.com/\u0001' },
        `The text for this URL is invalid, it ${CONTROL}`,
      ],
      [
        'POST',
        '/v2/indicators/emailAddresses',
        { address: 'a\u001f@example.com' },
        `The address for this EmailAddress is invalid, it ${CONTROL}`,
      ],
      [
        'POST',
        '/v2/indicators/addresses',
        { ip: '10.0.0.1\n' },
        `The ip for this Address is invalid, it ${CONTROL}`,
      ],
      [
        'POST',
        '/v2/groups/adversaries',
        { name: 'Bad\u0000Guy' },
        `The name for this Adversary is invalid, it ${CONTROL}`,
      ],
      ['POST', '/v2/victims', { name: 'Jane\rDoe' }, `The name for this Victim is invalid, it ${CONTROL}`],
      [
        'PUT',
        '/v2/victims/11',
        { name: 'Jane\u007f\u0008' },
        `The name for this Victim is invalid, it ${CONTROL}`,
      ],
      ['POST', '/v2/tasks', { name: 'Task\u001b[31m' }, `The name for this Task is invalid, it ${CONTROL}`],
      ['POST', '/v2/tags', { name: 'tag\u0000' }, `The name for this Tag is invalid, it ${CONTROL}`],
      ['PUT', '/v2/tags/APT', { name: 'A\nPT' }, `The name for this Tag is invalid, it ${CONTROL}`],
      [
        'POST',
        '/v2/groups/threats/806/tags/bad%00tag',
        undefined,
        `The name for this Tag is invalid, it ${CONTROL}`,
      ],
      [
        'POST',
        '/v2/victims/11/tags/line%0Abreak',
        undefined,
        `The name for this Tag is invalid, it ${CONTROL}`,
      ],
    ];
    for (const [method, path, body, message] of cases) {
      it(`refuses ${JSON.stringify(body ?? path)} on ${method} with 400`, async () => {
        failure(await send(method, path, body), 400, message);
      });
    }

    it('takes a tab, and characters outside the BMP as surrogate pairs', async () => {
      const group = item(
        await send('POST', '/v2/groups/threats', { name: 'Tab\there \ud83d\ude00' }),
        'threat',
        201,
      );
      assert.equal(group.name, 'Tab\there \u{1F600}');
      done(await send('POST', '/v2/groups/threats/806/tags/with%09tab'), 201);
    });

    for (const [what, raw, where] of [
      ['a value', '{"hostName":"\\ud800.example.com"}', 'hostName'],
      ['a low half alone', '{"hostName":"x\\udc00y.example.com"}', 'hostName'],
      ['a key', '{"hostName":"ok.example.com","\\ud800":1}', '\ud800'],
    ] as const) {
      it(`refuses a lone surrogate escape in ${what} with 400`, async () => {
        failure(
          await send('POST', '/v2/indicators/hosts', raw),
          400,
          `The request was not properly formed: ${where} holds a lone UTF-16 surrogate`,
        );
      });
    }

    it('refuses a nested lone surrogate, naming its path', async () => {
      failure(
        await send('POST', '/v2/tasks', '{"name":"T","assignee":[{"userName":"\\udfff"}]}'),
        400,
        'The request was not properly formed: assignee[0].userName holds a lone UTF-16 surrogate',
      );
    });

    it('refuses a body that is not UTF-8 instead of replacing the bytes', async () => {
      const body = Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
      failure(
        await call(sandbox, 'POST', '/v2/groups/threats', { body }),
        400,
        'The request was not properly formed',
      );
    });
  });
});

describe('includeAdditional=true (docs/sandbox.md)', () => {
  const N = 200;
  const inactive = sampleData(N).indicators.find((i) => !i.active && i.type === 'Host');
  const { get } = useSandboxClient({ sandbox: { seedIndicators: N } });

  it('adds active and privateFlag to indicators, in listings and single items', async () => {
    for (const flag of ['includeAdditional=true', 'includes=additional']) {
      const listed = success(await get(`/v2/indicators?owner=Example%20Community&resultLimit=5&${flag}`))
        .indicator as Record<string, unknown>[];
      assert.equal(listed.length, 5);
      for (const i of listed) assert.deepEqual([i.active, i.privateFlag], [true, false]);
      const host = item(
        await get(`/v2/indicators/hosts/www.badguy_014.com?owner=Example%20Community&${flag}`),
        'host',
      );
      assert.deepEqual([host.active, host.privateFlag], [true, false]);
    }
    const plain = item(
      await get('/v2/indicators/hosts/www.badguy_014.com?owner=Example%20Community'),
      'host',
    );
    assert.equal('active' in plain || 'privateFlag' in plain, false);
    assert.ok(inactive, 'the sample data has an inactive host');
    const hidden = item(
      await get(
        `/v2/indicators/hosts/${inactive.summary}?owner=${encodeURIComponent(inactive.ownerName)}&includeAdditional=true`,
      ),
      'host',
    );
    assert.equal(hidden.active, false);
  });

  it("adds an incident's status to group list items, and nothing else there", async () => {
    const path = '/v2/groups?owner=Example%20Community&resultLimit=500';
    const items = async (query: string) =>
      ((await get(`${path}${query}`)).json() as { data: { group: Record<string, unknown>[] } }).data.group;
    const plain = await items('');
    const extra = await items('&includeAdditional=true');
    assert.equal(extra.length, plain.length);
    let incidents = 0;
    extra.forEach((item, i) => {
      const { status, ...rest } = item;
      if (item.type === 'Incident') {
        incidents += 1;
        assert.equal(typeof status, 'string', JSON.stringify(item));
        assert.deepEqual(rest, plain[i]);
      } else assert.deepEqual(item, plain[i]);
    });
    assert.ok(incidents > 0);
  });

  it('is accepted, and changes nothing, on one group, victims, tasks, tags and attributes', async () => {
    for (const path of [
      '/v2/groups/threats/38',
      '/v2/victims/10',
      '/v2/tasks',
      '/v2/tags',
      '/v2/securityLabels',
      '/v2/groups/threats/38/attributes',
    ]) {
      const sep = path.includes('?') ? '&' : '?';
      const plain = await get(path);
      const extra = await get(`${path}${sep}includeAdditional=true`);
      assert.equal(extra.status, 200, `${path}: ${extra.text}`);
      assert.equal(extra.text, plain.text, path);
    }
  });
});
