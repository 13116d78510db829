// A 2xx answer must be a JSON object sent as JSON before anything is read from it.
import { describe, expect, test } from 'vitest';
import { isJsonMediaType, parseFailure, parseSuccess } from '../../../src/kube/answer.js';
import { bodyStart, KubeBadResponseError } from '../../../src/kube/errors.js';

const where = 'GET https://k.example/api/v1/services';
function bad(status: number, contentType: string | undefined, text: string): KubeBadResponseError {
  let err: unknown;
  try {
    parseSuccess({ status, contentType, text }, where);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(KubeBadResponseError);
  return err as KubeBadResponseError;
}

describe('parseSuccess', () => {
  test('a JSON object sent as JSON is the body', () => {
    expect(parseSuccess({ status: 200, contentType: 'application/json', text: '{"items":[]}' }, where)).toEqual({
      items: [],
    });
    expect(
      parseSuccess({ status: 201, contentType: 'application/json;charset=utf-8', text: '{"a":1}' }, where),
    ).toEqual({ a: 1 });
  });

  test('an HTML login page names the URL, the type and the start of the page', () => {
    expect(bad(200, 'text/html; charset=utf-8', '<!DOCTYPE html>\n<html><title>Sign in</title>').message).toBe(
      'GET https://k.example/api/v1/services answered 200 but it is text/html, not JSON; it starts with "<!DOCTYPE html> <html><title>Sign in</title>"',
    );
  });

  test('no content type, empty, truncated, not an object', () => {
    expect(bad(200, undefined, '{}').problem).toBe('it has no Content-Type, not JSON');
    expect(bad(200, 'application/json', '').message).toMatch(
      /the body is empty; it starts with nothing \(empty body\)$/,
    );
    expect(bad(200, 'application/json', '{"items":[{"meta').problem).toMatch(/^the JSON is cut short or invalid/);
    expect(bad(200, 'application/json', '[1,2]').problem).toBe('the JSON is not an object');
    expect(bad(200, 'application/json', 'null').problem).toBe('the JSON is not an object');
  });

  test('control characters of the body are escaped, long bodies cut', () => {
    expect(bodyStart('\u001b[31mred')).toBe('"\\u001b[31mred"');
    expect(bodyStart('x'.repeat(500))).toBe(`"${'x'.repeat(80)}..."`);
  });
});

test('isJsonMediaType', () => {
  expect(isJsonMediaType('application/json')).toBe(true);
  expect(isJsonMediaType('application/merge-patch+json')).toBe(true);
  expect(isJsonMediaType('APPLICATION/JSON; charset=utf-8')).toBe(true);
  expect(isJsonMediaType('text/plain')).toBe(false);
  expect(isJsonMediaType('application/jsonx')).toBe(false);
  expect(isJsonMediaType(undefined)).toBe(false);
});

test('parseFailure keeps a Status, or the text', () => {
  expect(parseFailure('{"kind":"Status","code":403}')).toEqual({ kind: 'Status', code: 403 });
  expect(parseFailure('<html>Bad gateway</html>')).toBe('<html>Bad gateway</html>');
  expect(parseFailure('')).toBeUndefined();
});
