// The OIP test server's validator must catch what breaks the protocol, or every "no violations" assertion
// in the serving-check tests would prove nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ModelServer, startOipServer } from './index.ts';

let server: ModelServer;
beforeAll(async () => {
  server = await startOipServer({ version: '3' });
});
afterAll(async () => {
  await server.close();
});

async function post(path: string, body: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

describe('OIP server validated against the OpenAPI file', () => {
  it('accepts a well-formed inference request, with or without the version segment', async () => {
    server.violations.length = 0;
    const request = {
      inputs: [{ name: 'input-0', shape: [1, 6], datatype: 'FP64', data: [1, 100, 70, 30, 0.5, 40] }],
    };
    const plain = await post('/v2/models/champion/infer', request);
    const versioned = await post('/v2/models/champion/versions/3/infer', request);
    expect(plain.status).toBe(200);
    expect(versioned.body).toEqual(plain.body);
    expect(plain.body).toMatchObject({
      model_name: 'champion',
      model_version: '3',
      outputs: [{ shape: [1, 2] }],
    });
    expect(server.violations).toEqual([]);
  });

  it('records requests that break the description', async () => {
    server.violations.length = 0;
    expect(
      (await post('/v2/models/champion/infer', { inputs: [{ name: 'input-0', data: [1] }] })).status,
    ).toBe(400);
    expect((await post('/v2/models/champion/infer', { input: [] })).status).toBe(400);
    expect((await fetch(`${server.url}/v2/models/champion/predict`)).status).toBe(404);
    expect(server.violations).toHaveLength(3);
    expect(server.violations[0]).toMatch(/request body .*must have required property 'shape'/);
    expect(server.violations[1]).toMatch(/must have required property 'inputs'/);
    expect(server.violations[2]).toMatch(/no operation of the OIP description matches GET/);
  });

  it('answers a semantically wrong request with the protocol error object, not a violation', async () => {
    server.violations.length = 0;
    const answer = await post('/v2/models/champion/infer', {
      inputs: [{ name: 'input-0', shape: [1, 5], datatype: 'FP64', data: [1, 2, 3, 4, 5] }],
    });
    expect(answer).toMatchObject({ status: 400, body: { error: expect.stringMatching(/shape \[-1, 6\]/) } });
    expect(server.violations).toEqual([]);
  });
});
