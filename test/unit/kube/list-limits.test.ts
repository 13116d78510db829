// listKind never returns a short or endless list: a repeated continue token, too many
// objects and an answer that is not a list are errors; typed empty lists are fine.
import { afterEach, beforeEach, expect, test } from 'vitest';
import { createClient, type KubeClient } from '../../../src/kube/client.js';
import { KINDS } from '../../../src/kube/kinds.js';
import { resolveKubeconfig } from '../../../src/kube/kubeconfig.js';
import { listKind, MAX_LIST_OBJECTS } from '../../../src/kube/list.js';
import { type ExposectlError, RuntimeError } from '../../../src/util/errors.js';
import { type FakeApiServer, startFakeApiServer, writeKubeconfig } from '../../helpers/fake-apiserver.js';

const services = KINDS.find((k) => k.kind === 'Service')!;
let fake: FakeApiServer;
let client: KubeClient;
beforeEach(async () => {
  fake = await startFakeApiServer();
  client = await createClient(resolveKubeconfig({ kubeconfig: writeKubeconfig(fake.url) }));
});
afterEach(async () => {
  await client.close();
  await fake.close();
});

async function failure(p: Promise<unknown>): Promise<ExposectlError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RuntimeError);
  return err as ExposectlError;
}

test('a repeated continue token stops at the repeat', async () => {
  fake.fault('/api/v1/services', { type: 'repeat-continue' });
  let objects = 0;
  const err = await failure(
    listKind(client, services, {}, (o) => {
      objects += o.length;
    }),
  );
  expect(err.message).toBe(
    `the API server at ${fake.url} sent the same continue token twice while listing services (page 3); the list would never end`,
  );
  expect(fake.requests).toHaveLength(2);
  expect(objects).toBe(2);
});

test(`more than ${MAX_LIST_OBJECTS} objects of one kind stop the list`, async () => {
  fake.fault('/api/v1/services', { type: 'endless-pages', items: 500 });
  const err = await failure(listKind(client, services, {}, () => undefined));
  expect(err.message).toBe(
    `the list of services from ${fake.url} has more than ${MAX_LIST_OBJECTS} objects; exposectl stopped reading it`,
  );
  expect(fake.requests).toHaveLength(MAX_LIST_OBJECTS / 500 + 1);
}, 120_000);

test('JSON that is not a list is an error naming the URL; an empty typed list without items is a list', async () => {
  fake.fault('/api/v1/services', { type: 'body', body: '{"kind":"Status","status":"Success"}' });
  const err = await failure(listKind(client, services, {}, () => undefined));
  expect(err.message).toMatch(
    new RegExp(`GET ${fake.url}/api/v1/services answered 200 but the JSON is not a list \\(no "items" array\\)`),
  );
  fake.clearFaults();
  fake.fault('/api/v1/services', {
    type: 'body',
    body: '{"kind":"ServiceList","apiVersion":"v1","metadata":{},"items":null}',
  });
  expect(await listKind(client, services, {}, () => undefined)).toEqual({ version: 'v1', count: 0, pages: 1 });
});
