// expose --mode l2 in the lab: the real MetalLB speaker of one node answers the client's ARP
// for the address (198.51.100.0/24, on-link for the client). See lb-suite.ts.
import { loadBalancerSuite } from './lb-suite.ts';

loadBalancerSuite('l2', { cluster: '198.51.100.20', local: '198.51.100.24' });
