// expose --mode bgp in the lab: the real MetalLB speakers announce the address to the
// router (BIRD), which routes the client to the nodes (203.0.113.0/24 via the router).
// --peer 192.0.2.1 reuses the lab's BGPPeer. See lb-suite.ts.
import { loadBalancerSuite } from './lb-suite.ts';

loadBalancerSuite('bgp', { cluster: '203.0.113.20', local: '203.0.113.24' }, ['--peer', '192.0.2.1']);
