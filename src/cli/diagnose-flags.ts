// The flags of `exposectl diagnose --probe`: the probes' inputs (ARP, BGP, healthz, the
// source-ip echo). Apart from the command so that diagnose.ts stays a page.
import { Flags } from '@oclif/core';
import { ECHO_IMAGE } from '../model/probe-names.js';

export const diagnoseProbeFlags = {
  probe: Flags.boolean({
    summary: 'Also gather facts from the network with the probes the check needs (arp, bgp, healthz, source-ip echo).',
    default: false,
  }),
  interface: Flags.string({
    char: 'i',
    summary: 'With --probe: the interface to send ARP requests from (on the segment of the L2 addresses).',
  }),
  'arp-count': Flags.integer({ summary: 'With --probe: ARP requests per address.', default: 3, min: 1, max: 100 }),
  'bgp-listen': Flags.string({
    summary: 'With --probe: where the passive BGP peer listens: ADDRESS[:PORT] (default port 179).',
  }),
  'bgp-local-as': Flags.integer({ summary: "With --probe: the BGP peer's AS number.", min: 1, max: 4294967295 }),
  'bgp-peer': Flags.string({ summary: 'With --probe: a BGP peer that must connect (repeatable).', multiple: true }),
  'bgp-duration': Flags.string({ summary: 'With --probe: how long to listen for BGP speakers.', default: '30s' }),
  'probe-timeout': Flags.string({
    summary: 'With --probe: how long to wait for each ARP reply window, /healthz answer, reach try and echo request.',
    default: '2s',
  }),
  'echo-timeout': Flags.string({
    summary: 'With --probe: how long to wait for the source-ip echo to be reachable through the mirror exposure.',
    default: '90s',
  }),
  'echo-image': Flags.string({
    summary: 'With --probe: the echo image (agnhost netexec: GET /clientip answers the peer address).',
    default: ECHO_IMAGE,
  }),
};
