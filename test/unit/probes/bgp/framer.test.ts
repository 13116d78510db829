import { describe, expect, it } from 'vitest';
import { encodeMessage } from '../../../../src/probes/bgp/codec.js';
import { BgpFramer } from '../../../../src/probes/bgp/framer.js';
import { frame, hex, MARKER_HEX, toHex } from './helpers.js';

const keepalive = encodeMessage({ type: 'keepalive' });
const notification = encodeMessage({ type: 'notification', code: 6, subcode: 2, data: hex('00') });

describe('BgpFramer', () => {
  it('splits several messages in one chunk', () => {
    const f = new BgpFramer();
    const { messages, error } = f.push(Uint8Array.from([...keepalive, ...notification, ...keepalive]));
    expect(error).toBeNull();
    expect(messages.map(toHex)).toEqual([toHex(keepalive), toHex(notification), toHex(keepalive)]);
    expect(f.pending).toBe(0);
  });

  it('joins a message delivered one octet at a time', () => {
    const f = new BgpFramer();
    const out: string[] = [];
    for (const b of notification) {
      const r = f.push(Uint8Array.of(b));
      expect(r.error).toBeNull();
      out.push(...r.messages.map(toHex));
    }
    expect(out).toEqual([toHex(notification)]);
  });

  it('keeps a partial message until the rest arrives', () => {
    const f = new BgpFramer();
    const both = Uint8Array.from([...keepalive, ...notification]);
    expect(f.push(both.subarray(0, 25)).messages).toHaveLength(1);
    expect(f.pending).toBe(6);
    expect(f.push(both.subarray(25)).messages.map(toHex)).toEqual([toHex(notification)]);
  });

  it('returns messages before a bad header, then the error, and stays failed', () => {
    const f = new BgpFramer();
    const bad = hex(`${'00'.repeat(16)}001304`);
    const r = f.push(Uint8Array.from([...keepalive, ...bad]));
    expect(r.messages).toHaveLength(1);
    expect([r.error?.code, r.error?.subcode]).toEqual([1, 1]);
    const again = f.push(keepalive);
    expect(again.messages).toEqual([]);
    expect(again.error).toBe(r.error);
  });

  it.each([
    ['length 18', `${MARKER_HEX}001204`, 2, '0012'],
    ['length 4097', `${MARKER_HEX}100102`, 2, '1001'],
    ['length 65535 without extended messages', `${MARKER_HEX}ffff02`, 2, 'ffff'],
    ['type 9', `${MARKER_HEX}001309`, 3, '09'],
  ])('rejects a header with %s as soon as the header is in', (_name, header, subcode, data) => {
    const f = new BgpFramer();
    const r = f.push(hex(header));
    expect([r.error?.code, r.error?.subcode, toHex(r.error!.data)]).toEqual([1, subcode, data]);
  });

  it('accepts up to 65535 octets once extended messages are negotiated', () => {
    const f = new BgpFramer(65535);
    const big = frame(2, '00'.repeat(5000));
    expect(f.push(big).messages).toHaveLength(1);
  });
});
