// metallb#2003: a serviceAllocation written but empty selects no Service (empty is not absent).
import { expect, test } from 'vitest';
import { buildContext } from '../../../src/discover/context.js';
import { metallbPoolServes } from '../../../src/discover/implementation.js';
import { poolAdmits, readPool } from '../../../src/discover/metallb.js';
import { serviceFact } from '../../../src/discover/services.js';
import type { Custom, Service } from '../../../src/model/snapshot.js';
import { pool, service, snap } from './builders.js';

const svc = service('wiki', { type: 'LoadBalancer' }) as Service;
const fact = () => serviceFact(buildContext(snap([svc])), svc);

test('serviceAllocation: {} admits no Service; no serviceAllocation admits every one', () => {
  const empty = pool('office', ['198.51.100.80/29'], { serviceAllocation: {} }) as Custom;
  const absent = pool('office', ['198.51.100.80/29']) as Custom;
  expect(poolAdmits(readPool(empty), fact()).ok).toBe(false);
  expect(metallbPoolServes(empty, svc)).toBe(false);
  expect(poolAdmits(readPool(absent), fact()).ok).toBe(true);
  expect(metallbPoolServes(absent, svc)).toBe('open');
});
