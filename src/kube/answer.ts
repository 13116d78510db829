// What a successful API answer must be before anything is read from it: a JSON object
// sent as JSON. A 200 that is an SSO proxy's HTML login page, a truncated body or some
// other server's reply is an error naming the URL and what came back, never an empty
// result (in CI a wrong "No findings" would pass the pipeline).
import { KubeBadResponseError } from './errors.js';

export interface Answer {
  status: number;
  /** The Content-Type header, if any. */
  contentType: string | undefined;
  text: string;
}

/** Whether a media type is JSON: application/json, or any +json type. */
export function isJsonMediaType(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
  return type === 'application/json' || /^application\/[\w.+-]*\+json$/.test(type);
}

/**
 * The parsed body of a 2xx answer; throws KubeBadResponseError when it is not a JSON
 * object sent as JSON. `where` is the method and URL for the message (no credentials).
 */
export function parseSuccess(answer: Answer, where: string): Record<string, unknown> {
  const fail = (problem: string) =>
    new KubeBadResponseError(problem, where, answer.status, answer.contentType, answer.text);
  if (!isJsonMediaType(answer.contentType)) {
    throw fail(
      answer.contentType
        ? `it is ${answer.contentType.split(';', 1)[0]!.trim()}, not JSON`
        : 'it has no Content-Type, not JSON',
    );
  }
  if (answer.text.trim() === '') throw fail('the body is empty');
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch (err) {
    throw fail(`the JSON is cut short or invalid (${(err as Error).message})`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw fail('the JSON is not an object');
  return body as Record<string, unknown>;
}

/** The body of a failed (non-2xx) answer: its Status object when it is JSON, else the text. */
export function parseFailure(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
