// expose --mode gateway in the lab, served by Traefik (GatewayClass lab). See l7-suite.ts.
import { l7Suite } from './l7-suite.ts';

l7Suite('gateway');
